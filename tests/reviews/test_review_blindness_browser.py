"""Blind scoring in a real Chromium: a supervisor still to review a revision meets a released
review as a choice, takes it, reads it and starts a review marked not blind; each of those
pages passes axe (WCAG 2.2 AA).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_support import LiveSite, browser_app, chromium, make_people, open_page, serving
from flask import Flask
from review_support import SECTIONS, TITLE, write_review
from sqlalchemy import select
from support import pass_gate

from supervision.cases.services import create_case
from supervision.extensions import db
from supervision.models import GroupKind, Role, User

FIRST_EMAIL = "sam.supervisor@example.org"
SECOND_EMAIL = "kim.supervisor@example.org"
AUTHOR_EMAIL = "alex@example.org"
FEEDBACK = "You stayed with the silence."
CHOICE = "Read it, and my review of this revision will not be blind"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _seed(app: Flask) -> dict[str, int]:
    """Two supervisors and a shared case; the first supervisor released a review of it."""
    with app.app_context():
        group = make_people(
            "Browser group",
            GroupKind.SUPERVISION,
            {
                FIRST_EMAIL: ("Sam Supervisor", Role.SUPERVISOR),
                SECOND_EMAIL: ("Kim Supervisor", Role.SUPERVISOR),
                AUTHOR_EMAIL: ("Alex Author", Role.SUPERVISEE),
            },
        )
        people = {u.email: u for u in db.session.scalars(select(User))}
        case = create_case(group, people[AUTHOR_EMAIL], TITLE, SECTIONS)
        pass_gate(case, people[AUTHOR_EMAIL], commit=False)
        review = write_review(
            case, people[FIRST_EMAIL], {"boundaries": 4}, feedback=FEEDBACK, release=True
        )
        return {"case": case.id, "review": review.id}


@pytest.fixture()
def live_site(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[LiveSite]:
    app = browser_app(tmp_path_factory, worker_id, monkeypatch)
    ids = _seed(app)
    with serving(app) as base:
        yield LiveSite(base, app, ids)


def _audit(page: object) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]]


@pytest.mark.browser
def test_the_choice_to_read_a_released_review_before_ones_own(live_site: LiveSite) -> None:
    from playwright.sync_api import expect

    case_id, review_id = live_site.ids["case"], live_site.ids["review"]
    errors: list[str] = []
    with chromium() as browser:
        context = browser.new_context()
        page = open_page(context, live_site, SECOND_EMAIL, f"/cases/{case_id}/reviews/list", errors)
        problems = {"list": _audit(page)}
        card = page.locator(f"#review-{review_id}")
        expect(card).to_contain_text("Hidden so that your review of this revision stays blind")

        page.goto(live_site.url(f"/reviews/{review_id}"))
        problems["choice"] = _audit(page)
        expect(page.locator("#read-anyway")).to_be_visible()
        expect(page.get_by_text(FEEDBACK)).to_have_count(0)
        page.get_by_role("button", name=CHOICE).click()
        expect(page.locator("#overall-feedback")).to_contain_text(FEEDBACK)
        problems["review"] = _audit(page)

        page.goto(live_site.url(f"/cases/{case_id}"))
        page.get_by_role("button", name="Review revision 1").click()
        expect(page.locator("#not-blind")).to_contain_text("Your review is not blind")
        problems["form"] = _audit(page)
        context.close()
    assert not {name: found for name, found in problems.items() if found}, problems
    assert not errors, errors
