"""The growth pages in a real Chromium on the demo workspace: axe finds no WCAG 2.2 AA
violation, the charts load as images under the strict CSP (no violation reported) and a
supervisor reads the page Amara shared with them."""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import (
    LiveSite,
    axe_violations,
    open_page,
)
from sqlalchemy import select

from supervision.demo.accounts import DEMO_PASSWORD
from supervision.demo.workspace import demo_email
from supervision.extensions import db
from supervision.models import User

pytestmark = pytest.mark.browser


def _amara_id(site: LiveSite) -> int:
    with site.app.app_context():
        return db.session.scalar(select(User.id).where(User.email == demo_email("amara")))


def _charts_drawn(page: Any) -> list[int]:
    page.evaluate("() => document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; })")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.growth-chart img')].every(i => i.complete)"
    )
    return page.eval_on_selector_all(
        ".growth-chart img", "images => images.map(i => i.naturalWidth)"
    )


def test_amaras_growth_page_and_sharing_page_pass_axe(demo_site: LiveSite, browser: Any) -> None:
    errors: list[str] = []
    context = browser.new_context()
    page = open_page(context, demo_site, demo_email("amara"), "/growth", errors, DEMO_PASSWORD)
    assert page.get_by_role("heading", name="My growth").is_visible()
    widths = _charts_drawn(page)
    assert len(widths) >= 4 and all(width > 0 for width in widths), widths
    assert page.locator("caption", has_text="released levels, oldest first").count() >= 4
    assert not axe_violations(page)
    page.get_by_role("link", name="Choose who sees it").click()
    assert page.get_by_role("heading", name="Who sees my growth").is_visible()
    assert page.get_by_role("button", name="Stop sharing with Tomás Ferreira (demo)").count() == 1
    assert not axe_violations(page)
    assert not errors, errors  # CSP violations are reported as console errors


def test_tomas_reads_the_growth_amara_shared_with_him(demo_site: LiveSite, browser: Any) -> None:
    errors: list[str] = []
    context = browser.new_context()
    path = f"/growth/people/{_amara_id(demo_site)}"
    page = open_page(context, demo_site, demo_email("tomas"), path, errors, DEMO_PASSWORD)
    assert page.get_by_role("heading", name="Growth of Amara Osei (demo)").is_visible()
    assert all(width > 0 for width in _charts_drawn(page))
    assert not axe_violations(page)
    assert not errors, errors


def test_amara_scores_her_own_case_and_the_pages_pass_axe(
    demo_site: LiveSite, browser: Any
) -> None:
    from supervision.models import Case

    with demo_site.app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.title.startswith('"You')))
    errors: list[str] = []
    context = browser.new_context()
    path = f"/cases/{case_id}/self-assessment"
    page = open_page(context, demo_site, demo_email("amara"), path, errors, DEMO_PASSWORD)
    assert not axe_violations(page)
    page.get_by_role("button", name="Start scoring my case").click()
    page.get_by_role("button", name="Submit my levels").wait_for()
    assert page.locator("fieldset legend").count() >= 5
    assert not axe_violations(page)
    for fieldset in page.locator("fieldset").all():
        fieldset.get_by_label("Not visible in this vignette").check()
    page.get_by_role("button", name="Submit my levels").click()
    page.get_by_role("heading", name="My levels beside my supervisors'").wait_for()
    assert not axe_violations(page)
    assert not errors, errors
