"""Accessibility, checked by axe-core in a real Chromium on every kind of page of the demo
workspace: WCAG 2.0, 2.1 and 2.2 at levels A and AA (contrast, labels, names, landmarks...).

Pages are found by following links from each demo person's start pages, one page per URL shape
(``/cases/N`` stands for every case page), so a new page is checked as soon as it is linked.
Automated checks find perhaps a third of accessibility problems; they are the floor, not the bar.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from browser_support import (
    LiveSite,
    axe_violations,
    open_page,
)

from supervision.demo.accounts import DEMO_PASSWORD
from supervision.demo.workspace import demo_email

pytestmark = pytest.mark.browser

ANONYMOUS_PAGES = ["/", "/login", "/register", "/password/forgot"]
START = ["/", "/groups/", "/cases/mine", "/notifications", "/account/notifications"]
SKIP = ("/static/", "/logout", "/login", "/register", "/password/")
PAGES_PER_PERSON = 60  # pages visited; each new kind of page is audited


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(path).path)


def _local_links(page: Any) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download])", "links => links.map(a => a.getAttribute('href'))"
    )
    found = []
    for href in hrefs:
        href = urldefrag(href).url
        if href.endswith("/export") or re.search(r"\.(csv|pdf|zip|json)$", urlsplit(href).path):
            continue  # a file download, not a page
        if href.startswith("/") and not href.startswith("//") and not href.startswith(SKIP):
            found.append(href)
    return found


def test_public_pages_pass_axe(demo_site: LiveSite, browser: Any) -> None:
    page = browser.new_page()
    problems = {}
    for path in ANONYMOUS_PAGES:
        page.goto(demo_site.url(path))
        if found := axe_violations(page):
            problems[path] = found
    assert not problems, problems


# A facilitator, a supervisor (review forms) and a supervisee with a draft (the gate).
@pytest.mark.parametrize("handle", ["rosa", "tomas", "sam"])
def test_every_kind_of_page_passes_axe(demo_site: LiveSite, browser: Any, handle: str) -> None:
    errors: list[str] = []
    context = browser.new_context()
    page = open_page(context, demo_site, demo_email(handle), "/", errors, DEMO_PASSWORD)
    queue, visited, shapes, problems = list(START), set(), set(), {}
    while queue and len(visited) < PAGES_PER_PERSON:
        path = queue.pop(0)
        if path in visited:
            continue
        visited.add(path)
        response = page.goto(demo_site.url(path))
        if response is None or response.status != 200 or "/login" in page.url:
            continue
        if _shape(path) not in shapes:  # one audit per kind of page
            shapes.add(_shape(path))
            if found := axe_violations(page):
                problems[path] = found
        links = _local_links(page)
        # Kinds of page not audited yet go first: the walk reaches every feature sooner.
        queue = [link for link in links if _shape(link) not in shapes] + queue
        queue += [link for link in links if _shape(link) in shapes]
    assert not problems, problems
    print(f"\n{handle}: {len(shapes)} kinds of page audited: {sorted(shapes)}")
    assert len(shapes) > 10, shapes  # the walk really reached the features
    assert not errors, errors
