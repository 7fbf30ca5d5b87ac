"""static/js/app.js in a real Chromium: the anonymization gate's "what is left" summary follows
the checklist and note as they are filled in, the error summary takes the focus, and a button
with data-confirm asks first (and does nothing when the answer is no)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import LiveSite, browser_app, in_app, make_people, open_page, serving
from sqlalchemy import func, select

from supervision.cases.services import create_case
from supervision.discussions.services import add_post, create_thread
from supervision.extensions import db
from supervision.models import Case, GroupKind, Post, Role, User

pytestmark = pytest.mark.browser

AUTHOR = "alex.author@example.org"
SECTIONS = {
    "context": "Third session of twelve, short-term counselling.",
    "client": "A woman in her thirties who works in an office.",
    "moment": "At the end the client offered a small gift and I hesitated.",
    "reactions": "I felt touched and uneasy, and I said nothing for a while.",
    "question": "Should I have accepted it?",
}


@pytest.fixture()
def site(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[LiveSite]:
    app = browser_app(tmp_path_factory, worker_id, monkeypatch)
    with app.app_context():
        group = make_people(
            "Browser group",
            GroupKind.SUPERVISION,
            {
                AUTHOR: ("Alex Author", Role.SUPERVISEE),
                "sam@example.org": ("Sam Supervisor", Role.FACILITATOR),
            },
        )
        author = db.session.scalar(select(User).where(User.email == AUTHOR))
        case = create_case(group, author, "A gift at the last session", SECTIONS)
        with_finding = create_case(
            group,
            author,
            "A number on a card",
            {**SECTIONS, "context": "She left a card saying call 503-555-0100 any time."},
        )
        thread = create_thread(group, author, "Gifts", "Do you accept small gifts?")
        add_post(thread, author, "A second thought on this.")
        db.session.commit()
        ids = {"case": case.id, "thread": thread.id, "with_finding": with_finding.id}
    with serving(app) as base:
        yield LiveSite(base, app, ids)


def test_the_gate_summary_follows_the_checklist_and_note(site: LiveSite, browser: Any) -> None:
    problems: list[str] = []
    page = open_page(browser, site, AUTHOR, f"/cases/{site.ids['case']}/share", problems)
    left = page.locator("[data-gate-left]")
    ready = page.locator("[data-gate-ready]")
    boxes = page.locator("input[name='checklist']")
    total = boxes.count()
    assert total == 8
    assert left.is_visible() and ready.is_hidden()
    assert page.locator("[data-left-count]").inner_text() == str(total)

    boxes.nth(0).check()
    boxes.nth(1).check()
    checklist_step = page.locator("[data-gate-step='checklist'] [data-gate-status]")
    assert checklist_step.inner_text() == f"2 of {total} ticked"
    assert page.locator("[data-left-count]").inner_text() == str(total - 2)

    for index in range(2, total):
        boxes.nth(index).check()
    assert page.locator("[data-left='checklist']").is_hidden()
    assert left.is_visible()  # the note is still missing
    page.fill("#altered_note", "Changed her age and her occupation.")
    assert page.locator("[data-gate-step='note'] [data-gate-status]").inner_text() == "Written"
    assert left.is_hidden() and ready.is_visible()

    page.fill("#altered_note", "   ")
    assert left.is_visible() and ready.is_hidden()
    assert page.locator("[data-left='note']").is_visible()

    # Submitting without the note: the server's error summary gets the keyboard focus. The
    # answer is a 400, which Chromium logs as a failed load; nothing else may go wrong.
    assert not problems, problems
    page.get_by_role("button", name="Share with the group").click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").first.evaluate(
        "el => el === document.activeElement"
    )
    assert in_app(site, lambda: db.session.get(Case, site.ids["case"]).published_number) is None
    assert [p for p in problems if "status of 400" not in p] == []


def test_a_confirm_button_asks_first(site: LiveSite, browser: Any) -> None:
    problems: list[str] = []
    page = open_page(browser, site, AUTHOR, f"/discussions/{site.ids['thread']}", problems)
    asked: list[str] = []

    def count_posts() -> int:
        return db.session.scalar(
            select(func.count()).select_from(Post).where(Post.deleted_at.is_(None))
        )

    before = in_app(site, count_posts)
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    remove = page.get_by_role("button", name="Remove").last
    remove.click()
    assert asked and asked[0].startswith("Remove your post?")
    assert in_app(site, count_posts) == before  # "Cancel": nothing was sent

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="Remove").last.click()
    assert in_app(site, count_posts) == before - 1
    assert not problems, problems


def test_answering_a_finding_keeps_the_ticks_and_the_note(site: LiveSite, browser: Any) -> None:
    problems: list[str] = []
    page = open_page(browser, site, AUTHOR, f"/cases/{site.ids['with_finding']}/share", problems)
    boxes = page.locator("input[name='checklist']")
    boxes.nth(0).check()
    boxes.nth(3).check()
    page.fill("#altered_note", "Changed the town.")
    page.locator(".finding-form input[name='reason']").fill("A number from a film")
    with page.expect_navigation():
        page.get_by_role("button", name="Mark not identifying").click()
    assert "0 still open" in page.locator("#findings + p").inner_text()
    checked = [boxes.nth(i).is_checked() for i in range(boxes.count())]
    assert checked == [True, False, False, True, False, False, False, False]
    assert page.locator("#altered_note").input_value() == "Changed the town."
    assert page.locator("[data-gate-step='checklist'] [data-gate-status]").inner_text() == (
        "2 of 8 ticked"
    )
    assert not problems, problems
