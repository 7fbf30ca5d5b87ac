"""Review forms: they validate and nothing else.

The review form is built for the criteria of the review's own rubric version: one sub-form per
criterion, named after its stable key, with its fields in the order raters should fill them
(evidence first, then the level, then the comment: noting evidence first counters the halo effect).
The evidence is quoted passages and, optionally, annotations on the case ticked as evidence: their
ids arrive as ``criterion_<key>-annotations``; which ones may be cited is the view's check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import (
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from supervision.models.review import COMMENT_MAX, EVIDENCE_MAX, FEEDBACK_MAX
from supervision.models.rubric import LEVELS
from supervision.reviews.services import ReviewInput, ScoreInput
from supervision.routing import DbIntegerField

NOT_VISIBLE = "n/o"
NOT_VISIBLE_LABEL = "Not visible in this vignette"
LEVEL_CHOICES = [SelectChoice(str(n), str(n)) for n in LEVELS] + [
    SelectChoice(NOT_VISIBLE, NOT_VISIBLE_LABEL)
]
_FIELD_PREFIX = "criterion_"


def _text(value: str | None) -> str:
    """The browser's CRLF line ends made plain newlines."""
    return (value or "").replace("\r\n", "\n")


def level_value(level: int | None, not_visible: bool) -> str | None:
    """A stored level as the radio buttons name it."""
    if not_visible:
        return NOT_VISIBLE
    return str(level) if level is not None else None


def _level(value: str | None) -> tuple[int | None, bool]:
    """(level, not_visible) from a radio value that passed validation."""
    if value == NOT_VISIBLE:
        return None, True
    return (int(value), False) if value else (None, False)


class CriterionForm(Form):
    """One criterion of a review. The field order is the order on the page."""

    evidence = TextAreaField(
        "Evidence: the passages, quoted",
        description="Paste the passages of the vignette that show this criterion, one per line, "
        "before you choose a level.",
        validators=[
            Optional(),
            Length(
                max=EVIDENCE_MAX, message=f"Keep the evidence under {EVIDENCE_MAX:,} characters."
            ),
        ],
    )
    # Rendered by the template from the citable annotations (the choices depend on the viewer);
    # the ids are checked against them when saving, so no choice validation here.
    annotations = SelectMultipleField(
        "Annotations that are evidence for this",
        description="Annotations on this revision that you can read. Tick the ones that show "
        "this criterion; they count as evidence, like a quoted passage.",
        coerce=str,
        validate_choice=False,
    )
    level = RadioField(
        "Level",
        choices=LEVEL_CHOICES,
        validators=[Optional()],
    )
    comment = TextAreaField(
        "Comment",
        description="What you noticed, for the supervisee.",
        validators=[
            Optional(),
            Length(max=COMMENT_MAX, message=f"Keep the comment under {COMMENT_MAX:,} characters."),
        ],
    )

    def validate_level(self, field: RadioField) -> None:
        """Choosing "not visible" means the vignette shows no evidence, so it carries none: refused
        (the typed text stays in the form) rather than silently dropped."""
        if field.data != NOT_VISIBLE:
            return
        carried = [
            name
            for name, present in (
                ("evidence", _text(self.evidence.data).strip()),
                ("cited annotations", self.annotations.data),
                ("a comment", _text(self.comment.data).strip()),
            )
            if present
        ]
        if carried:
            raise ValidationError(
                f"“{NOT_VISIBLE_LABEL}” cannot carry {' or '.join(carried)}: choose a level "
                "for what you quoted, or empty the evidence and the comment."
            )

    def annotation_ids(self) -> list[str]:
        """The ticked annotation ids, as sent (unchecked strings)."""
        return [str(value) for value in self.annotations.data or []]

    def score_input(self) -> ScoreInput:
        level, not_visible = _level(self.level.data)
        return ScoreInput(
            level=level,
            not_visible=not_visible,
            comment=_text(self.comment.data),
            evidence=_text(self.evidence.data),
        )


class ReviewForm(FlaskForm):
    """The fields every review has; ``review_form`` adds one ``CriterionForm`` per criterion."""

    edit_version = DbIntegerField(widget=HiddenInput(), validators=[InputRequired()])
    overall_feedback = TextAreaField(
        "Overall feedback",
        description="Formative feedback for the supervisee, in Markdown. They see it when you "
        "release the review.",
        validators=[
            Optional(),
            Length(
                max=FEEDBACK_MAX, message=f"Keep the feedback under {FEEDBACK_MAX:,} characters."
            ),
        ],
    )
    private_notes = TextAreaField(
        "Private notes",
        description="Only you ever see these: not the supervisee, not other reviewers, not the "
        "facilitators.",
        validators=[
            Optional(),
            Length(max=FEEDBACK_MAX, message=f"Keep the notes under {FEEDBACK_MAX:,} characters."),
        ],
    )
    save_draft = SubmitField("Save draft")
    submit_review = SubmitField("Submit review")

    criterion_keys: tuple[str, ...] = ()

    def criterion(self, key: str) -> CriterionForm:
        return self[_FIELD_PREFIX + key].form

    def set_edit_version(self, version: int) -> None:
        """Carry the version a save produced, so the next save from this page is not stale."""
        self.edit_version.data = version
        self.edit_version.raw_data = [str(version)]

    def cited_ids(self) -> dict[str, list[str]]:
        """For each criterion key, the annotation ids ticked as its evidence (unchecked)."""
        return {key: self.criterion(key).annotation_ids() for key in self.criterion_keys}

    def review_input(self) -> ReviewInput:
        return ReviewInput(
            scores={key: self.criterion(key).score_input() for key in self.criterion_keys},
            overall_feedback=_text(self.overall_feedback.data),
            private_notes=_text(self.private_notes.data),
        )

    def problems(self) -> list[str]:
        """Every validation error as one readable line, in the order of the page."""
        found = []
        for field in self:
            if field.type == "CSRFTokenField" and field.errors:
                found.append("The form expired. Please submit it again.")
            elif field.type == "FormField":
                for sub in field.form:
                    found.extend(f"{field.label.text} · {sub.label.text}: {e}" for e in sub.errors)
            elif field.errors:
                found.extend(f"{field.label.text}: {error}" for error in field.errors)
        return found


@cache
def _form_class(criteria: tuple[tuple[str, str], ...]) -> type[ReviewForm]:
    fields: dict[str, Any] = {
        _FIELD_PREFIX + key: FormField(CriterionForm, label=title) for key, title in criteria
    }
    fields["criterion_keys"] = tuple(key for key, _ in criteria)
    return type("RubricReviewForm", (ReviewForm,), fields)


def review_form(criteria: Iterable[tuple[str, str]], **kwargs: Any) -> ReviewForm:
    """A review form for ``criteria`` given as (key, title) pairs, in rubric order."""
    return _form_class(tuple(criteria))(**kwargs)


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool)


def json_formdata(payload: Any) -> ImmutableMultiDict[str, str] | None:
    """An autosave body as form data: a flat JSON object of field names and values, where a
    field with several values (the ticked annotations) has a list of them."""
    if not isinstance(payload, Mapping):
        return None
    items: list[tuple[str, str]] = []
    for name, value in payload.items():
        values = value if isinstance(value, list) else [value]
        items.extend((str(name), str(item)) for item in values if _scalar(item))
    return ImmutableMultiDict(items)


class NoteForm(FlaskForm):
    body = TextAreaField(
        "Your note",
        description="What you saw in the passages, and why you chose your level.",
        validators=[
            DataRequired("Write something before posting the note."),
            Length(max=COMMENT_MAX, message=f"Keep the note under {COMMENT_MAX:,} characters."),
        ],
    )
    post_note = SubmitField("Post note")


class ConsensusForm(FlaskForm):
    level = RadioField(
        "Agreed level",
        choices=LEVEL_CHOICES,
        validators=[InputRequired("Choose the agreed level, or “not visible in this vignette”.")],
    )
    dissent_note = TextAreaField(
        "Dissent (optional)",
        description="If someone still sees it differently, say how and why.",
        validators=[
            Optional(),
            Length(max=COMMENT_MAX, message=f"Keep the dissent under {COMMENT_MAX:,} characters."),
        ],
    )
    record = SubmitField("Record consensus")

    def level_input(self) -> int | None:
        return _level(self.level.data)[0]


class ScoresVisibilityForm(FlaskForm):
    visible = RadioField(
        "Who sees the scores of released reviews",
        choices=[
            SelectChoice("yes", "The group"),
            SelectChoice("no", "Only me, my reviewers and the facilitators"),
        ],
        validators=[InputRequired("Choose who sees your scores.")],
    )
    return_to = HiddenField()  # the page to come back to; checked with is_safe_next

    @property
    def is_visible(self) -> bool:
        return self.visible.data == "yes"


class DescriptorsForm(FlaskForm):
    """Whether the review form shows the level descriptors, remembered for the reviewer."""

    collapsed = RadioField(
        "Level descriptors",
        choices=[SelectChoice("1", "Collapsed"), SelectChoice("0", "Shown")],
        validators=[InputRequired()],
    )
    return_to = HiddenField()  # the page to come back to without JavaScript; is_safe_next
