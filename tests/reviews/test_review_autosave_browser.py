"""The review form's autosave in a real Chromium: type, wait for "Saved", reload, still there.

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
from review_support import QUOTE, SECTIONS, TITLE
from werkzeug.serving import make_server

from supervision import create_app
from supervision.cases.gate import share_case
from supervision.cases.sections import CHECKLIST_KEYS
from supervision.cases.services import create_case
from supervision.extensions import db
from supervision.models import Group, GroupKind, Membership, Review, Role, User
from supervision.passwords import hash_password
from supervision.reviews.services import start_review

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SUPERVISOR_EMAIL = "sam.supervisor@example.org"


def _seed(app: Flask) -> int:
    """A group, a shared case and a supervisor's draft review of it; the review's id."""
    with app.app_context():
        db.create_all()
        password = hash_password(conftest.PASSWORD)
        supervisor = User(
            email=SUPERVISOR_EMAIL, display_name="Sam Supervisor", password_hash=password
        )
        author = User(email="alex@example.org", display_name="Alex Author", password_hash=password)
        group = Group(name="Browser group", kind=GroupKind.SUPERVISION)
        group.memberships.append(Membership(user=supervisor, role=Role.SUPERVISOR))
        group.memberships.append(Membership(user=author, role=Role.SUPERVISEE))
        db.session.add(group)
        db.session.flush()
        case = create_case(group, author, TITLE, SECTIONS)
        share_case(case, author, sorted(CHECKLIST_KEYS), "Changed age and occupation.")
        review = start_review(case, supervisor)
        db.session.commit()
        return review.id


@pytest.fixture()
def live_server(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, Flask, int]]:
    # The test configuration on SQLite, whatever database and Redis the rest of the suite uses.
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    config: dict[str, Any] = conftest.test_config(tmp_path_factory, worker_id)
    config["SQLALCHEMY_DATABASE_URI"] = (
        f"sqlite:///{tmp_path_factory.mktemp('browser') / 'browser.sqlite'}"
    )
    app = create_app(config)
    review_id = _seed(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app, review_id
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.browser
def test_autosaved_text_survives_a_reload(live_server: tuple[str, Flask, int]) -> None:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: the browser tests need Debian's chromium "
            "package (apt-get install chromium)."
        )
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:  # pragma: no cover - a missing dev dependency must fail, not skip
        pytest.fail("Playwright for Python is not installed (pip install playwright).")

    base, app, review_id = live_server
    evidence = f"{QUOTE}\nI felt touched and uneasy."
    comment = "You named your hesitation: that is the frame held with warmth."
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))

            page.goto(f"{base}/login")
            page.fill("#email", SUPERVISOR_EMAIL)
            page.fill("#password", conftest.PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(re.compile(r"^(?!.*/login).*$"))

            page.goto(f"{base}/reviews/{review_id}/edit")
            status = page.locator("#autosave-status")
            expect(status).to_contain_text("saves automatically")  # the module is running
            page.locator("#criterion_boundaries-evidence").fill(evidence)
            page.locator("#criterion_boundaries-level-3").check()  # level 4
            page.locator("#criterion_boundaries-comment").fill(comment)
            expect(status).to_have_text(re.compile(r"^Saved \d\d:\d\d$"), timeout=20_000)

            page.reload()
            expect(page.locator("#criterion_boundaries-evidence")).to_have_value(evidence)
            expect(page.locator("#criterion_boundaries-comment")).to_have_value(comment)
            expect(page.locator("#criterion_boundaries-level-3")).to_be_checked()
        finally:
            browser.close()
    assert not problems, problems

    with app.app_context():
        review = db.session.get(Review, review_id)
        assert review is not None
        score = next(s for s in review.scores if s.criterion_key == "boundaries")
        assert (score.evidence, score.level, score.comment) == (evidence, 4, comment)
