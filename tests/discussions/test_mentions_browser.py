"""mentions.js in a real Chromium: type "@Ro", choose with the keyboard, post, see the link.

Runs its own app (the test configuration, on a SQLite file of its own) behind werkzeug's server
on a free loopback port, and drives Debian's Chromium through Playwright.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import conftest
import pytest
from flask import Flask
from werkzeug.serving import make_server

from supervision import create_app
from supervision.discussions.services import create_thread
from supervision.extensions import db
from supervision.models import Group, GroupKind, Membership, Role, User
from supervision.passwords import hash_password

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WRITER_EMAIL = "alex.author@example.org"


def _seed(app: Flask) -> tuple[int, dict[str, int]]:
    """A group of four and a thread; the thread's id and the memberships' ids by name."""
    with app.app_context(), app.test_request_context():
        db.create_all()
        password = hash_password(conftest.PASSWORD)
        group = Group(name="Browser group", kind=GroupKind.PEER)
        people = {
            "Alex Author": WRITER_EMAIL,
            "Robin Reader": "robin@example.org",
            "Rosa Lindqvist": "rosa@example.org",
            "Sam Supervisor": "sam@example.org",
        }
        for name, email in people.items():
            user = User(email=email, display_name=name, password_hash=password)
            group.memberships.append(Membership(user=user, role=Role.PEER))
        db.session.add(group)
        db.session.flush()
        writer = next(m.user for m in group.memberships if m.user.email == WRITER_EMAIL)
        thread = create_thread(group, writer, "Silence", "What helps you stay with silence?")
        db.session.commit()
        return thread.id, {m.user.display_name: m.id for m in group.memberships}


@pytest.fixture()
def live_server(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, int, dict[str, int]]]:
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    config: dict[str, Any] = conftest.test_config(tmp_path_factory, worker_id)
    config["SQLALCHEMY_DATABASE_URI"] = (
        f"sqlite:///{tmp_path_factory.mktemp('mentions') / 'mentions.sqlite'}"
    )
    app = create_app(config)
    thread_id, memberships = _seed(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", thread_id, memberships
    finally:
        server.shutdown()
        serving.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.browser
def test_the_composer_suggests_members_and_inserts_the_chosen_name(
    live_server: tuple[str, int, dict[str, int]],
) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM} (apt-get install chromium).")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:  # pragma: no cover - a missing dev dependency must fail, not skip
        pytest.fail("Playwright for Python is not installed (pip install playwright).")

    base, thread_id, memberships = live_server
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto(f"{base}/login")
            page.fill("#email", WRITER_EMAIL)
            page.fill("#password", conftest.PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(re.compile(r"^(?!.*/login).*$"))
            page.goto(f"{base}/discussions/{thread_id}")

            box = page.get_by_role("combobox", name="Your post")
            expect(box).to_have_attribute("aria-expanded", "false")
            box.click()
            box.press_sequentially("Thank you @ro")
            listbox = page.get_by_role("listbox", name="People to mention")
            expect(listbox).to_be_visible()
            expect(box).to_have_attribute("aria-expanded", "true")
            options = listbox.get_by_role("option")
            expect(options).to_have_count(2)  # Robin Reader, Rosa Lindqvist; never oneself
            expect(options.nth(0)).to_contain_text("Robin Reader")
            expect(options.nth(0)).to_have_attribute("aria-selected", "true")
            first_id = options.nth(0).get_attribute("id")
            expect(box).to_have_attribute("aria-activedescendant", first_id or "")
            box.press("ArrowDown")
            expect(options.nth(1)).to_have_attribute("aria-selected", "true")
            expect(box).to_have_attribute(
                "aria-activedescendant", options.nth(1).get_attribute("id") or ""
            )
            box.press("Enter")
            expect(listbox).to_be_hidden()
            expect(box).to_have_value("Thank you @Rosa Lindqvist ")
            box.press_sequentially("and @sam")
            expect(options).to_have_count(1)
            box.press("Escape")
            expect(listbox).to_be_hidden()
            box.press_sequentially(" Supervisor, what do you think?")
            expect(box).to_have_value(
                "Thank you @Rosa Lindqvist and @sam Supervisor, what do you think?"
            )
            page.get_by_role("button", name="Post", exact=True).click()
            page.wait_for_url(re.compile(r"#post-\d+$"))

            rosa = page.locator(f'a.mention[href$="#member-{memberships["Rosa Lindqvist"]}"]')
            expect(rosa).to_have_text("@Rosa Lindqvist")
            sam = page.locator(f'a.mention[href$="#member-{memberships["Sam Supervisor"]}"]')
            expect(sam).to_have_text("@sam Supervisor")
        finally:
            browser.close()
    assert not problems, problems
