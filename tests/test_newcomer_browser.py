"""What a newcomer meets on the pages, in a real Chromium on the demo workspace: the gate's
"change it", the review form's aids (descriptors collapsed and remembered, criteria left, "not
visible" setting evidence aside), the quiet "leave" on the group page, and the login page on a
phone (no sideways scrolling, a one-line demo banner, a calm focus ring).

The live site and the browser come from ``browser_support``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import LiveSite, browser_app, open_page, serving
from sqlalchemy import select

from supervision.demo.accounts import DEMO_PASSWORD
from supervision.demo.workspace import build_workspace, demo_email
from supervision.extensions import db
from supervision.models import Case, CaseStatus, Membership, Review, ReviewStatus, User

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
CALM_FOCUS = "rgb(31, 79, 138)"  # --focus in app.css


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[LiveSite]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        app = browser_app(tmp_path_factory, worker_id, monkeypatch)
        app.config["DEMO_MODE"] = True  # the banner and the demo accounts on the login page
        with app.app_context():
            build_workspace()
            db.session.commit()
        with serving(app) as base:
            yield LiveSite(base, app)


def _query(site: LiveSite, statement: Any) -> Any:
    with site.app.app_context():
        return db.session.scalar(statement)


def _user(site: LiveSite, handle: str) -> User:
    with site.app.app_context():
        user = db.session.scalar(select(User).where(User.email == demo_email(handle)))
        db.session.expunge(user)
        return user


def _login(browser: Any, site: LiveSite, handle: str, path: str, problems: list[str]) -> Any:
    context = browser.new_context()
    return open_page(context, site, demo_email(handle), path, problems, DEMO_PASSWORD)


# -- the gate ----------------------------------------------------------------------------------


def test_change_it_replaces_the_finding_in_place_and_keeps_the_checklist(
    site: LiveSite, browser: Any
) -> None:
    from playwright.sync_api import expect

    sam = _user(site, "sam")
    case_id = _query(
        site,
        select(Case.id).where(Case.author_id == sam.id, Case.status == CaseStatus.DRAFT),
    )
    problems: list[str] = []
    page = _login(browser, site, "sam", f"/cases/{case_id}/share", problems)
    first = page.locator("[data-replace-form]").first
    original = first.locator("input[name='original']").get_attribute("value")
    section = first.locator("input[name='section']").get_attribute("value")
    page.locator("input[name='checklist']").first.check()
    page.locator("#altered_note").fill("Changed her name and town.")

    first.locator("input[name='replacement']").fill("K.")
    first.get_by_role("button", name=re.compile("^Change it")).click()

    expect(page.locator(".flash--success")).to_contain_text("Replaced. The text was scanned again.")
    assert re.search(r"/share#scan-", page.url)
    text = page.locator(f"#scan-{section}").locator("xpath=ancestor::section[1]")
    expect(text.locator(".scan-text")).to_contain_text("K.")
    expect(text.locator(".scan-text")).not_to_contain_text(original)
    # What was ticked and written went along with the answer and is still there.
    expect(page.locator("input[name='checklist']").first).to_be_checked()
    expect(page.locator("#altered_note")).to_have_value("Changed her name and town.")
    assert not problems, problems


# -- the review form ---------------------------------------------------------------------------


def _draft_review_id(site: LiveSite) -> int:
    tomas = _user(site, "tomas")
    return _query(
        site,
        select(Review.id).where(
            Review.reviewer_id == tomas.id, Review.status == ReviewStatus.DRAFT
        ),
    )


def test_collapsed_descriptors_are_remembered_for_the_reviewer_on_any_browser(
    site: LiveSite, browser: Any
) -> None:
    from playwright.sync_api import expect

    path = f"/reviews/{_draft_review_id(site)}/edit"
    problems: list[str] = []
    page = _login(browser, site, "tomas", path, problems)
    descriptor = page.locator(".level-descriptor").first
    toggle = page.get_by_role("button", name="Hide the level descriptors")
    expect(descriptor).to_be_visible()  # shown until the reviewer folds them
    expect(toggle).to_have_attribute("aria-expanded", "true")

    with page.expect_response(lambda r: r.url.endswith("/account/review-descriptors")) as sent:
        toggle.click()
    assert sent.value.ok
    expect(descriptor).to_be_hidden()
    expect(page.locator("[data-descriptor-toggle]")).to_have_text("Show the level descriptors")
    expect(page.locator("[data-descriptor-toggle]")).to_have_attribute("aria-expanded", "false")
    # The level names stay: only the long descriptors fold away.
    level_one = page.locator("label[for='criterion_boundaries-level-0']")
    expect(level_one).to_be_visible()
    expect(level_one).to_contain_text("Counter-therapeutic")

    page.reload()
    expect(page.locator(".level-descriptor").first).to_be_hidden()
    # Another browser (no shared storage): the choice is the reviewer's, kept on the server.
    other = _login(browser, site, "tomas", path, problems)
    expect(other.locator(".level-descriptor").first).to_be_hidden()
    assert _user(site, "tomas").collapse_level_descriptors

    with other.expect_response(lambda r: r.url.endswith("/account/review-descriptors")):
        other.get_by_role("button", name="Show the level descriptors").click()
    expect(other.locator(".level-descriptor").first).to_be_visible()
    assert not _user(site, "tomas").collapse_level_descriptors
    assert not problems, problems


def test_criteria_left_follow_the_choices_and_not_visible_sets_evidence_aside(
    site: LiveSite, browser: Any
) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []
    page = _login(browser, site, "tomas", f"/reviews/{_draft_review_id(site)}/edit", problems)
    count = page.locator("[data-left-count]")
    before = int(count.inner_text())
    open_keys = page.locator("[data-left-item]:not([hidden])").evaluate_all(
        "items => items.map(i => i.dataset.leftItem)"
    )
    assert len(open_keys) == before >= 2
    key = open_keys[0]

    evidence = page.locator(f"#criterion_{key}-evidence")
    comment = page.locator(f"#criterion_{key}-comment")
    note = page.locator(f"#criterion-{key}-not-visible")
    evidence.fill("A passage I quoted too soon.")
    expect(note).to_be_hidden()
    page.locator(f"#criterion-{key} input[value='n/o']").check()
    expect(count).to_have_text(str(before - 1))
    expect(page.locator(f"[data-left-item='{key}']")).to_be_hidden()
    expect(evidence).to_be_disabled()
    expect(comment).to_be_disabled()
    expect(note).to_be_visible()
    expect(note).to_contain_text("carries no evidence and no comment")

    page.locator(f"#criterion-{key} input[value='3']").check()  # a level: evidence back in use
    expect(evidence).to_be_enabled()
    expect(evidence).to_have_value("A passage I quoted too soon.")
    expect(note).to_be_hidden()
    expect(count).to_have_text(str(before - 1))

    for other in open_keys[1:]:
        page.locator(f"#criterion-{other} input[value='n/o']").check()
    expect(page.locator("[data-left-none]")).to_be_visible()
    expect(page.locator("[data-left-some]")).to_be_hidden()
    assert not problems, problems


# -- the group page ----------------------------------------------------------------------------


def test_leaving_a_group_asks_first(site: LiveSite, browser: Any) -> None:
    from playwright.sync_api import expect

    sam = _user(site, "sam")
    group_id = _query(site, select(Membership.group_id).where(Membership.user_id == sam.id))
    problems: list[str] = []
    page = _login(browser, site, "sam", f"/groups/{group_id}", problems)
    header = page.locator(".page-header__actions .button").first
    expect(header).to_have_text("Write a case")
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.get_by_role("button", name="Leave this group").click()
    page.wait_for_timeout(200)  # a dismissed confirm submits nothing; give it a moment
    assert asked and asked[0].startswith("Leave ")
    assert page.url.endswith(f"/groups/{group_id}")
    assert _query(
        site,
        select(Membership.id).where(Membership.user_id == sam.id, Membership.group_id == group_id),
    )
    assert not problems, problems


# -- the login page on a phone -----------------------------------------------------------------


def test_login_page_fits_a_phone_with_a_one_line_banner_and_a_calm_focus_ring(
    site: LiveSite, browser: Any
) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(site.url("/login"))
    assert page.locator(".demo-accounts tbody tr").count() >= 5
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width  # nothing scrolls sideways
    overflowing = page.eval_on_selector_all(
        ".demo-accounts td, .demo-accounts code",
        f"cells => cells.filter(c => c.getBoundingClientRect().right > {PHONE['width']}).length",
    )
    assert overflowing == 0
    lines = page.eval_on_selector(
        ".demo-banner__text",
        """p => { const s = getComputedStyle(p);
                  const inner = p.getBoundingClientRect().height
                    - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);
                  return Math.round(inner / parseFloat(s.lineHeight)); }""",
    )
    assert lines == 1
    assert "no real client material" in page.locator(".demo-banner").inner_text()

    page.keyboard.press("Tab")  # the skip link, then the first control, by keyboard
    page.keyboard.press("Tab")
    ring = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"""
    )
    assert ring[0] == "solid" and float(ring[1].removesuffix("px")) >= 2, ring
    assert ring[2] == CALM_FOCUS, ring
    page.close()
