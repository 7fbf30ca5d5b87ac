"""Second-factor forms: they validate and nothing else."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from supervision.passwords import PASSWORD_MAX

CODE_LABEL = "Code from your authenticator app"


def _code_field(label: str = CODE_LABEL, description: str = "") -> StringField:
    return StringField(
        label,
        description=description,
        validators=[DataRequired("Enter the code."), Length(max=40, message="That is too long.")],
    )


def _password_field() -> PasswordField:
    return PasswordField(
        "Your password, to confirm it is you",
        validators=[DataRequired("Enter your password to confirm."), Length(max=PASSWORD_MAX)],
    )


class ChallengeForm(FlaskForm):
    code = _code_field(
        "Code from your authenticator app, or a recovery code",
        "Six digits from the app, or one of the recovery codes you saved (it then stops working).",
    )


class SetupForm(FlaskForm):
    code = _code_field(description="The six digits the app shows after you add the account.")
    password = _password_field()


class ConfirmForm(FlaskForm):
    """Turning it off or renewing recovery codes: the password and a current code."""

    password = _password_field()
    code = _code_field("Code from your authenticator app, or a recovery code")


class StartSetupForm(FlaskForm):
    """Only the CSRF token: starting a set-up draws a new secret."""
