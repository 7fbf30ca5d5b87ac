"""Forms of calibration: the gold levels of a vignette, and marking a case as one."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import AnyOf, Length

from supervision.calibration.services import GoldInput
from supervision.models.calibration import RATIONALE_MAX
from supervision.models.rubric import LEVELS, RubricCriterion

NOT_VISIBLE = "n/o"
NOT_RECORDED = ""


class MarkForm(FlaskForm):
    state = HiddenField(validators=[AnyOf(["on", "off"])])


class GoldForm(FlaskForm):
    """Fields ``level_<key>`` and ``rationale_<key>`` per criterion, added by ``gold_form``."""

    keys: list[str]

    def entries(self) -> dict[str, GoldInput]:
        """The criteria given a level or "not visible" (a blank level is left as it was)."""
        found = {}
        for key in self.keys:
            value = self[f"level_{key}"].data or NOT_RECORDED
            if value == NOT_RECORDED:
                continue
            level = None if value == NOT_VISIBLE else int(value)
            found[key] = GoldInput(level, self[f"rationale_{key}"].data or "")
        return found


def gold_form(
    criteria: Iterable[RubricCriterion], scale: dict[str, str], **kwargs: object
) -> GoldForm:
    criteria = list(criteria)

    class _Form(GoldForm):
        pass

    choices = [SelectChoice(NOT_RECORDED, "Not recorded yet")]
    choices += [
        SelectChoice(str(n), f"{n} · {scale[str(n)]}" if str(n) in scale else str(n))
        for n in LEVELS
    ]
    choices.append(SelectChoice(NOT_VISIBLE, "Not visible in this vignette"))
    for criterion in criteria:
        setattr(
            _Form,
            f"level_{criterion.key}",
            SelectField(f"Agreed level: {criterion.title}", choices=choices, default=NOT_RECORDED),
        )
        setattr(
            _Form,
            f"rationale_{criterion.key}",
            TextAreaField(
                f"Why this level: {criterion.title}",
                validators=[Length(max=RATIONALE_MAX)],
                description="Raters read this after submitting: point to the moment in the "
                "vignette and the descriptor it meets.",
            ),
        )
    form = _Form(**kwargs)  # type: ignore[arg-type]
    form.keys = [criterion.key for criterion in criteria]
    return form
