"""Two app instances (A and B) on one PostgreSQL and one Redis, and a worker, started by
.ci/two_instances: a session opened on A is valid on B, failed logins through both count
against one limit, concurrent writes through both are all stored, and mail that A enqueues is
delivered by the worker. These tests fail (never skip) when the instances are not there."""

from __future__ import annotations

import http.client
import itertools
import os
import re
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import pytest
from aiosmtpd.controller import Controller
from conftest import RecordingHandler
from seed_two_instances import FACILITATOR, MEMBER, PASSWORD
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

pytestmark = pytest.mark.scaleout

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_client_numbers = itertools.count(10)


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: these tests run against .ci/two_instances")
    return value


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str


@dataclass
class Client:
    """A browser of our own on one instance: keeps the session cookie; ``address`` is the
    client address the proxy in front would forward (each test its own, for the limits)."""

    base: str
    address: str
    cookies: dict[str, str] = field(default_factory=dict)

    def on(self, base: str) -> Client:
        """The same browser (same cookies) talking to another instance."""
        return Client(base, self.address, self.cookies)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Response:
        url = urllib.parse.urlsplit(self.base)
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        headers = {"X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            text_ = response.read().decode()
        finally:
            connection.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return Response(response.status, response.headers, text_)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str], token_from: str) -> Response:
        page = self.get(token_from)
        match = _CSRF.search(page.body)
        assert match, f"no CSRF token on {token_from} ({page.status})"
        return self.request("POST", path, {"csrf_token": match.group(1), **form})

    def login(self, email: str, password: str = PASSWORD) -> Response:
        return self.post("/login", {"email": email, "password": password}, "/login")


@pytest.fixture(scope="module")
def instances() -> tuple[str, str]:
    a, b = _env("SCALEOUT_A"), _env("SCALEOUT_B")
    for base in (a, b):  # unreachable is a failure, like any other
        assert Client(base, "192.0.2.1").get("/login").status == 200, base
    return a, b


@pytest.fixture(scope="module")
def database() -> Iterator[Engine]:
    url = _env("SCALEOUT_DATABASE_URL").replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    yield engine
    engine.dispose()


def browser(base: str) -> Client:
    # Every browser its own client address (TEST-NET-2), so one test's logins spend only its
    # own allowance of the per-address limits.
    return Client(base, f"198.51.100.{next(_client_numbers)}")


def test_a_login_on_a_is_signed_in_on_b(instances: tuple[str, str]) -> None:
    a, b = instances
    on_a = browser(a)
    assert on_a.login(MEMBER).status == 302
    assert on_a.get("/cases/mine").status == 200

    on_b = on_a.on(b)
    page = on_b.get("/cases/mine")
    assert page.status == 200 and "Mo" in page.body
    assert browser(b).get("/cases/mine").status == 302  # not signed in: to the login page

    # Logging out on B ends the session on A too.
    assert on_b.post("/logout", {}, "/cases/mine").status == 302
    assert on_a.get("/cases/mine").status == 302


def test_failed_logins_through_both_share_one_limit(instances: tuple[str, str]) -> None:
    a, b = instances
    per_minute = int(_env("SCALEOUT_LOGIN_PER_MINUTE"))
    on_a = browser(a)
    on_b = on_a.on(b)  # the same person at the same address, their requests spread over A and B
    statuses = [
        (on_a if n % 2 == 0 else on_b).login("nobody@two.example.org", "wrong").status
        for n in range(per_minute)
    ]
    assert 429 not in statuses  # each instance has seen only half the limit...
    # ...but together they have seen it all: the next try is refused on either.
    assert on_a.login("nobody@two.example.org", "wrong").status == 429
    assert on_b.login("nobody@two.example.org", "wrong").status == 429
    assert browser(b).get("/login").status == 200  # another address is not held back


def test_concurrent_writes_through_both_are_all_stored(
    instances: tuple[str, str], database: Engine
) -> None:
    a, b = instances
    fran, mo = browser(a), browser(b)
    assert fran.login(FACILITATOR).status == 302
    assert mo.login(MEMBER).status == 302
    with database.connect() as conn:
        group_id = conn.execute(text("SELECT id FROM groups ORDER BY id LIMIT 1")).scalar_one()
    new = f"/groups/{group_id}/discussions/new"
    created = fran.post(new, {"title": "Both instances", "body": "The question."}, new)
    assert created.status == 302, created.body[:300]
    thread_id = int(re.search(r"/discussions/(\d+)", created.headers["Location"]).group(1))  # type: ignore[union-attr]
    thread = f"/discussions/{thread_id}"

    writes = 40
    browsers = [fran, fran.on(b), mo, mo.on(a)]  # each person through each instance

    def write(n: int) -> int:
        return browsers[n % 4].post(f"{thread}/posts", {"body": f"Reply {n}."}, thread).status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(write, range(writes)))

    assert statuses == [302] * writes  # every write acknowledged...
    with database.connect() as conn:
        bodies = conn.execute(
            text("SELECT body FROM posts WHERE thread_id = :t"), {"t": thread_id}
        ).scalars()
        stored = sorted(bodies)
    # ...and every acknowledged write stored, once.
    assert stored == sorted(["The question.", *(f"Reply {n}." for n in range(writes))])


def test_mail_enqueued_by_a_is_delivered_by_the_worker(
    instances: tuple[str, str], database: Engine
) -> None:
    a, _ = instances
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=int(_env("SCALEOUT_SMTP_PORT")))
    controller.start()
    try:
        forgot = browser(a).post("/password/forgot", {"email": MEMBER}, "/password/forgot")
        assert forgot.status == 302
        # The worker sends, then commits the row as sent: wait for both (at most 30 s).
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (handler.received and _unsent(database) == 0):
            time.sleep(0.2)
    finally:
        controller.stop()
    [(recipients, message)] = handler.received
    assert recipients == [MEMBER]
    assert message["Subject"] == "Reset your Attune password"
    assert _unsent(database) == 0


def _unsent(database: Engine) -> int:
    with database.connect() as conn:
        return conn.execute(
            text("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL")
        ).scalar_one()
