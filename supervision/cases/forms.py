"""Case forms: they validate and nothing else."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from supervision.cases.privacy import PASSAGE_MAX
from supervision.cases.sections import DISGUISE_CHECKLIST, SECTIONS
from supervision.models.case import NOTE_MAX, REASON_MAX, SECTION_MAX, TITLE_MAX
from supervision.routing import DbIntegerField


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _section_field(key: str) -> TextAreaField:
    section = next(s for s in SECTIONS if s.key == key)
    return TextAreaField(
        section.label,
        description=section.guidance,
        validators=[Optional(), Length(max=SECTION_MAX)],
    )


class CaseForm(FlaskForm):
    title = StringField(
        "Title",
        description="A few words about the moment, not the client (e.g. “A gift at the last "
        "session”).",
        validators=[DataRequired("Give the case a title."), Length(max=TITLE_MAX)],
    )
    context = _section_field("context")
    client = _section_field("client")
    moment = _section_field("moment")
    reactions = _section_field("reactions")
    question = _section_field("question")
    edit_version = HiddenField()

    def sections(self) -> dict[str, str]:
        return {s.key: getattr(self, s.key).data or "" for s in SECTIONS}


class ShareForm(FlaskForm):
    checklist = MultiCheckboxField(
        "Disguise checklist",
        description="Confirm each one. The scanner cannot catch these.",
        choices=[SelectChoice(item.key, item.label) for item in DISGUISE_CHECKLIST],
    )
    altered_note = TextAreaField(
        "What I altered",
        description="What you changed to disguise the client, and whether it matters "
        "clinically (e.g. “Changed occupation from nurse to teacher; the caring role matters, "
        "the field does not”).",
        validators=[Optional(), Length(max=NOTE_MAX)],
    )


class ResolveFindingForm(FlaskForm):
    section = HiddenField(validators=[InputRequired()])
    kind = HiddenField(validators=[InputRequired()])
    text = HiddenField(validators=[InputRequired(), Length(max=300)])
    revision = DbIntegerField(validators=[InputRequired()])
    reason = StringField(
        "Why it is not identifying",
        description="For example: a pseudonym, a theorist's name, a fictional detail.",
        validators=[DataRequired("Give a reason."), Length(max=REASON_MAX)],
    )


class ReplaceFindingForm(FlaskForm):
    """The "change it" answer: put other words in place of one occurrence the scanner found."""

    section = HiddenField(validators=[InputRequired()])
    start = DbIntegerField(validators=[InputRequired()])
    original = HiddenField(validators=[InputRequired(), Length(max=300)])
    digest = HiddenField(validators=[InputRequired(), Length(max=64)])
    revision = DbIntegerField(validators=[InputRequired()])
    replacement = StringField(
        "Replace with",
        validators=[
            DataRequired("Type what should stand in its place (for example a pseudonym)."),
            Length(max=300, message="Keep the replacement under 300 characters."),
        ],
    )


class FlagForm(FlaskForm):
    passage = TextAreaField(
        "Passage (optional)",
        description="Copy the words that could identify the client, or leave empty to flag "
        "the whole case.",
        validators=[Optional(), Length(max=PASSAGE_MAX)],
    )
    reason = StringField(
        "What could identify the client",
        validators=[DataRequired("Say what could identify the client."), Length(max=REASON_MAX)],
    )


class RedactForm(FlaskForm):
    passage = TextAreaField(
        "Passage to redact",
        description="The exact words. They are replaced by [redacted] in every revision.",
        validators=[DataRequired("Give the passage to redact."), Length(max=PASSAGE_MAX)],
    )


class CaseFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    status = StringField(validators=[Optional(), Length(max=20)])
    author = DbIntegerField(validators=[Optional()])
