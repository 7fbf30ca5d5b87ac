"""The self-assessment form: one choice per criterion of the revision's rubric version."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectChoice
from wtforms.validators import InputRequired

from supervision.models import LEVELS, SelfAssessment

NOT_VISIBLE = "n/o"


class SelfAssessmentForm(FlaskForm):
    """Built for one self-assessment (``for_assessment``): a field ``level-<key>`` for each."""

    keys: tuple[str, ...] = ()

    def level_fields(self) -> list[Field]:
        return [self[f"level-{key}"] for key in self.keys]

    def levels(self) -> dict[str, int | None]:
        chosen = {key: self[f"level-{key}"].data for key in self.keys}
        return {key: None if value == NOT_VISIBLE else int(value) for key, value in chosen.items()}


def for_assessment(assessment: SelfAssessment) -> type[SelfAssessmentForm]:
    labels = assessment.rubric_version.scale_labels or {}
    choices = [
        SelectChoice(str(n), f"{n}: {labels[str(n)]}" if labels.get(str(n)) else str(n))
        for n in LEVELS
    ] + [SelectChoice(NOT_VISIBLE, "Not visible in this vignette")]
    fields = {
        f"level-{score.criterion_key}": RadioField(
            score.criterion.title, choices=choices, validators=[InputRequired()]
        )
        for score in assessment.scores
    }
    keys = tuple(score.criterion_key for score in assessment.scores)
    return type("BoundSelfAssessmentForm", (SelfAssessmentForm,), {**fields, "keys": keys})
