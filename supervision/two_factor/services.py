"""The second factor's rules. Services flush and never commit; the views commit."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from sqlalchemy import exists, select, update

from supervision.extensions import db
from supervision.models import Membership, RecoveryCode, Role, TotpCredential, User
from supervision.models.types import utcnow

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
STEP_SECONDS = 30


class SecondFactorError(ValueError):
    """What the person must correct; ``field`` names the form field."""

    def __init__(self, message: str, field: str = "code") -> None:
        super().__init__(message)
        self.field = field


def _cipher() -> Fernet:
    # A key of its own, derived from SECRET_KEY (as the outbox's sealed links are).
    secret = str(current_app.config["SECRET_KEY"]).encode()
    key = hashlib.sha256(b"attune.totp-secret\0" + secret).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    issuer = current_app.config["TWO_FACTOR_ISSUER"]
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code, drawn here: no third party sees the secret."""
    return segno.make(uri, error="m").svg_inline(
        scale=5, dark="#1f2933", light="#ffffff", title="QR code for your authenticator app"
    )


def credential_of(user: User) -> TotpCredential | None:
    return db.session.scalar(select(TotpCredential).where(TotpCredential.user_id == user.id))


def has_second_factor(user: User) -> bool:
    return bool(db.session.scalar(select(exists().where(TotpCredential.user_id == user.id))))


def is_required_for(user: User) -> bool:
    """Site admins always; supervisors and facilitators where the instance says so."""
    if user.is_site_admin:
        return True
    roles = current_app.config["TWO_FACTOR_ROLES"]
    if not roles:
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Membership.user_id == user.id, Membership.role.in_([Role(r) for r in roles])
                )
            )
        )
    )


def _matching_step(secret: str, code: str, now: float) -> int | None:
    """The 30-second step whose code is ``code``, allowing one step of clock drift."""
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def _digits(code: str) -> str:
    return "".join((code or "").split())


def _recovery_digest(code: str) -> str:
    normal = "".join(ch for ch in (code or "").lower() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        code = f"{raw[:5]}-{raw[5:]}"
        codes.append(code)
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_recovery_digest(code)))
    return codes


def recovery_codes_left(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def enable(user: User, secret: str, code: str, now: float | None = None) -> list[str]:
    """Turn the second factor on once a code from the new secret proves the app has it;
    return the recovery codes (shown once)."""
    if has_second_factor(user):
        raise SecondFactorError("A second factor is already set up for your account.")
    step = _matching_step(secret, _digits(code), time.time() if now is None else now)
    if step is None:
        raise SecondFactorError(
            "That code does not match. Check the time on your phone and enter the newest code."
        )
    db.session.add(
        TotpCredential(
            user_id=user.id,
            secret_sealed=_cipher().encrypt(secret.encode()).decode(),
            last_used_step=step,
        )
    )
    codes = _new_recovery_codes(user)
    db.session.flush()
    return codes


def verify(user: User, code: str, now: float | None = None) -> bool:
    """True for a current, unused TOTP code or an unused recovery code (which is then used
    up). The step of an accepted TOTP code is recorded so the same code cannot be replayed."""
    credential = credential_of(user)
    if credential is None:
        return False
    digits = _digits(code)
    if digits.isdigit() and len(digits) == 6:
        try:
            secret = _cipher().decrypt(credential.secret_sealed.encode()).decode()
        except InvalidToken:  # SECRET_KEY changed: the app's codes can no longer be checked
            return False
        step = _matching_step(secret, digits, time.time() if now is None else now)
        if step is None or step <= credential.last_used_step:
            return False
        claimed = db.session.execute(
            update(TotpCredential)
            .where(TotpCredential.id == credential.id, TotpCredential.last_used_step < step)
            .values(last_used_step=step)
            .execution_options(synchronize_session=False)
        ).rowcount
        return claimed == 1
    used = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_digest(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    return used == 1


def regenerate_recovery_codes(user: User) -> list[str]:
    codes = _new_recovery_codes(user)
    db.session.flush()
    return codes


def disable(user: User) -> None:
    """Remove the factor and its recovery codes. Where it is required, the next page asks
    for a new one at once (views.require_second_factor): that is how a phone is replaced."""
    db.session.execute(TotpCredential.__table__.delete().where(TotpCredential.user_id == user.id))
    db.session.execute(RecoveryCode.__table__.delete().where(RecoveryCode.user_id == user.id))
    db.session.flush()
