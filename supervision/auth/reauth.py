"""Re-authentication and signatures: the one place that says a person is who they claim.

Signing a record (an agreement, a meeting entry, an evaluation) asks for the signer's typed
name and their password again, whatever the age of the session: a signature made from an
unattended, logged-in browser would mean nothing. Whoever has a second factor gives a
current code too (``second_factor_field``; a form without one cannot sign for them).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from supervision.models.types import utcnow
from supervision.models.user import DISPLAY_NAME_MAX, User
from supervision.passwords import PASSWORD_MAX, verify_password
from supervision.two_factor.services import has_second_factor, verify

REAUTH_LABEL = "Your password, to confirm it is you"
SIGNATURE_LABEL = "Type your name to sign"


class ReauthError(ValueError):
    """What the signer must correct; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Signature:
    """What a record stores of a signature: the typed name and the moment."""

    typed_name: str
    signed_at: datetime


def password_field() -> PasswordField:
    return PasswordField(
        REAUTH_LABEL,
        validators=[DataRequired("Enter your password to confirm."), Length(max=PASSWORD_MAX)],
    )


def second_factor_field() -> StringField:
    """Asked of everyone, used only for those who have a second factor (left empty by the
    others: the template says so)."""
    return StringField(
        "Code from your authenticator app (if you use one)",
        validators=[Length(max=40)],
        render_kw={"autocomplete": "one-time-code"},
    )


def signature_field() -> StringField:
    return StringField(
        SIGNATURE_LABEL,
        description="Your name as it appears on your account.",
        validators=[DataRequired("Type your name to sign."), Length(max=DISPLAY_NAME_MAX)],
    )


def _folded(name: str) -> str:
    # Case, accents and spacing are not what makes a signature: "dr  sam okoye" signs
    # for "Dr. Sam Okoye" only if the letters agree, so punctuation is dropped too.
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(ch for ch in decomposed if ch.isalnum() or ch.isspace())
    return " ".join(letters.casefold().split())


def confirm_identity(user: User, password: str, code: str = "") -> None:
    """Raise ``ReauthError`` unless ``password`` is the user's current password and, for
    someone with a second factor, ``code`` is a current code (or an unused recovery code)."""
    if not password or not verify_password(user.password_hash, password):
        raise ReauthError("That password is not correct.", field="password")
    if has_second_factor(user):
        if not (code or "").strip():
            raise ReauthError("Enter the code from your authenticator app.", field="code")
        if not verify(user, code):
            raise ReauthError("That code is not right, or was used already.", field="code")


def sign(user: User, typed_name: str, password: str, code: str = "") -> Signature:
    """Check the password (and second factor) and that the typed name is the account's name;
    return the signature to store. The caller stores it with the record."""
    confirm_identity(user, password, code)
    typed = " ".join((typed_name or "").split())
    if not typed or _folded(typed) != _folded(user.display_name):
        raise ReauthError(
            f"Type your name as it appears on your account: {user.display_name}.",
            field="signature",
        )
    return Signature(typed_name=typed[:DISPLAY_NAME_MAX], signed_at=utcnow())
