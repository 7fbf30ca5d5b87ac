"""Account forms: they validate and nothing else."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from supervision.auth.reauth import password_field, second_factor_field
from supervision.models.user import DISPLAY_NAME_MAX, EMAIL_MAX
from supervision.passwords import PASSWORD_MAX, PASSWORD_MIN

PASSWORD_HINT = (
    f"At least {PASSWORD_MIN} characters. A few unrelated words are easy to remember and hard "
    "to guess."
)


def _email_field(label: str = "Email address") -> EmailField:
    return EmailField(
        label,
        validators=[
            DataRequired("Enter your email address."),
            Length(max=EMAIL_MAX),
            Email("Enter an email address like name@example.org.", check_deliverability=False),
        ],
    )


def _new_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        description=PASSWORD_HINT,
        validators=[
            DataRequired("Choose a password."),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=f"Use between {PASSWORD_MIN} and {PASSWORD_MAX} characters.",
            ),
        ],
    )


def _confirm_field() -> PasswordField:
    return PasswordField(
        "Repeat the new password",
        validators=[
            DataRequired("Repeat the password."),
            EqualTo("password", "The two passwords do not match."),
        ],
    )


class RegisterForm(FlaskForm):
    email = _email_field()
    display_name = StringField(
        "Display name",
        description="How colleagues in your groups will see you, e.g. “Dr. Sam Okoye” or “Sam O.”.",
        validators=[DataRequired("Enter a display name."), Length(max=DISPLAY_NAME_MAX)],
    )
    password = _new_password_field("Password")
    confirm = _confirm_field()


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password."), Length(max=PASSWORD_MAX)]
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password."), Length(max=PASSWORD_MAX)],
    )
    password = _new_password_field("New password")
    confirm = _confirm_field()
    code = second_factor_field()


class ChangeEmailForm(FlaskForm):
    email = _email_field("New email address")
    password = password_field()
    code = second_factor_field()


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password = _new_password_field("New password")
    confirm = _confirm_field()
