"""Emergency access forms: they validate and nothing else."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from supervision.auth.reauth import password_field, second_factor_field
from supervision.models.emergency import (
    HOURS_DEFAULT,
    HOURS_MAX,
    HOURS_MIN,
    REASON_MAX,
    REASON_MIN,
)


class HoursField(IntegerField):
    """Whole hours; anything else is answered in words a person can act on."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(
                f"Enter the number of hours as a whole number, {HOURS_MIN} to {HOURS_MAX}."
            ) from None


class OpenGrantForm(FlaskForm):
    group_id = SelectField(
        "Group",
        coerce=int,
        validators=[InputRequired("Choose the group.")],
        validate_choice=True,
    )
    reason = TextAreaField(
        "Why you need to read this group",
        description=(
            f"Between {REASON_MIN} and {REASON_MAX} characters. Its facilitators read this at "
            "once, with your name and the time it ends."
        ),
        validators=[
            DataRequired("Write why you need access."),
            Length(
                min=REASON_MIN,
                max=REASON_MAX,
                message=f"Write the reason in {REASON_MIN} to {REASON_MAX} characters.",
            ),
        ],
    )
    hours = HoursField(
        "For how many hours",
        default=HOURS_DEFAULT,
        description=f"Between {HOURS_MIN} and {HOURS_MAX}. It ends by itself after that.",
        validators=[
            InputRequired("Enter a number of hours."),
            NumberRange(
                min=HOURS_MIN,
                max=HOURS_MAX,
                message=f"Choose between {HOURS_MIN} and {HOURS_MAX} hours.",
            ),
        ],
    )
    password: PasswordField = password_field()
    code: StringField = second_factor_field()


class EndGrantForm(FlaskForm):
    """Only the CSRF token: ending a grant asks nothing more."""
