"""Server-side sessions through Flask-Session: Redis when configured, else our own table.

Flask-Session's bundled SQLAlchemy backend creates its table at start-up (outside our
migrations) and commits the request's database session; this backend keeps the store in a
migrated table and writes through its own connection so it never commits a view's work. It
reads through the request's own database session (a read commits nothing), so a page takes one
pooled connection, not three.

Flask-Session stores the session (and sets the cookie) on every request to slide the idle
expiry: a write per page view. Here an unchanged session is stored again only when its stored
copy is older than ``REFRESH_EVERY``, so the idle timeout slides by the minute, as the login
session's ``last_seen_at`` does (``supervision.auth.login_sessions``).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flask import Flask, Response
from flask_session.base import ServerSideSession, ServerSideSessionInterface
from flask_session.redis import RedisSessionInterface
from redis import Redis
from sqlalchemy import delete, insert, select, update

from supervision.extensions import db
from supervision.models import ServerSession
from supervision.models.types import utcnow

# What the ids we hand out look like (prefix and token_urlsafe); a cookie carrying anything else
# (a NUL, which PostgreSQL refuses, or junk) names no session and starts a fresh one.
_STORE_ID = re.compile(r"session:[A-Za-z0-9_-]{16,128}")

# An unchanged session is stored again (its idle expiry moved on) at most this often.
REFRESH_EVERY = timedelta(minutes=1)
# The session key holding when the store last wrote this session (seconds since the epoch).
STORED_AT = "_stored_at"
# Keys that alone make a session empty (Flask-Session marks every new session permanent).
_BOOKKEEPING = {STORED_AT, "_permanent"}


class RefreshSparingly(ServerSideSessionInterface):
    """Store a session when it changed, or when its stored copy is older than REFRESH_EVERY;
    the cookie is set again only when the session is stored."""

    def _due(self, session: ServerSideSession) -> bool:
        stored_at = session.get(STORED_AT)
        if not isinstance(stored_at, int | float):
            return True
        return utcnow().timestamp() - stored_at >= REFRESH_EVERY.total_seconds()

    def should_set_storage(self, app: Flask, session: Any) -> bool:
        return bool(session.modified) or (
            super().should_set_storage(app, session) and self._due(session)
        )

    def should_set_cookie(self, app: Flask, session: Any) -> bool:
        return self.should_set_storage(app, session)

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        if set(session) <= _BOOKKEEPING:
            session.pop(STORED_AT, None)  # nothing else is kept: an empty session, not stored
        elif self.should_set_storage(app, session):
            session[STORED_AT] = int(utcnow().timestamp())
        super().save_session(app, session, response)


class RedisSessions(RefreshSparingly, RedisSessionInterface):
    pass


class DatabaseSessionInterface(RefreshSparingly):
    session_class = ServerSideSession
    ttl = False

    def _retrieve_session_data(self, store_id: str) -> dict | None:
        if not _STORE_ID.fullmatch(store_id):
            return None
        table = ServerSession.__table__
        # The request's own session and connection: the read begins the transaction the view
        # goes on with (and rolls back or commits as it always would).
        row = db.session.execute(
            select(table.c.data, table.c.expiry).where(table.c.session_id == store_id)
        ).first()
        if row is None:
            return None
        expiry = row.expiry if row.expiry.tzinfo else row.expiry.replace(tzinfo=utcnow().tzinfo)
        if expiry <= utcnow():
            self._delete_session(store_id)
            return None
        return self.serializer.decode(bytes(row.data))

    def _delete_session(self, store_id: str) -> None:
        table = ServerSession.__table__
        with db.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.session_id == store_id))

    def _upsert_session(
        self, session_lifetime: timedelta, session: ServerSideSession, store_id: str
    ) -> None:
        table = ServerSession.__table__
        values = {"data": self.serializer.encode(session), "expiry": utcnow() + session_lifetime}
        with db.engine.begin() as conn:
            updated = conn.execute(
                update(table).where(table.c.session_id == store_id).values(**values)
            )
            if updated.rowcount == 0:
                conn.execute(insert(table).values(session_id=store_id, **values))

    def _delete_expired_sessions(self) -> None:
        table = ServerSession.__table__
        with db.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.expiry <= utcnow()))


def init_sessions(app: Flask) -> None:
    """Install the server-side session interface chosen by the configuration."""
    common = {
        "key_prefix": "session:",
        "use_signer": False,
        "permanent": True,
        "sid_length": 32,
        "serialization_format": "msgpack",
    }
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        app.session_interface = RedisSessions(app, client=Redis.from_url(redis_url), **common)
    else:
        cleanup_every = app.config.get("SESSION_CLEANUP_EVERY") or None
        app.session_interface = DatabaseSessionInterface(
            app, cleanup_n_requests=cleanup_every, **common
        )
