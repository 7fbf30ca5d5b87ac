"""@mention suggestions in a real Chromium: type "@" and part of a name, choose from the list by
keyboard or mouse, post, and the person named is linked and notified."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import LiveSite, browser_app, in_app, make_people, open_page, serving
from sqlalchemy import select

from supervision.discussions.services import create_thread
from supervision.extensions import db
from supervision.models import GroupKind, Notification, NotificationEvent, Post, Role, User

pytestmark = pytest.mark.browser

ROBIN = "robin.okafor@example.org"
PEOPLE = {
    ROBIN: ("Robin Okafor", Role.FACILITATOR),
    "ana@example.org": ("Ana Lindqvist", Role.PEER),
    "ander@example.org": ("Ánder Ruiz", Role.PEER),
    "sam@example.org": ("Sam Rivers", Role.PEER),
}
COMPOSER = "textarea[name='body']"


@pytest.fixture()
def site(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[LiveSite]:
    app = browser_app(tmp_path_factory, worker_id, monkeypatch)
    with app.app_context():
        group = make_people("Thursday peers", GroupKind.PEER, PEOPLE)
        robin = db.session.scalar(select(User).where(User.email == ROBIN))
        thread = create_thread(group, robin, "Silences", "When do you let a silence run?")
        db.session.commit()
        thread_id = thread.id
    with serving(app) as base:
        yield LiveSite(base, app, {"thread": thread_id})


def _options(page: Any) -> list[str]:
    return page.locator("[role='option'] > span:first-child").all_inner_texts()


def test_choosing_a_mention_by_keyboard_and_posting_it(site: LiveSite, browser: Any) -> None:
    problems: list[str] = []
    page = open_page(browser, site, ROBIN, f"/discussions/{site.ids['thread']}", problems)
    composer = page.locator(COMPOSER)
    assert composer.get_attribute("role") == "combobox"
    assert composer.get_attribute("aria-expanded") == "false"

    composer.click()
    composer.press_sequentially("@rob")  # the writer is never offered to themselves
    page.wait_for_timeout(100)
    assert page.get_by_role("listbox", name="People to mention").is_hidden()
    composer.fill("")
    composer.press_sequentially("Thanks @an")
    listbox = page.get_by_role("listbox", name="People to mention")
    listbox.wait_for(state="visible")
    # Accents fold: "an" finds Ana and Ánder, sorted by name.
    assert _options(page) == ["Ana Lindqvist", "Ánder Ruiz"]
    assert composer.get_attribute("aria-expanded") == "true"
    first = composer.get_attribute("aria-activedescendant")
    page.keyboard.press("ArrowDown")
    second = composer.get_attribute("aria-activedescendant")
    assert first != second
    assert page.locator(f"#{second}").get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    assert composer.input_value() == "Thanks @Ánder Ruiz "
    assert listbox.is_hidden()
    assert composer.get_attribute("aria-expanded") == "false"

    # An e-mail address is not a mention; Escape closes an open list without inserting.
    composer.press_sequentially("or mail me@ex")
    assert listbox.is_hidden()
    composer.press_sequentially(" or @sa")
    listbox.wait_for(state="visible")
    assert _options(page) == ["Sam Rivers"]
    page.keyboard.press("Escape")
    assert listbox.is_hidden()
    assert composer.input_value() == "Thanks @Ánder Ruiz or mail me@ex or @sa"

    page.get_by_role("button", name="Post").click()
    page.wait_for_load_state()
    assert (
        page.locator(".post").filter(has_text="Thanks").locator("a", has_text="Ánder Ruiz").count()
        == 1
    )

    def mentioned() -> list[str]:
        rows = db.session.execute(
            select(User.display_name)
            .join(Notification, Notification.user_id == User.id)
            .where(Notification.event == NotificationEvent.MENTION)
        )
        return [name for (name,) in rows]

    assert in_app(site, mentioned) == ["Ánder Ruiz"]
    assert not problems, problems


def test_choosing_a_mention_with_the_mouse_keeps_typing_in_place(
    site: LiveSite, browser: Any
) -> None:
    problems: list[str] = []
    page = open_page(browser, site, ROBIN, f"/discussions/{site.ids['thread']}", problems)
    composer = page.locator(COMPOSER)
    composer.click()
    composer.press_sequentially("Agree with @lind")
    page.get_by_role("option", name="Ana Lindqvist").click()
    assert composer.input_value() == "Agree with @Ana Lindqvist "
    assert composer.evaluate("el => el === document.activeElement")
    composer.press_sequentially("on this.")
    page.get_by_role("button", name="Post").click()
    page.wait_for_load_state()

    def last_post() -> str:
        return db.session.scalars(select(Post.body).order_by(Post.id.desc())).first() or ""

    assert in_app(site, last_post) == "Agree with @Ana Lindqvist on this."
    assert not problems, problems
