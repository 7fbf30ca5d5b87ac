"""Discussion forms: they validate and nothing else."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from supervision.models.discussion import HIDE_REASON_MAX, POST_MAX, THREAD_TITLE_MAX
from supervision.routing import DbIntegerField

BODY_HINT = (
    "Markdown works: **bold**, *italic*, > quote, - list. Mention someone with @ and their full "
    "name. No client-identifying details."
)
REPLY_BEFORE_READ_HINT = (
    "Each member sees the other replies only after posting their own, so every first opinion is "
    "independent. Facilitators and the thread's starter always see everything; a locked thread "
    "shows every reply to everyone."
)


def _text(value: str | None) -> str:
    """The browser's CRLF line ends made plain newlines."""
    return (value or "").replace("\r\n", "\n")


def _body_field(label: str = "Your post") -> TextAreaField:
    return TextAreaField(
        label,
        description=BODY_HINT,
        filters=[_text],
        validators=[
            DataRequired("Write something first: the post is empty."),
            Length(max=POST_MAX, message=f"Keep a post under {POST_MAX:,} characters."),
        ],
    )


class ThreadForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[
            DataRequired("Give the thread a title."),
            Length(
                max=THREAD_TITLE_MAX,
                message=f"Keep the title under {THREAD_TITLE_MAX} characters.",
            ),
        ],
    )
    body = _body_field("Opening post")
    reply_before_read = BooleanField("Reply before you read", description=REPLY_BEFORE_READ_HINT)


class PostForm(FlaskForm):
    body = _body_field()
    reply_to = DbIntegerField(widget=HiddenInput(), validators=[Optional()])


class EditPostForm(FlaskForm):
    body = _body_field("Text")
    edit_version = DbIntegerField(
        widget=HiddenInput(),
        validators=[InputRequired("The form is missing its version. Reload the page.")],
    )


class HideForm(FlaskForm):
    reason = TextAreaField(
        "Reason",
        description="The group sees this reason in place of the post. Keep it kind and brief.",
        validators=[
            DataRequired("Say why the post is hidden: the group sees the reason."),
            Length(
                max=HIDE_REASON_MAX,
                message=f"Keep the reason under {HIDE_REASON_MAX} characters.",
            ),
        ],
    )


class SwitchForm(FlaskForm):
    """Turn a thread's lock or pin on or off."""

    state = HiddenField(validators=[AnyOf(["on", "off"], message="Choose on or off.")])


class ThreadSettingsForm(FlaskForm):
    reply_before_read = BooleanField("Reply before you read", description=REPLY_BEFORE_READ_HINT)
