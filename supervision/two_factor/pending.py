"""A login waiting for its second factor, held in the server-side session.

The password step leaves only the user's id, their session token (so a password change in
between voids it), the moment, and where to go next; the person is not signed in until the
code is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import session

from supervision.extensions import db
from supervision.models import User
from supervision.models.types import utcnow

_KEY = "second_factor_pending"
PENDING_MINUTES = 5
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class PendingLogin:
    user: User
    next_url: str


def begin(user: User, next_url: str) -> None:
    session[_KEY] = {
        "user_id": user.id,
        "token": user.session_token,
        "at": utcnow().isoformat(),
        "next": next_url,
        "attempts": 0,
    }


def current() -> PendingLogin | None:
    """The pending login, or None when there is none, it is older than five minutes, too
    many codes were tried, or the account changed since the password step."""
    held = session.get(_KEY)
    if not isinstance(held, dict):
        return None
    try:
        started = datetime.fromisoformat(held["at"])
        user = db.session.get(User, int(held["user_id"]))
    except (KeyError, TypeError, ValueError):
        forget()
        return None
    if (
        user is None
        or user.is_disabled
        or user.session_token != held.get("token")
        or started + timedelta(minutes=PENDING_MINUTES) <= utcnow()
        or int(held.get("attempts", 0)) >= MAX_ATTEMPTS
    ):
        forget()
        return None
    return PendingLogin(user, str(held.get("next") or "/"))


def count_failure() -> int:
    """Record a wrong code; how many tries are left."""
    held = dict(session.get(_KEY) or {})
    held["attempts"] = int(held.get("attempts", 0)) + 1
    session[_KEY] = held
    return MAX_ATTEMPTS - held["attempts"]


def forget() -> None:
    session.pop(_KEY, None)
