"""Meeting forms: they validate and nothing else (the rules are the services')."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from supervision.auth.reauth import password_field, second_factor_field, signature_field
from supervision.cases.forms import MultiCheckboxField
from supervision.meetings.services import MeetingInput
from supervision.models import MeetingFormat, MeetingModality, ReviewedWork
from supervision.models.meeting import DURATION_MAX, DURATION_MIN, MEETING_TEXT_MAX
from supervision.routing import DbIntegerField, form_int, parse_int


def _ids(values: list[str] | None) -> list[int]:
    return [number for number in (parse_int(v) for v in values or []) if number is not None]


class CalmDateField(DateField):
    """A date field whose unreadable input says what is wanted."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Give a date as year-month-day, for example 2026-03-03.") from None


class MinutesField(DbIntegerField):
    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Give the length in minutes, as a whole number.") from None


class MeetingForm(FlaskForm):
    held_on = CalmDateField(
        "Date held",
        validators=[InputRequired("Give the date the meeting was held.")],
        description="As on a calendar: year, month, day.",
    )
    duration_minutes = MinutesField(
        "Length in minutes",
        validators=[InputRequired("Give the length in minutes, as a whole number.")],
        description=f"Between {DURATION_MIN} and {DURATION_MAX} minutes.",
    )
    format = RadioField(
        "Format",
        choices=[SelectChoice(f.value, f.label) for f in MeetingFormat],
        validators=[InputRequired("Choose the format.")],
        description="Individual: one supervisee. Triadic: two. Group: three or more.",
    )
    modality = RadioField(
        "How you met",
        choices=[SelectChoice(m.value, m.label) for m in MeetingModality],
        validators=[InputRequired("Choose how you met.")],
    )
    reviewed_work = RadioField(
        "Work reviewed",
        choices=[SelectChoice(r.value, r.label) for r in ReviewedWork],
        default=ReviewedWork.NONE.value,
        validators=[InputRequired("Choose whether live or recorded work was reviewed.")],
    )
    supervisor = SelectField(
        "Supervisor", validators=[InputRequired("Choose the supervisor.")], choices=[]
    )
    attendees = MultiCheckboxField("Supervisees who attended", choices=[])
    cases = MultiCheckboxField(
        "Cases discussed (optional)",
        choices=[],
        description="Only cases of this group that you can open are listed.",
    )
    notes = TextAreaField(
        "Notes (optional)",
        validators=[Optional(), Length(max=MEETING_TEXT_MAX)],
        description="Markdown. No client identifiers: link cases instead of retelling them.",
    )
    follow_up = TextAreaField(
        "Follow-up actions (optional)",
        validators=[Optional(), Length(max=MEETING_TEXT_MAX)],
    )
    edit_version = HiddenField()

    def validate_held_on(self, field: DateField) -> None:
        if field.data is not None and field.data.year < 2000:
            raise ValidationError("Give the date the meeting was held, from 2000 on.")

    def validate_attendees(self, field: MultiCheckboxField) -> None:
        if not field.data:
            raise ValidationError("Choose who attended.")

    def to_input(self) -> MeetingInput:
        held_on: date = self.held_on.data  # type: ignore[assignment]
        return MeetingInput(
            held_on=held_on,
            duration_minutes=int(self.duration_minutes.data or 0),
            format=MeetingFormat(self.format.data),
            modality=MeetingModality(self.modality.data),
            reviewed_work=ReviewedWork(self.reviewed_work.data),
            supervisor_id=form_int(self.supervisor.data),
            attendee_ids=_ids(self.attendees.data),
            case_ids=_ids(self.cases.data),
            notes=self.notes.data or "",
            follow_up=self.follow_up.data or "",
        )


class SignForm(FlaskForm):
    signature = signature_field()
    password = password_field()
    code = second_factor_field()  # asked only of those who have a second factor
    edit_version = HiddenField()


class CorrectForm(FlaskForm):
    """Only the CSRF token: "correct this entry" carries no content."""


class PeriodForm(FlaskForm):
    """The period of the hours pages, read from the query string."""

    class Meta:
        csrf = False

    start = CalmDateField("From", validators=[Optional()])
    end = CalmDateField("To", validators=[Optional()])

    def validate_end(self, field: DateField) -> None:
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError("The end of the period comes before its start.")
