"""Keyset pagination (supervision/pagination.py), through "My cases": newest first,
a page at a time by cursor, every row once however many share a time, and any link a reader
may hold (an old ``?page=N``, a cursor that is not one) answered with the first page."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from case_support import Browser, case_links, make_world, new_case
from sqlalchemy import Integer, column, update

from supervision.extensions import db
from supervision.models import Case
from supervision.models.types import UTCDateTime
from supervision.pagination import decode_cursor, encode_cursor

KEY = (column("updated_at", UTCDateTime()), column("id", Integer()))


def test_a_cursor_reads_back_as_its_key():
    when = datetime(2026, 5, 4, 3, 2, 1, 123456, tzinfo=UTC)
    assert decode_cursor(encode_cursor([when, 42]), KEY) == (when, 42)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", encode_cursor([when, 42]))  # safe in a URL as is


@pytest.mark.parametrize(
    "cursor",
    [
        None,
        "",
        "garbage!",
        encode_cursor(["2026-05-04T03:02:01+00:00"]),  # one value for a two-column key
        encode_cursor(["2026-05-04T03:02:01", 1]),  # a time without its zone
        encode_cursor(["yesterday", 1]),
        encode_cursor(["2026-05-04T03:02:01+00:00", 2**40]),  # no id column holds it
        "x" * 500,
    ],
)
def test_a_cursor_that_is_not_one_is_none(cursor):
    assert decode_cursor(cursor, KEY) is None


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]+)" rel="{rel}"', page)
    return html.unescape(found.group(1)) if found else None


def _walk(browser: Browser, start: str) -> list[list[int]]:
    """Every page from ``start`` following "Older", each page's case ids in order."""
    pages, url = [], start
    while url:
        page = browser.text(url)
        pages.append([int(n) for n in re.findall(r'<a href="/cases/(\d+)">', page)])
        url = _link(page, "next")
        assert len(pages) < 10
    return pages


def test_my_cases_pages_newest_first_and_back(app, make_user, make_group):
    w = make_world(make_user, make_group)
    made = [new_case(w.group, w.author, f"Draft {n}") for n in range(25)]
    browser = Browser(app, w.author)
    first = browser.text("/cases/mine")
    assert 'aria-label="Pages of my cases"' in first and _link(first, "prev") is None
    pages = _walk(browser, "/cases/mine")
    assert [len(p) for p in pages] == [20, 5]
    assert [n for page in pages for n in page] == [
        case.id for case in reversed(made)
    ]  # newest first, each once
    second = browser.text(_link(first, "next"))
    assert case_links(browser.text(_link(second, "prev"))) == set(pages[0])
    assert [
        int(n) for n in re.findall(r'<a href="/cases/(\d+)">', browser.text("/cases/mine?at=last"))
    ] == [case.id for case in reversed(made[:20])]


def test_rows_sharing_a_time_are_each_listed_once(app, make_user, make_group):
    w = make_world(make_user, make_group)
    made = [new_case(w.group, w.author, f"Draft {n}") for n in range(45)]
    same = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    db.session.execute(update(Case).values(updated_at=same))
    db.session.commit()
    browser = Browser(app, w.author)
    pages = _walk(browser, "/cases/mine")
    assert [len(p) for p in pages] == [20, 20, 5]
    assert [n for page in pages for n in page] == sorted((case.id for case in made), reverse=True)
    # and back: "Newer" from the third page is the second, from the second the first
    third = browser.text(_link(browser.text(_link(browser.text("/cases/mine"), "next")), "next"))
    second = browser.text(_link(third, "prev"))
    assert [int(n) for n in re.findall(r'<a href="/cases/(\d+)">', second)] == pages[1]
    first = browser.text(_link(second, "prev"))
    assert [int(n) for n in re.findall(r'<a href="/cases/(\d+)">', first)] == pages[0]
    assert _link(first, "prev") is None


@pytest.mark.parametrize(
    "query", ["?page=2", "?page=99999", "?after=nonsense", "?before=%00", "?at=elsewhere"]
)
def test_old_or_broken_links_show_the_first_page(app, make_user, make_group, query):
    w = make_world(make_user, make_group)
    for n in range(22):
        new_case(w.group, w.author, f"Draft {n}")
    browser = Browser(app, w.author)
    assert case_links(browser.text(f"/cases/mine{query}")) == case_links(
        browser.text("/cases/mine")
    )


def test_a_cursor_past_the_end_shows_the_first_page(app, make_user, make_group):
    w = make_world(make_user, make_group)
    made = [new_case(w.group, w.author, f"Draft {n}") for n in range(3)]
    browser = Browser(app, w.author)
    oldest = encode_cursor([made[0].updated_at - timedelta(days=1), made[0].id])
    assert case_links(browser.text(f"/cases/mine?after={oldest}")) == {c.id for c in made}
    assert (
        "<nav"
        not in browser.text("/cases/mine").split("<main")[1].split('class="pagination"')[0][-1:]
    )


def test_my_cases_without_cases_says_so(app, make_user, make_group):
    w = make_world(make_user, make_group)
    page = Browser(app, w.author).text("/cases/mine")
    assert "You have not written a case yet." in page and 'class="pagination"' not in page
