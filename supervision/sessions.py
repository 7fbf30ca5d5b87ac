"""Server-side sessions through Flask-Session: Redis when configured, else our own table.

Flask-Session's bundled SQLAlchemy backend creates its table at start-up (outside our
migrations) and commits the request's database session; this backend keeps the store in a
migrated table and writes through its own connection so it never commits a view's work.
"""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from flask_session.base import ServerSideSession, ServerSideSessionInterface
from sqlalchemy import delete, insert, select, update

from supervision.extensions import db
from supervision.models import ServerSession
from supervision.models.types import utcnow

# What the ids we hand out look like (prefix and token_urlsafe); a cookie carrying anything else
# (a NUL, which PostgreSQL refuses, or junk) names no session and starts a fresh one.
_STORE_ID = re.compile(r"session:[A-Za-z0-9_-]{16,128}")


class DatabaseSessionInterface(ServerSideSessionInterface):
    session_class = ServerSideSession
    ttl = False

    def _retrieve_session_data(self, store_id: str) -> dict | None:
        if not _STORE_ID.fullmatch(store_id):
            return None
        table = ServerSession.__table__
        with db.engine.begin() as conn:
            row = conn.execute(
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
        from flask_session.redis import RedisSessionInterface
        from redis import Redis

        app.session_interface = RedisSessionInterface(
            app, client=Redis.from_url(redis_url), **common
        )
    else:
        app.session_interface = DatabaseSessionInterface(app, cleanup_n_requests=200, **common)
