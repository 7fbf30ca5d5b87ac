"""Evaluation forms: they validate and nothing else (the rules are the services')."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from supervision.auth.reauth import password_field, second_factor_field, signature_field
from supervision.models import LEVELS, EvaluationKind, EvaluationScore, RubricVersion, User
from supervision.models.evaluation import (
    CRITERION_COMMENT_MAX,
    EVALUATION_COMMENT_MAX,
    EVALUATION_LABEL_MAX,
    NOT_OBSERVED,
    SUPERVISOR_COMMENT_MAX,
    SUPERVISOR_ITEMS,
    SUPERVISOR_SCALE,
)

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


class DayField(DateField):
    """A date typed as year-month-day (the browser's date picker sends that), with a plain
    message for anything else and a sane range."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError("Enter a date as year-month-day, for example 2027-03-14.") from None

    def pre_validate(self, form: Any) -> None:
        if isinstance(self.data, date) and not EARLIEST_YEAR <= self.data.year <= LATEST_YEAR:
            raise ValidationError(f"Enter a date between {EARLIEST_YEAR} and {LATEST_YEAR}.")


def _people(people: list[User]) -> list[SelectChoice]:
    return [SelectChoice(str(person.id), person.display_name) for person in people]


class ScheduleForm(FlaskForm):
    supervisee_id = SelectField("Supervisee", validators=[InputRequired("Choose a supervisee.")])
    evaluator_id = SelectField("Evaluator", validators=[InputRequired("Choose an evaluator.")])
    kind = RadioField(
        "Kind of evaluation",
        choices=[SelectChoice(k.value, k.label) for k in EvaluationKind],
        default=EvaluationKind.MIDTERM.value,
        validators=[InputRequired("Choose mid-term, final or other.")],
    )
    label = StringField(
        "Name (for “Other”)",
        description="For example “Placement review”.",
        validators=[Optional(), Length(max=EVALUATION_LABEL_MAX)],
    )
    period_start = DayField(
        "Period starts", validators=[InputRequired("Enter the first day of the period.")]
    )
    period_end = DayField(
        "Period ends", validators=[InputRequired("Enter the last day of the period.")]
    )
    due_on = DayField("Due on", validators=[InputRequired("Enter the due date.")])
    rubric_version_id = SelectField(
        "Rubric",
        description="The released reviews of the period are shown beside it, criterion by "
        "criterion.",
        validators=[InputRequired("Choose a rubric.")],
    )


def schedule_form(
    supervisees: list[User],
    evaluators: list[User],
    versions: list[RubricVersion],
    default_version: RubricVersion,
    **kwargs: Any,
) -> ScheduleForm:
    form = ScheduleForm(**kwargs)
    form.supervisee_id.choices = _people(supervisees)
    form.evaluator_id.choices = _people(evaluators)
    form.rubric_version_id.choices = [
        SelectChoice(str(v.id), f"{v.name} (version {v.number})") for v in versions
    ]
    if not form.is_submitted():
        form.rubric_version_id.data = str(default_version.id)
        if len(evaluators) == 1:
            form.evaluator_id.data = str(evaluators[0].id)
    return form


class PartForm(FlaskForm):
    """One side's part, built for an evaluation (``part_form``): ``level-<key>`` and
    ``comment-<key>`` per criterion, the overall comments, and two ways to submit."""

    keys: tuple[str, ...] = ()
    overall = TextAreaField("Overall comments", validators=[Length(max=EVALUATION_COMMENT_MAX)])
    edit_version = HiddenField()
    save = SubmitField("Save as draft")
    ready = SubmitField("Save and mark ready")

    def criterion_fields(self) -> list[tuple[Field, Field]]:
        return [(self[f"level-{key}"], self[f"comment-{key}"]) for key in self.keys]

    def levels(self) -> dict[str, str]:
        return {key: self[f"level-{key}"].data or "" for key in self.keys}

    def comments(self) -> dict[str, str]:
        return {key: self[f"comment-{key}"].data or "" for key in self.keys}


def part_form(
    version: RubricVersion, scores: list[EvaluationScore], side: str, **kwargs: Any
) -> PartForm:
    labels = version.scale_labels or {}
    choices = [
        SelectChoice(str(n), f"{n}: {labels[str(n)]}" if labels.get(str(n)) else str(n))
        for n in LEVELS
    ] + [SelectChoice(NOT_OBSERVED, "No opportunity to observe")]
    fields: dict[str, Any] = {}
    for score in scores:
        title = score.criterion.title
        fields[f"level-{score.criterion_key}"] = RadioField(
            title if side == "evaluator" else f"{title}: my own level",
            choices=choices,
            validate_choice=False,  # the service checks, and a draft may leave it unchosen
        )
        fields[f"comment-{score.criterion_key}"] = TextAreaField(
            f"Comment on {title} (optional)", validators=[Length(max=CRITERION_COMMENT_MAX)]
        )
    keys = tuple(score.criterion_key for score in scores)
    bound = type("BoundPartForm", (PartForm,), {**fields, "keys": keys})
    return bound(**kwargs)


class ResponseForm(FlaskForm):
    response = TextAreaField(
        "My response to the evaluation",
        description="Optional. Both of you sign what is written here.",
        validators=[Length(max=EVALUATION_COMMENT_MAX)],
    )
    edit_version = HiddenField()


class SignForm(FlaskForm):
    signature = signature_field()
    password = password_field()
    code = second_factor_field()  # asked only of those who have a second factor
    edit_version = HiddenField()


class SupervisorEvaluationForm(FlaskForm):
    supervisor_id = SelectField("Supervisor", validators=[InputRequired("Choose a supervisor.")])
    comment = TextAreaField(
        "Anything you would like to add (optional)",
        validators=[Length(max=SUPERVISOR_COMMENT_MAX)],
    )
    shared = BooleanField(
        "Let my supervisor read this",
        description="Off unless you choose it. The group's facilitators read it either way; you "
        "can change this later.",
    )

    def item_fields(self) -> list[Field]:
        return [self[key] for key, _question in SUPERVISOR_ITEMS]

    def answers(self) -> dict[str, int]:
        return {key: int(self[key].data) for key, _question in SUPERVISOR_ITEMS}


def supervisor_evaluation_form(supervisors: list[User], **kwargs: Any) -> SupervisorEvaluationForm:
    scale = [SelectChoice(str(n), f"{n}: {label}") for n, label in SUPERVISOR_SCALE.items()]
    items = {
        key: RadioField(
            question,
            choices=scale,
            validators=[InputRequired(f"Choose an answer for: {question}.")],
        )
        for key, question in SUPERVISOR_ITEMS
    }
    bound = type("BoundSupervisorEvaluationForm", (SupervisorEvaluationForm,), items)
    form = bound(**kwargs)
    form.supervisor_id.choices = _people(supervisors)
    return form


class SharingForm(FlaskForm):
    shared = RadioField(
        "Let my supervisor read this",
        choices=[SelectChoice("1", "Shared with my supervisor"), SelectChoice("0", "Not shared")],
        validators=[InputRequired("Choose shared or not shared.")],
    )
