"""The demo workspace, walked as each demo person: every page linked from what they can see
opens (no dead link, no forbidden link, no server error), and the demo's features all show up."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from conftest import post
from flask import Flask
from flask.testing import FlaskClient

from supervision.demo.accounts import DEMO_PASSWORD
from supervision.demo.workspace import PEOPLE, demo_email

HREF = re.compile(r'href="([^"]+)"')
START = ["/", "/groups/", "/cases/mine", "/notifications", "/account/notifications"]
SKIP = ("/static/", "/login", "/logout", "/register", "/password/")
PAGE_LIMIT = 400


def _links(page: str) -> set[str]:
    found = set()
    for href in HREF.findall(page):
        href = urldefrag(href.replace("&amp;", "&")).url
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href.startswith("/"):
            continue
        if href.startswith(SKIP):
            continue
        found.add(href)
    return found


@pytest.fixture()
def demo(app: Flask) -> Flask:
    result = app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    return app


@pytest.mark.parametrize("handle", [handle for handle, _ in PEOPLE])
def test_every_link_a_demo_person_sees_opens(demo: Flask, client: FlaskClient, handle: str):
    response = post(client, "/login", {"email": demo_email(handle), "password": DEMO_PASSWORD})
    assert response.status_code == 302
    seen: dict[str, int] = {}
    broken: dict[str, tuple[int, str]] = {}
    queue = deque((path, "start") for path in START)
    while queue and len(seen) < PAGE_LIMIT:
        path, linked_from = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response.status_code
        location = urlsplit(response.headers.get("Location", ""))
        if response.status_code == 302 and not location.netloc:
            # A link that forwards (a post's permalink to its place in the thread) is fine
            # so long as where it forwards to opens too.
            target = urldefrag(location.path + (f"?{location.query}" if location.query else ""))
            if not target.url.startswith(SKIP):
                queue.append((target.url, path))
                continue
        if response.status_code != 200:
            broken[path] = (response.status_code, linked_from)
            continue
        if response.mimetype == "text/html":
            queue.extend((link, path) for link in _links(response.get_data(as_text=True)))
    assert not broken, broken
    assert len(seen) < PAGE_LIMIT, "the crawl did not finish; raise PAGE_LIMIT"
    # The demo shows every feature to someone in each group: a case, a discussion.
    assert any(re.fullmatch(r"/cases/\d+", p) for p in seen), sorted(seen)
    assert any(re.fullmatch(r"/discussions/\d+", p) for p in seen), sorted(seen)
