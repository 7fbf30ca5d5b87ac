"""The desk, the pooled trend and the check-in pages pass axe (WCAG 2.2 AA) in Chromium, on the
demo workspace; the check-in works with the keyboard alone."""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import (
    LiveSite,
    axe_violations,
    open_page,
)
from sqlalchemy import func, select

from supervision.demo.accounts import DEMO_PASSWORD
from supervision.demo.workspace import demo_email
from supervision.extensions import db
from supervision.models import RelationshipCheck

pytestmark = pytest.mark.browser


def test_the_desk_and_the_trend_pass_axe(demo_site: LiveSite, browser: Any) -> None:
    errors: list[str] = []
    page = open_page(
        browser.new_context(), demo_site, demo_email("tomas"), "/desk/", errors, DEMO_PASSWORD
    )
    problems = {}
    for path in ("/desk/", "/desk/relationship", "/supervision/"):
        page.goto(demo_site.url(path))
        if found := axe_violations(page):
            problems[path] = found
    assert "points down" in page.goto(demo_site.url("/desk/relationship")).text()
    assert not problems, problems
    assert not errors, errors


def test_a_check_in_passes_axe_and_is_answered_with_the_keyboard(
    demo_site: LiveSite, browser: Any
) -> None:
    errors: list[str] = []
    page = open_page(
        browser.new_context(),
        demo_site,
        demo_email("noor"),
        "/supervision/",
        errors,
        DEMO_PASSWORD,
    )
    assert not axe_violations(page)
    page.get_by_role("link", name="Check in after").first.click()
    page.wait_for_url("**/check-in")
    assert not (found := axe_violations(page)), found
    with demo_site.app.app_context():
        before = db.session.scalar(select(func.count()).select_from(RelationshipCheck))
    for legend in ("I could bring", "We were working", "The way we went", "I felt my"):
        group = page.get_by_role("group", name=legend)
        group.get_by_label("6: Very much").focus()
        page.keyboard.press("Space")
    page.get_by_role("button", name="Send my answers").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/supervision/")
    with demo_site.app.app_context():
        after = db.session.scalar(select(func.count()).select_from(RelationshipCheck))
    assert after == before + 1
    assert not errors, errors
