"""Agreement and credential forms: they validate and nothing else."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from supervision.agreements.sections import SECTIONS
from supervision.auth.reauth import password_field, second_factor_field, signature_field
from supervision.models import AGREEMENT_SECTION_KEYS
from supervision.models.agreement import AGREEMENT_SECTION_MAX
from supervision.models.credential import (
    CREDENTIAL_KIND_MAX,
    CREDENTIAL_NUMBER_MAX,
    JURISDICTION_MAX,
)


class SectionsForm(FlaskForm):
    """The text of an agreement version or of a group's template, one field per section."""

    edit_version = HiddenField()

    def sections(self) -> dict[str, str]:
        return {key: self[key].data or "" for key in AGREEMENT_SECTION_KEYS}

    def section_fields(self) -> list:  # type: ignore[type-arg]
        return [self[key] for key in AGREEMENT_SECTION_KEYS]


for _section in SECTIONS:
    _limit = Length(
        max=AGREEMENT_SECTION_MAX, message=f"Keep this under {AGREEMENT_SECTION_MAX:,} characters."
    )
    setattr(
        SectionsForm,
        _section.key,
        TextAreaField(
            _section.label,
            description=_section.hint,
            validators=(
                [DataRequired(f"Write something for “{_section.label}”."), _limit]
                if _section.required
                else [Optional(), _limit]
            ),
        ),
    )


class StartForm(FlaskForm):
    # The view checks the choice against the people listed, with its own message.
    other = SelectField(
        "Make the agreement with",
        validators=[DataRequired("Choose the other person.")],
        validate_choice=False,
    )


class SignForm(FlaskForm):
    edit_version = HiddenField()
    signature = signature_field()
    password = password_field()
    code = second_factor_field()  # asked only of those who have a second factor


class ProposeForm(FlaskForm):
    """Only the CSRF token: the new version starts as a copy of the newest one."""


class CredentialForm(FlaskForm):
    kind = StringField(
        "Type of licence or credential",
        description="For example: Licensed Professional Counselor-Supervisor (LPC-S).",
        validators=[
            DataRequired("Enter the type of licence or credential."),
            Length(
                max=CREDENTIAL_KIND_MAX,
                message=f"Keep this under {CREDENTIAL_KIND_MAX} characters.",
            ),
        ],
    )
    number = StringField(
        "Licence or registration number",
        validators=[
            DataRequired("Enter the number as it appears on the licence."),
            Length(
                max=CREDENTIAL_NUMBER_MAX,
                message=f"Keep this under {CREDENTIAL_NUMBER_MAX} characters.",
            ),
        ],
    )
    jurisdiction = StringField(
        "Jurisdiction or registering body",
        description="The state, country or body that issued it, e.g. Texas, or BACP.",
        validators=[
            DataRequired("Enter the jurisdiction or the body that issued it."),
            Length(max=JURISDICTION_MAX, message=f"Keep this under {JURISDICTION_MAX} characters."),
        ],
    )
    expires_on = DateField(
        "Expiry date (optional)",
        description="Leave empty if it does not expire. Format: YYYY-MM-DD.",
        validators=[Optional()],
        format="%Y-%m-%d",
        invalid_value_message="Enter the date as year-month-day, e.g. 2027-06-30.",
    )

    def validate_expires_on(self, field: DateField) -> None:
        if field.data is not None and not (date(1900, 1, 1) <= field.data <= date(2999, 12, 31)):
            raise ValidationError("Enter a real expiry date, e.g. 2027-06-30.")


class RemoveForm(FlaskForm):
    """Only the CSRF token."""
