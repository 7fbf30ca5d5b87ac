"""The key pages of issue 13, who reads each, and logging in as them (HTTP or test client)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from tests.bench.scale.presets import PASSWORD, WORLD, email

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LINK_RE = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S)


@dataclass(frozen=True)
class Page:
    name: str
    user_id: int
    path: str  # a path, or "last:<path>": that thread's last page, found from its first page


PAGES = (
    Page("group_home", WORLD.supervisor_id, f"/groups/{WORLD.group_id}"),
    Page("case_list", WORLD.supervisor_id, f"/groups/{WORLD.group_id}/cases"),
    Page("my_cases", WORLD.supervisee_id, "/cases/mine"),
    Page("case_page", WORLD.supervisor_id, f"/cases/{WORLD.hot_case_id}"),
    Page("thread_first", WORLD.supervisee_id, f"/discussions/{WORLD.long_thread_id}"),
    Page("thread_last", WORLD.supervisee_id, f"last:/discussions/{WORLD.long_thread_id}"),
    Page("discussion_index", WORLD.supervisee_id, f"/groups/{WORLD.group_id}/discussions"),
    Page("growth", WORLD.supervisee_id, "/growth"),
    Page("desk", WORLD.supervisor_id, "/desk/"),
    Page("hours_log", WORLD.supervisee_id, "/meetings/hours"),
    Page("notifications", WORLD.notified_id, "/notifications"),
)


class Fetch(Protocol):
    def __call__(self, path: str) -> str: ...


def csrf_token(html: str) -> str:
    match = CSRF_RE.search(html)
    if match is None:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def last_page_path(first_path: str, html: str) -> str:
    """The link to a thread's last page, as its first page offers it: the link marked
    rel="last", else one whose text says "Last" (or "Newest"), else the highest ``page=``."""
    base = first_path.split("?")[0]
    links = []
    for attrs, label in LINK_RE.findall(html):
        href = re.search(r'href="([^"]+)"', attrs)
        if href and href.group(1).replace("&amp;", "&").startswith(base + "?"):
            links.append((href.group(1).replace("&amp;", "&"), attrs, label))
    for href, attrs, _ in links:
        if re.search(r'rel="[^"]*\blast\b', attrs):
            return href
    for href, _, label in links:
        if re.search(r"\b(last|newest)\b", label, re.I):
            return href
    numbered = [
        (int(m.group(1)), href) for href, _, _ in links if (m := re.search(r"[?&]page=(\d+)", href))
    ]
    return max(numbered)[1] if numbered else first_path


def resolve(page: Page, fetch: Fetch) -> str:
    """The page's concrete path (the long thread's last page is read off its first page)."""
    if not page.path.startswith("last:"):
        return page.path
    first = page.path[len("last:") :]
    return last_page_path(first, fetch(first))


def login_form(fetch_login: Callable[[], str], user_id: int) -> dict[str, str]:
    return {
        "csrf_token": csrf_token(fetch_login()),
        "email": email(user_id),
        "password": PASSWORD,
    }
