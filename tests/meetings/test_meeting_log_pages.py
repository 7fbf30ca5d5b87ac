"""The meeting log, a page at a time newest first (keyset pagination)."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

from meetings_support import logged, make_world
from support import Browser


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]+)" rel="{rel}"', page)
    return html.unescape(found.group(1)) if found else None


def _ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="/meetings/(\d+)"', page)]


def test_the_meeting_log_pages_newest_first(app, make_user, make_group):
    w = make_world(make_user, make_group)
    made = [
        logged(w, [w.alex], held_on=date(2026, 1, 1) + timedelta(days=n), signed=False)
        for n in range(30)
    ]
    browser = Browser(app, w.facilitator)
    base = f"/groups/{w.group.id}/meetings"
    first = browser.text(base)
    assert _ids(first) == [m.id for m in reversed(made)][:25]
    assert 'aria-label="Meeting log pages"' in first
    second = browser.text(_link(first, "next"))
    assert _ids(second) == [m.id for m in reversed(made)][25:]
    assert _link(second, "next") is None and _link(second, "prev")
    assert _ids(browser.text(f"{base}?page=2")) == _ids(first)
