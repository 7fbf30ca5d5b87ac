"""The case page on a phone, in a real Chromium: the author's actions and the annotations waiting
for their answer come before the case text, and the annotation help speaks of a finger where the
pointer is coarse (and of Alt+A and F7 where it is not). No script decides this: CSS does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import conftest
import pytest
from browser_support import axe_violations, browser_app, make_people, serving
from sqlalchemy import select
from support import pass_gate

from supervision.annotations.services import create_annotation, section_texts
from supervision.cases.services import create_case, latest_revision
from supervision.extensions import db
from supervision.models import AnnotationVisibility, GroupKind, Role, User

AUTHOR = "alex.author@example.org"
REVIEWER = "tomas.supervisor@example.org"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
SECTIONS = {
    "context": "Third session of twelve, short-term counselling.",
    "client": "The client, a woman in her thirties, works in an office.",
    "moment": "At the end the client offered a small gift and I hesitated.",
    "reactions": "I felt touched and uneasy, and I said nothing for a while.",
    "question": "Should I have accepted it?",
}
QUOTE = "offered a small gift"


@dataclass
class Site:
    base: str
    case_id: int


@pytest.fixture()
def site(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Site]:
    app = browser_app(tmp_path_factory, worker_id, monkeypatch)
    with app.app_context():
        group = make_people(
            "Phone group",
            GroupKind.SUPERVISION,
            {
                REVIEWER: ("Tomás Supervisor", Role.SUPERVISOR),
                AUTHOR: ("Alex Author", Role.SUPERVISEE),
            },
        )
        author = db.session.scalar(select(User).where(User.email == AUTHOR))
        reviewer = db.session.scalar(select(User).where(User.email == REVIEWER))
        case = create_case(group, author, "A gift at the last session", SECTIONS)
        pass_gate(case, author)
        revision = latest_revision(case)
        start = section_texts(revision)["moment"].index(QUOTE)
        create_annotation(
            case, reviewer, revision.number, "moment", start, start + len(QUOTE), QUOTE,
            "What did the hesitation say?", visibility=AnnotationVisibility.SUPERVISEE,
        )  # fmt: skip
        db.session.commit()
        case_id = case.id
    with serving(app) as base:
        yield Site(base, case_id)


def _page(browser: Any, site: Site, email: str, *, phone: bool) -> Any:
    options: dict[str, Any] = {"viewport": PHONE if phone else DESKTOP}
    if phone:
        options.update(has_touch=True, is_mobile=True)
    page = browser.new_context(**options).new_page()
    page.goto(f"{site.base}/login")
    page.fill("#email", email)
    page.fill("#password", conftest.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"^(?!.*/login).*$"))
    page.goto(f"{site.base}/cases/{site.case_id}")
    return page


def _top(page: Any, selector: str) -> float:
    """Where the element begins, in CSS pixels from the top of the document."""
    element = page.locator(selector).first
    assert element.count() == 1, selector
    return float(element.evaluate("(el) => el.getBoundingClientRect().top + window.scrollY"))


@pytest.mark.browser
def test_on_a_phone_the_author_meets_their_actions_and_open_annotations_first(
    site: Site, browser: Any
) -> None:
    page = _page(browser, site, AUTHOR, phone=True)
    desk = page.locator("section.author-desk")
    assert desk.is_visible()
    assert axe_violations(page) == []
    text = _top(page, '[data-section="context"]')
    assert _top(page, "section.author-desk") < text
    for name in ("Edit", "Withdraw case"):
        assert _top(page, f"section.author-desk >> text={name}") < text
    waiting = desk.get_by_role("link", name=re.compile(QUOTE))
    assert _top(page, f"section.author-desk >> text={QUOTE}") < text
    # The link leads down to the annotation in the list, after the text.
    waiting.click()
    page.wait_for_function("() => location.hash.startsWith('#annotation-')")
    assert _top(page, "[data-annotation-list]") > text
    assert page.evaluate("() => window.scrollY") > text  # it scrolled past the case text
    # Below the case, the aside does not offer the author's actions a second time.
    assert page.locator("aside >> text=Withdraw case").count() == 0


@pytest.mark.browser
def test_the_annotation_help_speaks_of_touch_on_a_touch_screen(site: Site, browser: Any) -> None:
    phone = _page(browser, site, REVIEWER, phone=True)
    assert phone.evaluate("() => matchMedia('(pointer: coarse)').matches")
    touch_help = phone.locator(".annotate-help--touch")
    assert touch_help.is_visible()
    assert "finger" in touch_help.inner_text()
    assert not phone.locator(".annotate-help--pointer").is_visible()

    assert axe_violations(phone) == []

    desktop = _page(browser, site, REVIEWER, phone=False)
    assert desktop.locator(".annotate-help--pointer").is_visible()
    assert "Alt+A" in desktop.locator(".annotate-help--pointer").inner_text()
    assert not desktop.locator(".annotate-help--touch").is_visible()


# What a finger does: a selection in one section (here made with the Selection API).
SELECT_START_OF_QUESTION_JS = """
() => {
  const node = document.querySelector('[data-section="question"] p').firstChild;
  const range = document.createRange();
  range.setStart(node, 0);
  range.setEnd(node, 12);
  document.getSelection().removeAllRanges();
  document.getSelection().addRange(range);
  return document.getSelection().toString();
}
"""


@pytest.mark.browser
def test_on_a_touch_screen_a_tap_on_annotate_selection_opens_the_form(
    site: Site, browser: Any
) -> None:
    from playwright.sync_api import expect

    page = _page(browser, site, REVIEWER, phone=True)
    page.wait_for_load_state("networkidle")  # annotate.js is a module: loaded after the page
    assert page.evaluate(SELECT_START_OF_QUESTION_JS) == "Should I hav"
    adder = page.get_by_role("button", name="Annotate selection")
    expect(adder).to_be_visible()
    adder.tap()
    form = page.get_by_role("dialog", name="Annotate this passage")
    expect(form).to_be_visible()
    expect(form.locator("[data-form-quote]")).to_have_text("Should I hav")
