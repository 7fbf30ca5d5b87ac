"""Annotation forms: they validate and nothing else.

The rubric criteria a comment may name are the group's (passed in as choices); the services then
check the passage itself against the revision's text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import (
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.widgets import HiddenInput

from supervision.cases.sections import SECTION_KEYS, SECTIONS
from supervision.models.annotation import (
    ANNOTATION_BODY_MAX,
    QUOTE_MAX,
    AnnotationVisibility,
    ResponseKind,
)
from supervision.routing import DbIntegerField

NO_CRITERION = ""
VISIBILITY_CHOICES = [SelectChoice(v.value, v.label) for v in AnnotationVisibility]
RESPONSE_CHOICES = [SelectChoice(k.value, k.label) for k in ResponseKind]
# A section's plain text is at most SECTION_MAX characters of Markdown; offsets stay well below.
_OFFSET_MAX = 1_000_000


def _text(value: str | None) -> str:
    """The browser's CRLF line ends made plain newlines."""
    return (value or "").replace("\r\n", "\n")


def _body_field(label: str, description: str = "") -> TextAreaField:
    return TextAreaField(
        label,
        description=description,
        filters=[_text],
        validators=[
            DataRequired("Write a comment first."),
            Length(
                max=ANNOTATION_BODY_MAX,
                message=f"Keep it under {ANNOTATION_BODY_MAX:,} characters.",
            ),
        ],
    )


def criterion_choices(
    criteria: Iterable[tuple[str, str]], keep: str | None = None
) -> list[SelectChoice]:
    """ "No criterion" and the rubric's criteria; ``keep`` is an annotation's current key, kept
    as a choice even after the group's rubric dropped it (editing must not lose it silently)."""
    choices = [SelectChoice(NO_CRITERION, "No criterion")]
    choices += [SelectChoice(key, title) for key, title in criteria]
    if keep and all(choice.value != keep for choice in choices):
        choices.append(SelectChoice(keep, keep))
    return choices


class AnnotationFields(FlaskForm):
    """What the author of an annotation may set (and later edit)."""

    body = _body_field(
        "Comment", "Markdown works: *emphasis*, **strong**, lists. Stay specific and kind."
    )
    criterion_key = SelectField("Rubric criterion (optional)", choices=[], validate_choice=True)
    visibility = RadioField(
        "Who can read it",
        choices=VISIBILITY_CHOICES,
        validators=[InputRequired("Choose who can read it.")],
    )


class EditAnnotationForm(AnnotationFields):
    edit_version = DbIntegerField(widget=HiddenInput(), validators=[InputRequired()])


class CreateAnnotationForm(AnnotationFields):
    """The JSON body of POST /cases/<id>/annotations (CSRF comes in the X-CSRFToken header)."""

    revision = DbIntegerField("Revision", validators=[InputRequired(), NumberRange(min=1)])
    section = SelectField("Section", choices=[SelectChoice(key, key) for key in SECTION_KEYS])
    start = DbIntegerField("Start", validators=[InputRequired(), NumberRange(0, _OFFSET_MAX)])
    end = DbIntegerField("End", validators=[InputRequired(), NumberRange(1, _OFFSET_MAX)])
    # Not stripped or normalised: it must equal the section's text exactly.
    exact = StringField(
        "Selected text",
        validators=[
            DataRequired("Select the passage first."),
            Length(max=QUOTE_MAX, message=f"Select at most {QUOTE_MAX:,} characters."),
        ],
    )


class QuoteAnnotationForm(AnnotationFields):
    """Annotating without a script: name the section and copy the words."""

    section = SelectField(
        "Section", choices=[SelectChoice(section.key, section.label) for section in SECTIONS]
    )
    passage = TextAreaField(
        "The words you are commenting on",
        description="Copy them from the case exactly; a few words are enough if they occur "
        "only once in the section.",
        filters=[_text],
        validators=[
            DataRequired("Copy the words you want to comment on."),
            Length(max=QUOTE_MAX, message=f"Quote at most {QUOTE_MAX:,} characters."),
        ],
    )


class ReplyForm(FlaskForm):
    body = _body_field("Your reply")


class ResponseForm(FlaskForm):
    kind = RadioField(
        "Your answer",
        choices=RESPONSE_CHOICES,
        validators=[InputRequired("Choose an answer.")],
    )


def json_formdata(payload: Any) -> ImmutableMultiDict[str, str] | None:
    """A JSON object of field names and values as form data (None when it is not an object)."""
    if not isinstance(payload, Mapping):
        return None
    return ImmutableMultiDict(
        {
            str(name): str(value)
            for name, value in payload.items()
            if isinstance(value, str | int) and not isinstance(value, bool)
        }
    )
