"""Re-authentication and signatures: the one place that says a person is who they claim.

Signing a record (an agreement, a meeting entry, an evaluation) asks for the signer's typed
name and their password again, whatever the age of the session: a signature made from an
unattended, logged-in browser would mean nothing. Issue 12 adds the second factor here.
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


def confirm_identity(user: User, password: str) -> None:
    """Raise ``ReauthError`` unless ``password`` is the user's current password."""
    if not password or not verify_password(user.password_hash, password):
        raise ReauthError("That password is not correct.", field="password")


def sign(user: User, typed_name: str, password: str) -> Signature:
    """Check the password and that the typed name is the account's name; return the
    signature to store. Nothing is written here: the caller stores it with the record."""
    confirm_identity(user, password)
    typed = " ".join((typed_name or "").split())
    if not typed or _folded(typed) != _folded(user.display_name):
        raise ReauthError(
            f"Type your name as it appears on your account: {user.display_name}.",
            field="signature",
        )
    return Signature(typed_name=typed[:DISPLAY_NAME_MAX], signed_at=utcnow())
