"""Real-browser tests: the app behind werkzeug's server on a loopback port, Debian's Chromium
driven by Playwright.

Each site runs the test configuration on a SQLite file of its own, whatever database and Redis
the rest of the suite uses (the server thread and the test share that file). A missing
Chromium or Playwright fails the test: browser features are never silently untested.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import conftest
import pytest
from flask import Flask
from werkzeug.serving import make_server

from supervision import create_app
from supervision.extensions import db
from supervision.models import Group, GroupKind, Membership, Role, User
from supervision.passwords import hash_password

CHROMIUM = Path("/usr/bin/chromium")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]  # axe-core's tags
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass
class LiveSite:
    base: str
    app: Flask
    ids: dict[str, int] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def browser_app(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, monkeypatch: pytest.MonkeyPatch
) -> Flask:
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    config: dict[str, Any] = conftest.test_config(tmp_path_factory, worker_id)
    config["SQLALCHEMY_DATABASE_URI"] = (
        f"sqlite:///{tmp_path_factory.mktemp('browser') / 'browser.sqlite'}"
    )
    app = create_app(config)
    with app.app_context():
        db.create_all()
    return app


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free loopback port for the duration; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@contextmanager
def demo_live_site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[LiveSite]:
    """The demo workspace, loaded into a fresh database and served."""
    from supervision.demo.workspace import build_workspace  # the demo is only for these sites

    with pytest.MonkeyPatch.context() as monkeypatch:
        app = browser_app(tmp_path_factory, worker_id, monkeypatch)
        with app.app_context():
            build_workspace()
            db.session.commit()
        with serving(app) as base:
            yield LiveSite(base, app)


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.0-2.2 A/AA violations on the page as it stands, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


@contextmanager
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: the browser tests need Debian's chromium "
            "package (apt-get install chromium)."
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - a missing dev dependency must fail, not skip
        pytest.fail("Playwright for Python is not installed (pip install playwright).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def make_people(group_name: str, kind: GroupKind, people: dict[str, tuple[str, Role]]) -> Group:
    """A group whose members are ``{email: (display name, role)}``, all with the test password."""
    password = hash_password(conftest.PASSWORD)
    group = Group(name=group_name, kind=kind)
    for email, (name, role) in people.items():
        user = User(email=email, display_name=name, password_hash=password)
        group.memberships.append(Membership(user=user, role=role))
    db.session.add(group)
    db.session.flush()
    return group


def open_page(
    browser: Any,
    site: LiveSite,
    email: str,
    path: str,
    problems: list[str],
    password: str = conftest.PASSWORD,
) -> Any:
    """A new page, logged in as ``email``, at ``path``; script errors are collected."""
    page = browser.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(site.url("/login"))
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"^(?!.*/login).*$"))
    page.goto(site.url(path))
    return page


def in_app(site: LiveSite, work: Callable[[], Any]) -> Any:
    with site.app.app_context():
        return work()
