"""Helpers for the discussion tests: a small group, signed-in browsers, quick set-up verbs.

Set-up goes through the services (fast, and the rules live there); behaviour is then checked
through the pages, as each member sees them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from flask import current_app
from sqlalchemy import select
from support import CLEAN_SECTIONS, SupervisionWorld, supervision_world
from support import NOTE as NOTE  # re-exported for the tests, as are the next two
from support import Browser as Browser
from support import shared_case as shared_case

from supervision.discussions import services
from supervision.extensions import db
from supervision.models import (
    Group,
    GroupKind,
    Membership,
    Notification,
    Post,
    Role,
    Thread,
    User,
)

CLEAN = CLEAN_SECTIONS


@dataclass
class World(SupervisionWorld):
    """A supervision group (facilitator, supervisor, author, reader) and an outsider."""

    outsider: User

    def membership(self, user: User) -> Membership:
        return db.session.scalar(
            select(Membership).where(
                Membership.group_id == self.group.id, Membership.user_id == user.id
            )
        )


def make_world(make_user: Callable[..., User], make_group: Callable[..., Group]) -> World:
    w = supervision_world(make_user, make_group)
    outsider = make_user("Olu Outsider")
    make_group(GroupKind.PEER, {outsider: Role.FACILITATOR}, name="Elsewhere")
    return World(w.group, w.facilitator, w.supervisor, w.author, w.reader, outsider)


def in_request(action: Callable[[], Any]) -> Any:
    """Run a service that builds URLs, as the views do, and commit."""
    with current_app.test_request_context():
        result = action()
        db.session.commit()
    return result


def new_thread(
    group: Group,
    author: User,
    title: str = "Holding silence",
    body: str = "What helps you stay with a long silence?",
    **kwargs: Any,
) -> Thread:
    return in_request(lambda: services.create_thread(group, author, title, body, **kwargs))


def reply(thread: Thread, author: User, body: str, to: Post | None = None) -> Post:
    return in_request(lambda: services.add_post(thread, author, body, to))


def notifications_of(user: User) -> list[Notification]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def fresh(model: type, object_id: int) -> Any:
    db.session.expire_all()
    return db.session.get(model, object_id)


def post_ids(page: str) -> list[int]:
    """Ids of the posts a thread page shows, in order."""
    return [int(n) for n in re.findall(r'<article class="post[^"]*" id="post-(\d+)"', page)]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_text.append(data)


def assert_no_script(page: str) -> None:
    """What a browser would build from the page runs none of the user's script."""
    parser = _Elements()
    parser.feed(page)
    assert not parser.script_text, parser.script_text
    for tag, attrs in parser.elements:
        assert tag not in {"iframe", "object", "embed", "svg"}, tag
        if tag in {"script", "img"}:  # the page's own, from /static/ only
            assert (attrs.get("src") or "").startswith("/static/"), attrs
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in {"href", "src", "action"}:
                assert not (value or "").strip().lower().startswith(("javascript:", "data:"))
