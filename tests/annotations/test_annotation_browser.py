"""Annotating in a real Chromium: select a passage, comment, see the highlight and the list entry
after a reload, jump between them, follow the passage into a new revision, and do it all from
the keyboard.

The live site and the browser come from ``browser_support``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from browser_support import LiveSite, browser_app, make_people, open_page, serving
from flask import Flask
from sqlalchemy import select
from support import pass_gate, revise_and_share

from supervision.annotations.panel import CHUNK
from supervision.annotations.services import create_annotation, section_texts
from supervision.cases.services import create_case
from supervision.extensions import db
from supervision.models import (
    Annotation,
    AnnotationVisibility,
    Case,
    GroupKind,
    Role,
    User,
)

REVIEWER_EMAIL = "tomas.supervisor@example.org"
AUTHOR_EMAIL = "alex.author@example.org"
TITLE = "A gift at the last session"
SECTIONS = {
    "context": "Third session of twelve, short-term counselling.",
    "client": "The client, a woman in her thirties, works in an office.",
    "moment": "At the end the client offered a small gift and I hesitated.",
    "reactions": "I felt touched and *uneasy*, and I said nothing for a while.",
    "question": "Should I have accepted it?",
}

# Select characters [start, end) of a section's text (as the server counts them) with the
# Selection API, the way a drag would; returns the selected text.
SELECT_JS = """
([section, start, end]) => {
  const container = document.querySelector(`[data-section="${section}"]`);
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let position = 0;
  let started = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const chars = Array.from(node.data);
    const units = (n) => chars.slice(0, n).join("").length;
    if (!started && start <= position + chars.length) {
      range.setStart(node, units(start - position));
      started = true;
    }
    if (started && end <= position + chars.length) {
      range.setEnd(node, units(end - position));
      break;
    }
    position += chars.length;
  }
  const selection = document.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return selection.toString();
}
"""

# The text of every highlight piece of one annotation, in document order.
HIGHLIGHT_TEXT_JS = """
(id) => Array.from(document.querySelectorAll(`mark[data-annotation-id="${id}"]`))
  .map((mark) => mark.textContent).join("")
"""


@dataclass
class Site:
    base: str
    app: Flask
    case_id: int


def _seed(app: Flask) -> int:
    """A supervision group with a supervisor and a supervisee, and the supervisee's shared case."""
    with app.app_context():
        group = make_people(
            "Browser group",
            GroupKind.SUPERVISION,
            {
                REVIEWER_EMAIL: ("Tomás Supervisor", Role.SUPERVISOR),
                AUTHOR_EMAIL: ("Alex Author", Role.SUPERVISEE),
            },
        )
        author = db.session.scalar(select(User).where(User.email == AUTHOR_EMAIL))
        case = create_case(group, author, TITLE, SECTIONS)
        pass_gate(case, author)
        return case.id


@pytest.fixture()
def site(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Site]:
    app = browser_app(tmp_path_factory, worker_id, monkeypatch)
    case_id = _seed(app)
    with serving(app) as base:
        yield Site(base, app, case_id)


def _open_page(browser: Any, site: Site, email: str, problems: list[str]) -> Any:
    live = LiveSite(site.base, site.app)
    return open_page(browser, live, email, f"/cases/{site.case_id}", problems)


def _offsets(site: Site, section: str, quote: str) -> tuple[int, int]:
    with site.app.app_context():
        case = db.session.get(Case, site.case_id)
        assert case is not None
        text = section_texts(case.revisions[-1])[section]
        start = text.index(quote)
        return start, start + len(quote)


def _annotation_ids(site: Site) -> list[int]:
    with site.app.app_context():
        return list(db.session.scalars(db.select(Annotation.id).order_by(Annotation.id)))


def _focused_id(page: Any) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


@pytest.mark.browser
def test_a_reviewer_annotates_a_selected_passage(site: Site, browser: Any) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []
    page = _open_page(browser, site, REVIEWER_EMAIL, problems)
    # Across the <em> of "*uneasy*": the highlight must be split over several elements.
    quote = "touched and uneasy, and I said"
    start, end = _offsets(site, "reactions", quote)
    assert page.evaluate(SELECT_JS, ["reactions", start, end]) == quote

    adder = page.get_by_role("button", name="Annotate selection")
    expect(adder).to_be_visible()
    adder.click()
    dialog = page.get_by_role("dialog", name="Annotate this passage")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-form-quote]")).to_have_text(quote)
    expect(page.locator("#annotation-body")).to_be_focused()
    page.fill("#annotation-body", "You *stayed* with the discomfort instead of filling it.")
    page.select_option("#annotation-criterion", "silence")
    dialog.get_by_role("button", name="Save annotation").click()
    expect(page.locator("[data-annotate-status]")).to_have_text("Annotation saved.")
    expect(dialog).to_have_count(0)

    [annotation_id] = _annotation_ids(site)
    entry = page.locator(f"#annotation-{annotation_id}")
    expect(entry).to_be_focused()  # the new comment, in its place in the list
    expect(entry.locator("em")).to_have_text("stayed")

    page.reload()
    highlight = page.locator(f"mark#ann-{annotation_id}")
    expect(highlight).to_have_count(1)
    assert page.evaluate(HIGHLIGHT_TEXT_JS, annotation_id) == quote
    assert page.locator(f'mark[data-annotation-id="{annotation_id}"]').count() >= 2
    entry = page.locator(f"#annotation-{annotation_id}")
    expect(entry.locator("blockquote")).to_have_text(quote)
    expect(entry).to_contain_text("Use of silence")
    # the text itself is untouched: what the server counts is still what the page shows
    text = page.evaluate("() => document.querySelector('[data-section=reactions]').textContent")
    assert text == "I felt touched and uneasy, and I said nothing for a while."

    # the list entry leads to the highlight, and the highlight back to the entry
    entry.get_by_role("link", name=re.compile("Show the passage in the text")).click()
    assert _focused_id(page) == f"ann-{annotation_id}"
    expect(highlight).to_be_in_viewport()
    page.locator(f'mark[data-annotation-id="{annotation_id}"]').last.click()
    assert _focused_id(page) == f"annotation-{annotation_id}"

    # A triple click selects the paragraph and runs on past it: the quote is clipped to the
    # section and its trailing line break left out.
    page.locator("[data-section=moment] p").click(click_count=3)
    expect(adder).to_be_visible()
    adder.click()
    expect(page.locator("[data-form-quote]")).to_have_text(SECTIONS["moment"])
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert not problems, problems


@pytest.mark.browser
def test_the_highlight_follows_its_words_into_a_new_revision(site: Site, browser: Any) -> None:
    from playwright.sync_api import expect

    quote = "offered a small gift"
    start, end = _offsets(site, "moment", quote)
    with site.app.app_context():
        case = db.session.get(Case, site.case_id)
        reviewer = db.session.scalar(db.select(User).where(User.email == REVIEWER_EMAIL))
        assert case is not None and reviewer is not None
        annotation = create_annotation(
            case, reviewer, 1, "moment", start, end, quote, "Notice the pull to accept.",
            visibility=AnnotationVisibility.SUPERVISEE,
        )  # fmt: skip
        db.session.commit()
        annotation_id = annotation.id

    problems: list[str] = []
    page = _open_page(browser, site, REVIEWER_EMAIL, problems)
    assert page.evaluate(HIGHLIGHT_TEXT_JS, annotation_id) == quote
    expect(page.locator(f"#annotation-{annotation_id}")).to_contain_text("Original")

    # The author inserts a paragraph before the passage, then shares the new revision.
    with site.app.app_context():
        case = db.session.get(Case, site.case_id)
        assert case is not None
        moment = "She had been quiet for most of the hour.\n\n" + case.revisions[-1].moment
        revise_and_share(case, moment=moment)
        assert case.published_number == 2
    new_start, _ = _offsets(site, "moment", quote)
    assert new_start > start

    page.reload()
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(f"mark#ann-{annotation_id}")).to_have_count(1)
    assert page.evaluate(HIGHLIGHT_TEXT_JS, annotation_id) == quote
    entry = page.locator(f"#annotation-{annotation_id}")
    expect(entry).to_contain_text("Carried forward")
    expect(entry).to_have_attribute("data-anchor-start", str(new_start))
    assert not problems, problems


@pytest.mark.browser
def test_a_keyboard_user_annotates_with_the_shortcut(site: Site, browser: Any) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []
    page = _open_page(browser, site, REVIEWER_EMAIL, problems)
    expect(page.locator("#annotations")).to_contain_text("Alt")

    # A selection made with the keyboard (caret browsing) is an ordinary selection; Alt+A.
    quote = "a small gift"
    start, end = _offsets(site, "moment", quote)
    page.evaluate(SELECT_JS, ["moment", start, end])
    page.keyboard.press("Alt+a")
    expect(page.locator("#annotation-body")).to_be_focused()
    expect(page.locator("[data-form-quote]")).to_have_text(quote)
    # Escape gives up, and gives the selection back.
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert page.evaluate("() => document.getSelection().toString()") == quote
    assert page.locator("mark").count() == 0  # the pending highlight is gone

    # "Select passage with the keyboard": a caret in the text, Shift+arrows, then Alt+A.
    page.get_by_role("button", name="Select passage with the keyboard").click()
    expect(page.locator("[data-section=context]")).to_be_focused()
    page.keyboard.press("x")  # the text stays read-only
    page.keyboard.press("Enter")
    context = "Third session of twelve, short-term counselling."
    text = page.evaluate("() => document.querySelector('[data-section=context]').textContent")
    assert text == context
    for _ in range(len("Third session")):
        page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate("() => document.getSelection().toString()") == "Third session"
    page.keyboard.press("Alt+a")
    expect(page.locator("#annotation-body")).to_be_focused()
    expect(page.locator("[data-form-quote]")).to_have_text("Third session")
    page.keyboard.type("Naming where we are in the work helps.")
    page.keyboard.press("Tab")  # to the criterion
    page.keyboard.press("Tab")  # to the visibility choice
    page.keyboard.press("Tab")  # to "Save annotation"
    page.keyboard.press("Enter")
    expect(page.locator("[data-annotate-status]")).to_have_text("Annotation saved.")
    [annotation_id] = _annotation_ids(site)
    expect(page.locator(f"#annotation-{annotation_id}")).to_be_focused()
    assert page.evaluate(HIGHLIGHT_TEXT_JS, annotation_id) == "Third session"
    page.locator("[data-section=question]").focus()
    page.keyboard.press("Escape")  # leaves select mode; the keyboard user lands on the toggle
    expect(page.get_by_role("button", name="Select passage with the keyboard")).to_be_focused()
    expect(page.locator("[data-section=context]")).not_to_have_attribute("contenteditable", "true")
    assert not problems, problems


# Markdown whose rendering has every kind of text node: entities, a no-break space, escaped
# tags, a table, code, nested lists, a quote, a line break, and characters outside the BMP
# (one code point for Python, two UTF-16 units for JavaScript).
TRICKY = """Before the 😊 session &amp; after,&nbsp;she wrote <b>thanks</b>.

| week | mood |
|---|---|
| 1 | flat |

```
she said:

  "fine"
```

- one
- two
    - nested

> a *quiet* **pause**

First line
then 🌧️ the gift on the table.""".replace("First line\n", "First line  \n")  # a <br>


@pytest.mark.browser
def test_the_browser_counts_the_text_as_the_server_does(site: Site, browser: Any) -> None:
    from playwright.sync_api import expect

    with site.app.app_context():
        case = db.session.get(Case, site.case_id)
        assert case is not None
        revise_and_share(case, context=TRICKY)
        server_text = section_texts(case.revisions[-1])["context"]

    problems: list[str] = []
    page = _open_page(browser, site, REVIEWER_EMAIL, problems)
    browser_text = page.evaluate(
        "() => document.querySelector('[data-section=context]').textContent"
    )
    assert browser_text == server_text

    # A passage after the emoji and across the line break: saved (the server checks the
    # exact text at the offsets) and highlighted on exactly those words.
    quote = "First line\nthen 🌧️ the gift"
    start, end = _offsets(site, "context", quote)
    assert page.evaluate(SELECT_JS, ["context", start, end]) == quote
    page.keyboard.press("Alt+a")
    page.fill("#annotation-body", "Weather as mood.")
    page.get_by_role("button", name="Save annotation").click()
    expect(page.locator("[data-annotate-status]")).to_have_text("Annotation saved.")
    [annotation_id] = _annotation_ids(site)
    assert page.evaluate(HIGHLIGHT_TEXT_JS, annotation_id) == quote
    page.reload()
    assert page.evaluate(HIGHLIGHT_TEXT_JS, annotation_id) == quote
    # marks never change the text the offsets count
    assert (
        page.evaluate("() => document.querySelector('[data-section=context]').textContent")
        == server_text
    )
    assert not problems, problems


@pytest.mark.browser
def test_more_annotations_load_in_place_with_their_highlights(site: Site, browser: Any) -> None:
    """A long list renders its first chunk; "Show more" appends the next without leaving the
    page, moves focus to the first new entry, says so, and highlights the new passages."""
    from playwright.sync_api import expect

    text = SECTIONS["client"]
    words = [match.span() for match in re.finditer(r"\S+", text)]
    total = CHUNK + 3
    with site.app.app_context():
        case = db.session.get(Case, site.case_id)
        reviewer = db.session.scalar(select(User).where(User.email == REVIEWER_EMAIL))
        for n in range(total):
            start, end = words[n % len(words)]
            create_annotation(
                case, reviewer, 1, "client", start, end, text[start:end], f"Note {n}.",
                visibility=AnnotationVisibility.SUPERVISEE,
            )  # fmt: skip
        db.session.commit()

    problems: list[str] = []
    page = _open_page(browser, site, REVIEWER_EMAIL, problems)
    entries = page.locator("[data-annotation-list] > li > article")
    expect(entries).to_have_count(CHUNK)
    more = page.get_by_role("link", name=re.compile("Show 3 more annotations"))
    expect(more).to_be_visible()
    more.focus()
    page.keyboard.press("Enter")
    expect(entries).to_have_count(total)
    expect(more).to_have_count(0)  # nothing left to show
    assert page.url.endswith(f"/cases/{site.case_id}")  # still the same page
    expect(entries.nth(CHUNK)).to_be_focused()
    expect(page.locator("[data-load-more-status]")).to_have_text("3 more annotations shown.")
    for n in range(total):
        entry_id = entries.nth(n).get_attribute("data-annotation-id")
        expect(page.locator(f"mark#ann-{entry_id}")).to_have_count(1)
    assert not problems, problems
