"""A long annotation list renders a chunk at a time: without JavaScript a link opens the page
with the next chunk; the fragment route gives more.js the same chunk; links to one annotation
(the author's "waiting" list, a redirect after a form) land on the chunk that holds it."""

from __future__ import annotations

import re
from typing import Any

from support import Browser
from test_annotation_pages import annotate
from test_annotation_pages import world as world  # the fixture the tests take

from supervision.annotations.panel import CHUNK


def _listed(page: str) -> list[int]:
    return [
        int(n) for n in re.findall(r'<article class="annotation[^"]*" id="annotation-(\d+)"', page)
    ]


def test_the_list_shows_a_chunk_and_links_to_the_next(app: Any, world: Any) -> None:
    words = ["Third", "session", "twelve", "short-term", "counselling"]
    made = [
        annotate(world.case, world.supervisor, f"Note {n}.", quote=words[n % 5], section="context")
        for n in range(CHUNK + 2)
    ]
    browser = Browser(app, world.supervisor)
    path = f"/cases/{world.case.id}"
    page = browser.text(path)
    first = _listed(page)
    assert len(first) == CHUNK
    assert f'Annotations <span class="muted small">({CHUNK + 2})</span>' in page
    link = re.search(r'href="([^"]+)" data-load-more[^>]*data-fragment-url="([^"]+)"', page)
    assert link is not None
    plain, fragment = (url.replace("&amp;", "&") for url in link.groups())
    assert plain.endswith(f"after={first[-1]}#annotations")

    # Without JavaScript: the page with the next chunk, and a way back to the first.
    later = browser.text(plain.split("#")[0])
    rest = _listed(later)
    assert len(rest) == 2 and not set(rest) & set(first)
    assert set(first) | set(rest) == {a.id for a in made}
    assert "Back to the first ones" in later and "data-load-more " not in later

    # The fragment more.js appends: the same entries, no page around them, no further link.
    chunk = browser.text(fragment)
    assert _listed(chunk) == rest
    assert "<html" not in chunk and "data-load-more " not in chunk
    assert 'data-announce="2 more annotations shown."' in chunk

    # A link to one annotation lands on the chunk that holds it.
    assert _listed(browser.text(f"{path}?annotation={rest[-1]}")) == rest
    assert _listed(browser.text(f"{path}?annotation={first[3]}")) == first

    # Someone outside the group finds nothing there.
    assert Browser(app, world.outsider).status(fragment) == 404


def test_the_authors_waiting_list_links_into_later_chunks(app: Any, world: Any) -> None:
    words = ["Third", "session", "twelve", "short-term", "counselling"]
    for n in range(CHUNK + 1):
        annotate(world.case, world.supervisor, f"Note {n}.", quote=words[n % 5], section="context")
    page = Browser(app, world.author).text(f"/cases/{world.case.id}")
    shown = set(_listed(page))
    waiting = re.findall(r'<li><a href="([^"]*)#annotation-(\d+)">', page)
    assert len(waiting) == CHUNK + 1
    for href, number in waiting:
        if int(number) in shown:
            assert href == ""
        else:
            assert href.replace("&amp;", "&").endswith(f"annotation={number}")
