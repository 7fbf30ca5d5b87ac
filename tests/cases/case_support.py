"""Helpers for the case-vignette tests: a small group, signed-in browsers, quick set-up verbs.

Set-up goes through the services (fast, and the rules live there); behaviour is then checked
through the pages, as each member sees them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from conftest import PASSWORD, csrf_token
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from supervision.cases.gate import resolve_finding, review_revision, share_case
from supervision.cases.sections import CHECKLIST_KEYS, SECTION_KEYS
from supervision.cases.services import create_case, save_case, working_revision
from supervision.extensions import db
from supervision.models import Case, CaseRevision, Group, GroupKind, Role, User

# Text the scanner finds nothing in (checked by test_clean_text_has_no_findings).
CLEAN_TITLE = "A gift at the last session"
CLEAN: dict[str, str] = {
    "context": "Third session of twelve, short-term counselling.",
    "client": "The client is in her forties and works in an office.",
    "moment": "At the end the client offered a small gift and I hesitated.",
    "reactions": "I felt touched and uneasy.",
    "question": "Should I have accepted it?",
}
NOTE = "Changed her age and occupation; neither matters clinically."
PHONE_TEXT = "Call me at 503-555-0100"
NAME_TEXT = "My client Megan Hollis came in."

_CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def sections(**overrides: str) -> dict[str, str]:
    """The clean sections, with some replaced."""
    unknown = set(overrides) - set(SECTION_KEYS)
    assert not unknown, unknown
    return {**CLEAN, **overrides}


class Browser:
    """A test client signed in as ``user`` through the real login form, once."""

    def __init__(self, app: Flask, user: User) -> None:
        self.user = user
        self.client: FlaskClient = app.test_client()
        response = self.client.post(
            "/login",
            data={
                "email": user.email,
                "password": PASSWORD,
                "csrf_token": csrf_token(self.client),
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        self._token: str | None = None

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = csrf_token(self.client, "/cases/mine")
        return self._token

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.client.get(path, **kwargs)

    def text(self, path: str, status: int = 200) -> str:
        """The page's HTML, after checking its status."""
        response = self.client.get(path)
        assert response.status_code == status, (path, response.status_code)
        return response.get_data(as_text=True)

    def status(self, path: str) -> int:
        return self.client.get(path).status_code

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        return self.client.post(path, data={"csrf_token": self.token, **(data or {})}, **kwargs)


@dataclass
class World:
    """A supervision group: a facilitator, a supervisor, an author and another supervisee."""

    group: Group
    facilitator: User
    supervisor: User
    author: User
    reader: User


def make_world(
    make_user: Callable[..., User],
    make_group: Callable[..., Group],
    *,
    require_approval: bool = False,
) -> World:
    facilitator = make_user("Fran Facilitator")
    supervisor = make_user("Sam Supervisor")
    author = make_user("Alex Author")
    reader = make_user("Robin Reader")
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
    if require_approval:
        group.require_case_approval = True
        db.session.commit()
    return World(group, facilitator, supervisor, author, reader)


def new_case(group: Group, author: User, title: str = CLEAN_TITLE, **overrides: str) -> Case:
    """A draft, committed."""
    case = create_case(group, author, title, sections(**overrides))
    db.session.commit()
    return case


def resolve_all(case: Case, user: User, reason: str = "A pseudonym in a test") -> int:
    """Mark every open finding of the working revision as not identifying; returns how many."""
    revision = working_revision(case)
    assert revision is not None
    open_findings = review_revision(case, revision).open_findings
    for item in open_findings:
        resolve_finding(
            case, revision, user, item.section, item.finding.kind, item.finding.text, reason
        )
    db.session.commit()
    return len(open_findings)


def publish(case: Case, user: User | None = None) -> CaseRevision:
    """Pass the working revision through the gate (answering any findings), committed."""
    user = user or case.author
    resolve_all(case, user)
    revision = share_case(case, user, sorted(CHECKLIST_KEYS), NOTE)
    db.session.commit()
    return revision


def shared_case(group: Group, author: User, title: str = CLEAN_TITLE, **overrides: str) -> Case:
    case = new_case(group, author, title, **overrides)
    publish(case)
    return case


def revise(case: Case, title: str | None = None, **overrides: str) -> CaseRevision:
    """Save new text as the author (a new revision once the case was shared), committed."""
    latest = case.revisions[-1]
    current = {key: getattr(latest, key) for key in SECTION_KEYS}
    revision = save_case(
        case, case.author, title or latest.title, {**current, **overrides}, case.edit_version
    )
    db.session.commit()
    return revision


def form_data(title: str, texts: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {"title": title, **texts, **extra}


def share_form(checklist: list[str] | None = None, note: str = NOTE) -> dict[str, Any]:
    return {
        "checklist": sorted(CHECKLIST_KEYS) if checklist is None else checklist,
        "altered_note": note,
    }


def fetch_case(case_id: int) -> Case | None:
    db.session.expire_all()
    return db.session.get(Case, case_id)


def all_revisions(case_id: int) -> list[CaseRevision]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(CaseRevision)
            .where(CaseRevision.case_id == case_id)
            .order_by(CaseRevision.number)
        )
    )


def case_links(page: str) -> set[int]:
    """Ids of the cases a page links to."""
    return {int(n) for n in re.findall(r'href="/cases/(\d+)"', page)}
