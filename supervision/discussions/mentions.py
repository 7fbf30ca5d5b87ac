"""Mentions: who a post may name (the people who may read its thread), the post's text rendered
with those names linked, and site-relative URLs that also work outside a request."""

from __future__ import annotations

import html
import re
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy.orm import joinedload

from supervision.extensions import db
from supervision.models import Membership, Thread, User
from supervision.permissions import thread_audience
from supervision.rendering import render_markdown

_MENTION_HREF_RE = re.compile(r'<a class="mention" href="([^"]*)">')


def audience(thread: Thread) -> list[Membership]:
    """The memberships (with users) of everyone who may read the thread, in one query."""
    return list(
        db.session.scalars(thread_audience(thread).options(joinedload(Membership.user))).unique()
    )


def site_url(endpoint: str, anchor: str | None = None, **values: Any) -> str:
    """A site-relative URL, in a request or outside one (the demo loader, CLI commands)."""
    if has_request_context():
        return url_for(endpoint, _anchor=anchor, **values)
    root = current_app.config.get("APPLICATION_ROOT") or "/"
    path = current_app.url_map.bind("localhost", script_name=root).build(endpoint, values)
    return f"{path}#{anchor}" if anchor else path


def member_url(membership: Membership) -> str:
    """Where a mention of a member links: their row on the group's home page."""
    return site_url("groups.home", f"member-{membership.id}", group_id=membership.group_id)


def render_post(thread: Thread, body: str) -> tuple[str, list[User]]:
    """The post's HTML with mentions linked, and the people it mentions (readers only)."""
    readers = audience(thread)
    urls = {m.user.display_name: member_url(m) for m in readers}
    body_html = render_markdown(body, urls)
    linked = set(_MENTION_HREF_RE.findall(body_html))
    mentioned = [m.user for m in readers if html.escape(urls[m.user.display_name]) in linked]
    return body_html, mentioned


def mentioned_users(thread: Thread, body_html: str) -> set[int]:
    """Ids of the readers a rendered post links to as mentions."""
    linked = set(_MENTION_HREF_RE.findall(body_html))
    return {m.user_id for m in audience(thread) if html.escape(member_url(m)) in linked}
