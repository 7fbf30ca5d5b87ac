"""Shared fixtures: one app per test worker, a clean database for every test, factories.

SQLite by default; ``TEST_DATABASE_URL`` (PostgreSQL) and ``REDIS_URL`` switch the same suite to
the production services. Each xdist worker gets its own database and Redis database number.
"""

from __future__ import annotations

import contextvars
import itertools
import os
import re
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from types import SimpleNamespace
from typing import Any

import pyotp
import pytest
from aiosmtpd.controller import Controller
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from supervision import create_app
from supervision.extensions import db, limiter
from supervision.models import Group, GroupKind, Membership, Role, User
from supervision.models.types import utcnow
from supervision.passwords import hash_password
from supervision.two_factor import services as second_factor_services
from supervision.two_factor.services import enable as enable_second_factor

PASSWORD = "a calm harbour at dusk"
_PASSWORD_HASH = hash_password(PASSWORD)  # argon2 is slow on purpose: hash once per worker
_CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

# Generated tests run the same examples everywhere (no randomness, no example database, no
# timing); HYPOTHESIS_PROFILE=explore searches afresh and longer, to look for new failures.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, deadline=None)
hypothesis_settings.register_profile("explore", deadline=None, max_examples=2_000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _worker_number(worker_id: str) -> int:
    return int(worker_id[2:]) if worker_id.startswith("gw") else 0


def _postgres_url_for(worker_id: str) -> str | None:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return None
    url = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{url.database}_{worker_id}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _redis_url_for(worker_id: str) -> str | None:
    base = os.environ.get("REDIS_URL")
    if not base:
        return None
    url = make_url(base.replace("redis://", "redis+x://", 1))  # reuse SQLAlchemy's URL parser
    number = 1 + _worker_number(worker_id)
    return f"redis://{url.host or '127.0.0.1'}:{url.port or 6379}/{number}"


def test_config(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> dict[str, Any]:
    database = _postgres_url_for(worker_id) or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    )
    redis_url = _redis_url_for(worker_id)
    return {
        "TESTING": True,
        "ENV_NAME": "test",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-checks",
        "SQLALCHEMY_DATABASE_URI": database,
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "DEMO_MODE": False,
        "MAIL_TRANSPORT": "smtp",
        "MAIL_SERVER": None,
        "SESSION_COOKIE_SECURE": False,
        "SESSION_CLEANUP_EVERY": 0,  # no random extra statement in a page's query count
        "BASE_URL": "http://localhost",
    }


@pytest.fixture(scope="session")
def app_config(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    # xdist names its workers gw0, gw1...; without xdist (make bench) there is one "main".
    return test_config(tmp_path_factory, os.environ.get("PYTEST_XDIST_WORKER", "main"))


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production.

    The test body holds an app context for factories and queries; without this, Flask would
    reuse it for requests, sharing ``g`` (and the signed-in user) between different clients.
    """

    def open(self, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()  # the request may have changed what the test holds
        return response


@pytest.fixture(scope="session")
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    application = create_app(app_config)
    application.test_client_class = IsolatedClient
    with application.app_context():
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _clean(application: Flask) -> None:
    with application.app_context():
        db.session.remove()
        tables = list(reversed(db.metadata.sorted_tables))
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(f'"{table.name}"' for table in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(table.delete())
        if application.config.get("REDIS_URL"):
            from redis import Redis

            Redis.from_url(application.config["REDIS_URL"]).flushdb()
        limiter.reset()


@pytest.fixture(autouse=True)
def _database(request: pytest.FixtureRequest) -> Iterator[None]:
    if "app" not in request.fixturenames:
        yield
        return
    application: Flask = request.getfixturevalue("app")
    with application.app_context():
        yield
    _clean(application)


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


# -- factories ------------------------------------------------------------------------------------

_sequence = itertools.count(1)


@pytest.fixture()
def make_user(app: Flask) -> Callable[..., User]:
    def make(
        name: str | None = None,
        email: str | None = None,
        *,
        site_admin: bool = False,
        must_change_password: bool = False,
    ) -> User:
        number = next(_sequence)
        user = User(
            email=email or f"person{number}@example.org",
            display_name=name or f"Person {number}",
            password_hash=_PASSWORD_HASH,
            is_site_admin=site_admin,
            must_change_password=must_change_password,
        )
        db.session.add(user)
        db.session.commit()
        if site_admin:  # a site admin without a second factor may open nothing but its set-up
            enrol_second_factor(user)
        return user

    return make


# Recovery codes of the people enrolled by the tests: login_as spends one at the second step.
_recovery_codes: dict[int, list[str]] = {}


def enrol_second_factor(user: User) -> str:
    """Set up TOTP for ``user`` as the set-up page does; the secret, to make codes with."""
    secret = pyotp.random_base32()
    _recovery_codes[user.id] = enable_second_factor(user, secret, pyotp.TOTP(secret).now())
    db.session.commit()
    return secret


@pytest.fixture()
def totp_clock(monkeypatch: pytest.MonkeyPatch) -> float:
    """Pin the clock the second factor checks codes against, one 30-second step after now
    (after the enrolment's step): a code made with ``pyotp.TOTP(secret).at(totp_clock)`` is the
    current one, however long the request takes to arrive."""
    pinned = float((int(utcnow().timestamp()) // 30 + 1) * 30)
    # The services module's own name for the clock, not the time module everyone shares.
    monkeypatch.setattr(second_factor_services, "time", SimpleNamespace(time=lambda: pinned))
    return pinned


def spare_recovery_code(user: User) -> str:
    """One of ``user``'s unused recovery codes (from ``enrol_second_factor``)."""
    return _recovery_codes[user.id].pop()


def pass_second_step(client: FlaskClient, user: User) -> Any:
    return client.post(
        "/login/second-factor",
        data={"code": spare_recovery_code(user), "csrf_token": csrf_token(client, "/login")},
    )


@pytest.fixture()
def make_group(make_user: Callable[..., User]) -> Callable[..., Group]:
    def make(
        kind: GroupKind = GroupKind.SUPERVISION,
        members: dict[User, Role] | None = None,
        name: str | None = None,
    ) -> Group:
        group = Group(name=name or f"Group {next(_sequence)}", kind=kind)
        for user, role in (members or {make_user(): Role.FACILITATOR}).items():
            group.memberships.append(Membership(user=user, role=role))
        db.session.add(group)
        db.session.commit()
        return group

    return make


# -- acting as someone --------------------------------------------------------------------------


@pytest.fixture()
def login_as(client: FlaskClient) -> Callable[[User | None], FlaskClient]:
    """Sign the test client in as ``user`` (through the real login form)."""

    def login(user: User | None) -> FlaskClient:
        if user is None:
            return client
        response = client.post(
            "/login",
            data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        if response.headers["Location"].endswith("/login/second-factor"):
            assert pass_second_step(client, user).status_code == 302
        return client

    return login


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """A valid CSRF token for the client's session, read from a rendered form."""
    page = client.get(path, follow_redirects=True).get_data(as_text=True)
    match = _CSRF_RE.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post(client: FlaskClient, path: str, data: dict[str, Any] | None = None, **kwargs: Any):  # type: ignore[no-untyped-def]
    """POST with a valid CSRF token, as a browser submitting our form would."""
    payload = {"csrf_token": csrf_token(client), **(data or {})}
    return client.post(path, data=payload, **kwargs)


# -- a real SMTP server ---------------------------------------------------------------------------


class RecordingHandler:
    """Keeps every message the server accepts."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@pytest.fixture()
def start_smtp() -> Iterator[Callable[[int], RecordingHandler]]:
    """Start an SMTP server on 127.0.0.1 at a given port; every one started is stopped."""
    controllers: list[Controller] = []

    def start(port: int) -> RecordingHandler:
        handler = RecordingHandler()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return handler

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture()
def smtp_config(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """Point the app's SMTP settings at 127.0.0.1:<port>, plain SMTP (restored afterwards)."""

    def configure(port: int) -> None:
        monkeypatch.setitem(app.config, "MAIL_TRANSPORT", "smtp")
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
        monkeypatch.setitem(app.config, "MAIL_USE_SSL", False)
        monkeypatch.setitem(app.config, "MAIL_USERNAME", None)

    return configure


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, for the tests marked ``browser``: one per test
    module (each test opens its own context)."""
    from browser_support import chromium  # imports this module: not at the top

    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Any]:
    """The demo workspace served on a loopback port, one per test module."""
    from browser_support import demo_live_site  # imports this module: not at the top

    with demo_live_site(tmp_path_factory, worker_id) as site:
        yield site
