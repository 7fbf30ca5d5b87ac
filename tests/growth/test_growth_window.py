"""The growth page shows a window of the latest released reviews, with keyset links to the
earlier ones; its charts show the same window."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from growth_support import review
from support import shared_case, supervision_group

from supervision.extensions import db
from supervision.growth import series

CASES = 5  # released reviews, one per case, oldest first; case N scored N on boundaries
WINDOW = 2


@pytest.fixture
def author(app: Flask, make_user, make_group, monkeypatch):
    monkeypatch.setattr(series, "WINDOW", WINDOW)
    facilitator = make_user("Fran Facilitator")
    supervisor = make_user("Sam Supervisor")
    author = make_user("Alex Author")
    group = supervision_group(make_group, facilitator, [supervisor], [author], "Tuesday")
    with app.test_request_context():
        for number in range(1, CASES + 1):
            review(
                shared_case(group, author, f"Case number {number}"),
                supervisor,
                {"boundaries": number},
            )
        db.session.commit()
    return author


def _cases_on(page: str) -> list[int]:
    """The cases in the criterion tables (the "score my own cases" list names them too)."""
    tables = "".join(re.findall(r"<tbody>.*?</tbody>", page, re.DOTALL))
    return [int(n) for n in re.findall(r">Case number (\d+)</a>", tables)]


def _older_link(page: str) -> str | None:
    found = re.search(r'href="([^"]*\?after=[^"]*)" rel="next"', page)
    return found.group(1).replace("&amp;", "&") if found else None


def test_the_page_shows_the_latest_window_and_says_which(author, login_as) -> None:
    page = login_as(author).get("/growth").get_data(as_text=True)
    assert sorted(set(_cases_on(page))) == [4, 5]
    assert f"{WINDOW} of them; earlier ones on the next page" in page
    assert _older_link(page)


def test_earlier_links_reach_every_review_exactly_once(author, login_as) -> None:
    client = login_as(author)
    seen: list[int] = []
    url: str | None = "/growth"
    while url:
        page = client.get(url).get_data(as_text=True)
        seen.extend(sorted(set(_cases_on(page))))
        url = _older_link(page)
    assert sorted(seen) == list(range(1, CASES + 1))
    assert len(seen) == CASES


@pytest.mark.parametrize("cursor", ["?after=nonsense", "?before=%%%", "?at=first", "?after="])
def test_a_bad_cursor_shows_the_latest_window(author, login_as, cursor: str) -> None:
    response = login_as(author).get("/growth" + cursor)
    assert response.status_code == 200
    assert sorted(set(_cases_on(response.get_data(as_text=True)))) == [4, 5]


def test_the_chart_of_an_earlier_window_has_that_windows_points(author, login_as) -> None:
    client = login_as(author)
    earlier = client.get(_older_link(client.get("/growth").get_data(as_text=True)))
    page = earlier.get_data(as_text=True)
    assert sorted(set(_cases_on(page))) == [2, 3]
    chart_url = re.search(r'src="([^"]*boundaries\.svg[^"]*)"', page).group(1)
    assert "after=" in chart_url, "the chart carries the page's cursor"
    svg = client.get(chart_url.replace("&amp;", "&")).get_data(as_text=True)
    latest = client.get(f"/growth/people/{author.id}/boundaries.svg").get_data(as_text=True)
    assert _levels_in(svg) == ["2", "3"]
    assert _levels_in(latest) == ["4", "5"]


def _levels_in(svg: str) -> list[str]:
    return re.findall(r'<desc class="value">(\d)', svg)
