"""The site admin's filters over the trail, read from the query string."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import Length, NumberRange, Optional, Regexp, ValidationError

from supervision.models.audit import AuditEntry
from supervision.models.user import EMAIL_MAX
from supervision.routing import DbIntegerField

_CODE = r"^[a-z_]*$"  # actions and object types are lower-case words joined by "_"


class _DateField(DateField):
    """A date whose unreadable input says what is wanted."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Give a date as year-month-day, for example 2026-03-03.") from None


class _GroupField(DbIntegerField):
    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Give a group's number, for example 12.") from None


class FilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: it changes nothing

    person = StringField(
        "Person (email)",
        description="What this person did.",
        validators=[Optional(), Length(max=EMAIL_MAX, message="That address is too long.")],
    )
    action = StringField(
        "Action",
        validators=[
            Optional(),
            Length(max=AuditEntry.action.type.length, message="That action name is too long."),
            Regexp(_CODE, message="An action is a word such as read, login_failed or denied."),
        ],
    )
    object_type = StringField(
        "Object type",
        validators=[
            Optional(),
            Length(max=AuditEntry.object_type.type.length, message="That type is too long."),
            Regexp(_CODE, message="An object type is a table name such as cases or users."),
        ],
    )
    group = _GroupField(
        "Group number",
        validators=[Optional(), NumberRange(min=1, message="A group's number is 1 or more.")],
    )
    since = _DateField("From", validators=[Optional()])
    until = _DateField("To", validators=[Optional()])

    def validate_until(self, field: DateField) -> None:
        if self.since.data and field.data and field.data < self.since.data:
            raise ValidationError("The end of the period comes before its start.")

    def cleaned(self, name: str) -> str | None:
        value = (self[name].data or "").strip()
        return value or None
