"""The review form's autosave in a real Chromium: type, wait for "Saved", reload, still there.

The live site and the browser come from ``browser_support``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from browser_support import LiveSite, browser_app, chromium, make_people, open_page, serving
from flask import Flask
from review_support import QUOTE, SECTIONS, TITLE
from sqlalchemy import select
from support import pass_gate

from supervision.cases.services import create_case
from supervision.extensions import db
from supervision.models import GroupKind, Review, Role, User
from supervision.reviews.services import start_review

SUPERVISOR_EMAIL = "sam.supervisor@example.org"
AUTHOR_EMAIL = "alex@example.org"


def _seed(app: Flask) -> int:
    """A group, a shared case and a supervisor's draft review of it; the review's id."""
    with app.app_context():
        group = make_people(
            "Browser group",
            GroupKind.SUPERVISION,
            {
                SUPERVISOR_EMAIL: ("Sam Supervisor", Role.SUPERVISOR),
                AUTHOR_EMAIL: ("Alex Author", Role.SUPERVISEE),
            },
        )
        supervisor = db.session.scalar(select(User).where(User.email == SUPERVISOR_EMAIL))
        author = db.session.scalar(select(User).where(User.email == AUTHOR_EMAIL))
        case = create_case(group, author, TITLE, SECTIONS)
        pass_gate(case, author, commit=False)
        review = start_review(case, supervisor)
        db.session.commit()
        return review.id


@pytest.fixture()
def live_server(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, Flask, int]]:
    app = browser_app(tmp_path_factory, worker_id, monkeypatch)
    review_id = _seed(app)
    with serving(app) as base:
        yield base, app, review_id


@pytest.mark.browser
def test_autosaved_text_survives_a_reload(live_server: tuple[str, Flask, int]) -> None:
    from playwright.sync_api import expect

    base, app, review_id = live_server
    evidence = f"{QUOTE}\nI felt touched and uneasy."
    comment = "You named your hesitation: that is the frame held with warmth."
    problems: list[str] = []
    with chromium() as browser:
        page = open_page(
            browser, LiveSite(base, app), SUPERVISOR_EMAIL, f"/reviews/{review_id}/edit", problems
        )
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
    assert not problems, problems

    with app.app_context():
        review = db.session.get(Review, review_id)
        assert review is not None
        score = next(s for s in review.scores if s.criterion_key == "boundaries")
        assert (score.evidence, score.level, score.comment) == (evidence, 4, comment)
