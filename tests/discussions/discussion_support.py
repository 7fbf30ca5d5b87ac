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

from conftest import PASSWORD, csrf_token
from flask import Flask, current_app
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from supervision.cases.gate import resolve_finding, review_revision, share_case
from supervision.cases.sections import CHECKLIST_KEYS
from supervision.cases.services import create_case, working_revision
from supervision.discussions import services
from supervision.extensions import db
from supervision.models import (
    Case,
    Group,
    GroupKind,
    Membership,
    Notification,
    Post,
    Role,
    Thread,
    User,
)

CLEAN_TITLE = "A gift at the last session"
CLEAN = {
    "context": "Third session of twelve, short-term counselling.",
    "client": "The client is in her forties and works in an office.",
    "moment": "At the end the client offered a small gift and I hesitated.",
    "reactions": "I felt touched and uneasy.",
    "question": "Should I have accepted it?",
}
NOTE = "Changed her age and occupation; neither matters clinically."


class Browser:
    """A test client signed in as ``user`` through the real login form, once."""

    def __init__(self, app: Flask, user: User) -> None:
        self.user = user
        self.client: FlaskClient = app.test_client()
        response = self.client.post(
            "/login",
            data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(self.client)},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        self._token: str | None = None

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = csrf_token(self.client, "/groups/")
        return self._token

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.client.get(path, **kwargs)

    def text(self, path: str, status: int = 200) -> str:
        response = self.client.get(path)
        assert response.status_code == status, (path, response.status_code)
        return response.get_data(as_text=True)

    def status(self, path: str) -> int:
        return self.client.get(path).status_code

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        return self.client.post(path, data={"csrf_token": self.token, **(data or {})}, **kwargs)


@dataclass
class World:
    """A supervision group (facilitator, supervisor, author, reader) and an outsider."""

    group: Group
    facilitator: User
    supervisor: User
    author: User
    reader: User
    outsider: User

    def membership(self, user: User) -> Membership:
        return db.session.scalar(
            select(Membership).where(
                Membership.group_id == self.group.id, Membership.user_id == user.id
            )
        )


def make_world(make_user: Callable[..., User], make_group: Callable[..., Group]) -> World:
    facilitator = make_user("Fran Facilitator")
    supervisor = make_user("Sam Supervisor")
    author = make_user("Alex Author")
    reader = make_user("Robin Reader")
    outsider = make_user("Olu Outsider")
    group = make_group(
        GroupKind.SUPERVISION,
        {
            facilitator: Role.FACILITATOR,
            supervisor: Role.SUPERVISOR,
            author: Role.SUPERVISEE,
            reader: Role.SUPERVISEE,
        },
        name="Tuesday supervision",
    )
    make_group(GroupKind.PEER, {outsider: Role.FACILITATOR}, name="Elsewhere")
    return World(group, facilitator, supervisor, author, reader, outsider)


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


def shared_case(group: Group, author: User, title: str = CLEAN_TITLE) -> Case:
    """A case through the gate (any scanner findings answered as pseudonyms), committed."""
    case = create_case(group, author, title, CLEAN)
    revision = working_revision(case)
    for item in review_revision(case, revision).open_findings:
        resolve_finding(
            case, revision, author, item.section, item.finding.kind, item.finding.text, "Pseudonym"
        )
    share_case(case, author, sorted(CHECKLIST_KEYS), NOTE)
    db.session.commit()
    return case


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
