"""What every signed-in request pays, whatever the page: a repeated page view reads the session,
the user with their login session, and the unread count, and writes nothing; the session's idle
expiry and the login session's ``last_seen_at`` still move on, once a minute.

Runs against the configured store: the session table, or Redis with REDIS_URL set.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, exc, select, text, update
from sqlalchemy.pool import NullPool

from supervision import extensions
from supervision import sessions as session_store
from supervision.auth import login_sessions
from supervision.extensions import db
from supervision.models import LoginSession
from supervision.models.types import utcnow

WRITES = ("INSERT", "UPDATE", "DELETE")


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture()
def stores(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The store ids the session interface wrote, in order (either backend)."""
    written: list[str] = []
    interface = app.session_interface
    upsert = interface._upsert_session  # type: ignore[attr-defined]

    def counting(lifetime, session, store_id):  # type: ignore[no-untyped-def]
        written.append(store_id)
        return upsert(lifetime, session, store_id)

    monkeypatch.setattr(interface, "_upsert_session", counting)
    return written


@pytest.fixture()
def later(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Move the clock the session store and the login sessions read forward."""

    def move(by: timedelta) -> datetime:
        moved = utcnow() + by
        monkeypatch.setattr(session_store, "utcnow", lambda: moved)
        monkeypatch.setattr(login_sessions, "utcnow", lambda: moved)
        return moved

    return move


def _signed_in(make_user, login_as) -> tuple[FlaskClient, int]:  # type: ignore[no-untyped-def]
    user = make_user("Ines")
    client = login_as(user)
    assert client.get("/groups/").status_code == 200
    return client, user.id


def _last_seen(user_id: int) -> datetime:
    db.session.expire_all()
    return db.session.scalars(
        select(LoginSession.last_seen_at).where(LoginSession.user_id == user_id)
    ).one()


def test_a_repeated_page_view_writes_nothing_and_sets_no_cookie(app, make_user, login_as, stores):
    client, _user_id = _signed_in(make_user, login_as)
    stores.clear()
    with statements() as seen:
        response = client.get("/groups/")
    assert response.status_code == 200
    assert stores == []
    assert [s for s in seen if s.startswith(WRITES)] == []
    assert app.config["SESSION_COOKIE_NAME"] not in response.headers.get("Set-Cookie", "")
    assert response.headers["Cache-Control"] == "no-store"  # still the signed-in headers


def test_the_user_and_their_login_session_are_one_query(app, make_user, login_as):
    client, _user_id = _signed_in(make_user, login_as)
    with statements() as seen:
        assert client.get("/groups/").status_code == 200
    login_reads = [s for s in seen if "login_sessions" in s]
    assert len(login_reads) == 1 and "FROM users" in login_reads[0]
    assert [s for s in seen if s.startswith("SELECT users.") and s not in login_reads] == []


def test_the_session_is_stored_again_a_minute_on(app, make_user, login_as, stores, later):
    client, user_id = _signed_in(make_user, login_as)
    seen_at = _last_seen(user_id)
    stores.clear()
    later(session_store.REFRESH_EVERY - timedelta(seconds=5))
    assert client.get("/groups/").status_code == 200
    assert stores == [] and _last_seen(user_id) == seen_at

    moved = later(session_store.REFRESH_EVERY + timedelta(seconds=1))
    response = client.get("/groups/")
    assert response.status_code == 200
    assert len(stores) == 1  # the idle expiry moved on, and the cookie with it
    assert app.config["SESSION_COOKIE_NAME"] in response.headers.get("Set-Cookie", "")
    assert _last_seen(user_id) == moved

    assert client.get("/groups/").status_code == 200
    assert len(stores) == 1  # and not again within the minute


def test_a_changed_session_is_stored_at_once(app, make_user, login_as, stores):
    client, _user_id = _signed_in(make_user, login_as)
    stores.clear()
    with client.session_transaction() as held:  # saved through the app's session interface
        held["note"] = "kept"
    assert len(stores) == 1
    assert client.get("/groups/").status_code == 200
    with client.session_transaction() as held:
        assert held["note"] == "kept"


def test_an_ended_session_still_stops_at_its_next_request(app, make_user, login_as):
    client, user_id = _signed_in(make_user, login_as)
    db.session.execute(
        update(LoginSession).where(LoginSession.user_id == user_id).values(ended_at=utcnow())
    )
    db.session.commit()
    response = client.get("/groups/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# -- the connection pool ------------------------------------------------------------------------


class _Connection:
    """A DB-API connection that records what it is asked, or fails like a dead one."""

    def __init__(self, dead: bool = False) -> None:
        self.dead, self.calls = dead, []

    def cursor(self) -> _Connection:
        if self.dead:
            raise OSError("server closed the connection unexpectedly")
        return self

    def execute(self, statement: str) -> None:
        self.calls.append(statement)

    def close(self) -> None:
        pass

    def rollback(self) -> None:
        self.calls.append("ROLLBACK")


def test_a_pooled_connection_is_checked_only_after_lying_idle():
    connection, record = _Connection(), SimpleNamespace(info={})
    extensions._ping_if_idle(connection, record, None)  # new: not checked
    extensions._note_checkin(connection, record)
    extensions._ping_if_idle(connection, record, None)  # used a moment ago: not checked
    assert connection.calls == []

    record.info["checked_in_at"] = time.monotonic() - extensions.PING_AFTER_IDLE_SECONDS - 1
    extensions._ping_if_idle(connection, record, None)
    assert connection.calls == ["SELECT 1", "ROLLBACK"]

    with pytest.raises(exc.DisconnectionError):  # the pool replaces it with a fresh one
        extensions._ping_if_idle(_Connection(dead=True), record, None)


def test_a_connection_that_died_while_idle_is_replaced(app, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("ends a PostgreSQL backend")
    monkeypatch.setattr(extensions, "PING_AFTER_IDLE_SECONDS", 0.0)
    db.session.remove()
    db.engine.dispose()  # the pool then holds one connection: the one ended below
    with db.engine.connect() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    killer = create_engine(db.engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with killer.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    killer.dispose()
    with db.engine.connect() as conn:  # the dead one is found at checkout, not by this query
        assert conn.exec_driver_sql("SELECT pg_backend_pid()").scalar() != pid
