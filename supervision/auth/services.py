"""Account services: plain verbs that flush and never commit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app, url_for
from sqlalchemy import func, select, update

from supervision.audit.trail import note
from supervision.audit.trail import record as audit_record  # "record" names reset links here
from supervision.auth.login_sessions import end_all as end_all_login_sessions
from supervision.auth.reauth import ReauthError, confirm_identity
from supervision.extensions import db
from supervision.mail.services import queue_mail
from supervision.models import PasswordResetToken, User
from supervision.models.types import utcnow
from supervision.models.user import new_session_token
from supervision.passwords import hash_password, needs_rehash, password_problem, verify_password

RESET_LINK_ENDED = (
    "This reset link no longer works: it has expired, it was already used, or the password "
    "was changed since it was sent. Ask for a new one."
)

# Verifying against this when the email is unknown keeps login time the same either way.
_DUMMY_HASH = hash_password(secrets.token_hex(16))


class AccountError(ValueError):
    """A rule about accounts was broken; the message is safe to show to the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def normalize_email(email: str) -> str:
    """Lower-cased, IDNA-normalized email, so the same mailbox is one account."""
    try:
        normalized = validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise AccountError(str(error), field="email") from error
    return normalized.lower()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_user_by_email(email: str) -> User | None:
    try:
        normalized = normalize_email(email)
    except AccountError:
        return None
    return db.session.scalar(select(User).where(func.lower(User.email) == normalized))


def check_new_password(password: str, *, email: str = "", display_name: str = "") -> None:
    problem = password_problem(password, email=email, display_name=display_name)
    if problem:
        raise AccountError(problem, field="password")


def register_user(email: str, display_name: str, password: str) -> User:
    email = normalize_email(email)
    display_name = " ".join(display_name.split())
    if not display_name:
        raise AccountError("Enter a display name.", field="display_name")
    if find_user_by_email(email) is not None:
        raise AccountError(
            "An account with this email address already exists. Log in, or reset the password.",
            field="email",
        )
    check_new_password(password, email=email, display_name=display_name)
    user = User(email=email, display_name=display_name, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None. Upgrades the hash when parameters changed."""
    user = find_user_by_email(email)
    if user is None:
        verify_password(_DUMMY_HASH, password)
        note("login_failed", detail={"reason": "unknown_account"})  # never the typed address
        return None
    if not verify_password(user.password_hash, password) or user.is_disabled:
        reason = "disabled" if user.is_disabled else "wrong_password"
        note("login_failed", "users", user.id, subject_id=user.id, detail={"reason": reason})
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Set a new password; end every other session and every outstanding reset link."""
    check_new_password(password, email=user.email, display_name=user.display_name)
    user.password_hash = hash_password(password)
    user.must_change_password = False
    user.session_token = new_session_token()
    end_all_login_sessions(user)  # the caller starts a new one for this browser, if any
    # A link asked for before this change must not undo it (used_at also means "ended").
    db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.flush()


def _reauthenticate(user: User, password: str, code: str, password_field: str) -> None:
    """The password again (and a current code, for whoever has a second factor)."""
    try:
        confirm_identity(user, password, code)
    except ReauthError as error:
        if error.field == "password":
            raise AccountError("Your current password is not correct.", password_field) from None
        raise AccountError(str(error), field=error.field) from None


def change_password(user: User, current_password: str, new_password: str, code: str = "") -> None:
    _reauthenticate(user, current_password, code, "current_password")
    if current_password == new_password:
        raise AccountError("Choose a password different from the current one.", field="password")
    set_password(user, new_password)
    audit_record("password_changed", "users", user.id, subject_id=user.id)


def change_email(user: User, new_email: str, password: str, code: str = "") -> str:
    """Move the account to ``new_email`` after the password (and second factor) again; every
    session ends (the caller starts a new one for this browser) and the old address is told.
    Returns the old address."""
    email = normalize_email(new_email)
    if email == user.email.lower():
        raise AccountError("That is already your email address.", field="email")
    if find_user_by_email(email) is not None:
        raise AccountError("Another account already uses this email address.", field="email")
    _reauthenticate(user, password, code, "password")
    old = user.email
    user.email = email
    user.session_token = new_session_token()
    end_all_login_sessions(user)
    queue_mail(old, "Your Attune email address was changed", "email_changed", user=user)
    db.session.flush()
    return old


def request_password_reset(email: str) -> None:
    """Queue a reset link if the account exists; say nothing either way (no account probing)."""
    user = find_user_by_email(email)
    if user is None or user.is_disabled:
        return
    audit_record("password_reset_requested", "users", user.id, subject_id=user.id)
    token = secrets.token_urlsafe(32)
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    db.session.add(
        PasswordResetToken(
            user=user, token_hash=token_digest(token), expires_at=utcnow() + timedelta(hours=hours)
        )
    )
    link = current_app.config["BASE_URL"].rstrip("/") + url_for("auth.reset_link", token=token)
    queue_mail(
        user.email,
        "Reset your Attune password",
        "password_reset",
        secret_link=link,
        user=user,
        hours=hours,
    )


def _usable(record: PasswordResetToken | None) -> PasswordResetToken | None:
    if record is None or record.used_at is not None or record.expires_at <= utcnow():
        return None
    return record


def usable_reset_token(token: str) -> PasswordResetToken | None:
    """The reset link's record for the token from an emailed link, if it still works."""
    return _usable(
        db.session.scalar(
            select(PasswordResetToken).where(PasswordResetToken.token_hash == token_digest(token))
        )
    )


def usable_reset(record_id: int | None) -> PasswordResetToken | None:
    """The reset link opened in this browser (held by id in the session), if it still works."""
    if record_id is None:
        return None
    return _usable(db.session.get(PasswordResetToken, record_id))


def reset_password(record: PasswordResetToken, new_password: str) -> User:
    """Use this link to set a new password; it and every other link of the account end."""
    # Claim the link first, so two requests with the same link cannot both reset (a refused
    # password raises in set_password and the view's rollback gives the link back).
    claimed = db.session.execute(
        update(PasswordResetToken)
        .where(
            PasswordResetToken.id == record.id,
            PasswordResetToken.used_at.is_(None),
            PasswordResetToken.expires_at > utcnow(),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise AccountError(RESET_LINK_ENDED)
    set_password(record.user, new_password)
    user = record.user
    audit_record("password_reset", "users", user.id, subject_id=user.id, actor=user.id)
    return user


def create_admin(email: str, display_name: str | None = None) -> tuple[User, str]:
    """A site admin with a one-time password that must be changed at first login."""
    email = normalize_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError(f"An account for {email} already exists.", field="email")
    one_time = secrets.token_urlsafe(15)
    user = User(
        email=email,
        display_name=display_name or email.split("@")[0],
        password_hash=hash_password(one_time),
        is_site_admin=True,
        must_change_password=True,
    )
    db.session.add(user)
    db.session.flush()
    return user, one_time
