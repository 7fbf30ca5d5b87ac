"""The signed-in sessions a person can see and end (Account → Sessions).

Each login gets a random key kept in its server-side session and a ``LoginSession`` row holding
the key's SHA-256. Every request checks the row: a session its owner ended, or one past the idle
or absolute lifetime, stops at once, whatever Redis or the session table still hold.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, g, has_request_context, request
from sqlalchemy import false, select, update

from supervision.extensions import db
from supervision.models import LoginSession, User
from supervision.models.types import utcnow
from supervision.notifications.services import unread_count_of

# last_seen_at is written at most this often: a page view is not a database write.
TOUCH_EVERY = timedelta(minutes=1)
PAGE_SIZE = 50
_LOGIN_ROWS = "_login_rows"  # g: the login session rows looked up with the user, by key


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def idle_limit() -> timedelta:
    return current_app.config["PERMANENT_SESSION_LIFETIME"]


def absolute_limit() -> timedelta:
    return timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])


def record_login(user: User) -> str:
    """A new row for this login; the key to keep in the session."""
    key = secrets.token_urlsafe(32)
    db.session.add(
        LoginSession(
            user_id=user.id,
            key_hash=_digest(key),
            ip_address=(request.remote_addr or "")[:45],
            user_agent=(request.user_agent.string or "")[:300],
        )
    )
    db.session.commit()  # the login itself is being committed: the row belongs to it
    return key


def _alive(row: LoginSession, now: datetime) -> bool:
    return (
        row.ended_at is None
        and row.last_seen_at + idle_limit() > now
        and row.created_at + absolute_limit() > now
    )


def user_with_login(user_id: int, key: object) -> User | None:
    """The user, with the login session holding ``key`` looked up in the same query (kept for
    ``check_and_touch`` in this request): one round trip where a signed-in page needed two."""
    login = (
        (LoginSession.user_id == User.id) & (LoginSession.key_hash == _digest(key))
        if isinstance(key, str) and key
        else false()
    )
    query = select(User, LoginSession).outerjoin(LoginSession, login).where(User.id == user_id)
    # A page's navigation shows the unread count: it rides along here rather than costing
    # every page view a round trip of its own. Other requests (forms, JSON) need none.
    with_unread = has_request_context() and request.method == "GET"
    if with_unread:
        query = query.add_columns(unread_count_of(user_id).label("unread"))
    row = db.session.execute(query).first()
    if row is None:
        return None
    g.setdefault(_LOGIN_ROWS, {})[key] = row.LoginSession
    if with_unread:
        g.unread_notifications = row.unread
    return row.User


def check_and_touch(user_id: int, key: object) -> bool:
    """Whether the session holding ``key`` may go on; marks it seen (at most once a minute)."""
    if not isinstance(key, str) or not key:
        return False
    known: dict[object, LoginSession | None] = g.get(_LOGIN_ROWS, {})
    if key in known:  # looked up with the user this request
        row = known[key]
    else:
        row = db.session.scalar(select(LoginSession).where(LoginSession.key_hash == _digest(key)))
    now = utcnow()
    if row is None or row.user_id != user_id or not _alive(row, now):
        return False
    if now - row.last_seen_at >= TOUCH_EVERY:
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.id == row.id)
            .values(last_seen_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    return True


def end_by_key(key: object) -> None:
    if isinstance(key, str) and key:
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.key_hash == _digest(key), LoginSession.ended_at.is_(None))
            .values(ended_at=utcnow())
            .execution_options(synchronize_session=False)
        )


def end_all(user: User, except_key: object = None) -> int:
    """End the user's sessions (all but the one holding ``except_key``); how many ended."""
    query = update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)
    )
    if isinstance(except_key, str) and except_key:
        query = query.where(LoginSession.key_hash != _digest(except_key))
    return db.session.execute(
        query.values(ended_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount


def end_one(user: User, session_id: int) -> bool:
    """End one of the user's own sessions; False when it is not theirs (the view says 404)."""
    return bool(
        db.session.execute(
            update(LoginSession)
            .where(
                LoginSession.id == session_id,
                LoginSession.user_id == user.id,
                LoginSession.ended_at.is_(None),
            )
            .values(ended_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
    )


@dataclass(frozen=True)
class SessionItem:
    id: int
    device: str
    ip_address: str
    created_at: datetime
    last_seen_at: datetime
    ends_at: datetime  # the sooner of idle and absolute expiry
    is_current: bool


def describe_device(user_agent: str) -> str:
    """ "Firefox on Linux": enough to recognise one's own devices, no more."""
    agent = user_agent or ""
    browser = next(
        (
            name
            for marker, name in (
                ("Edg/", "Edge"),
                ("OPR/", "Opera"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Chromium/", "Chromium"),
                ("Safari/", "Safari"),
            )
            if marker in agent
        ),
        "A browser" if agent else "Unknown device",
    )
    system = next(
        (
            name
            for marker, name in (
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Android", "Android"),
                ("Windows", "Windows"),
                ("Mac OS X", "macOS"),
                ("Linux", "Linux"),
            )
            if marker in agent
        ),
        "",
    )
    return f"{browser} on {system}" if system else browser


def active_sessions(user: User, current_key: object) -> list[SessionItem]:
    """The user's sessions still alive, the newest use first (one query; at most 50)."""
    now = utcnow()
    current_hash = _digest(current_key) if isinstance(current_key, str) else ""
    rows = db.session.scalars(
        select(LoginSession)
        .where(
            LoginSession.user_id == user.id,
            LoginSession.ended_at.is_(None),
            LoginSession.created_at > now - absolute_limit(),
            LoginSession.last_seen_at > now - idle_limit(),
        )
        .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())
        .limit(PAGE_SIZE)
    ).all()
    return [
        SessionItem(
            row.id,
            describe_device(row.user_agent),
            row.ip_address,
            row.created_at,
            row.last_seen_at,
            min(row.last_seen_at + idle_limit(), row.created_at + absolute_limit()),
            row.key_hash == current_hash,
        )
        for row in rows
    ]
