"""Helpers for the review tests: a group with two supervisors, shared cases, signed-in browsers,
and quick set-up verbs that go through the services.

Set-up uses the services (fast, and the rules live there); what each member sees is then
checked through the pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from conftest import PASSWORD, csrf_token
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from werkzeug.test import TestResponse

from supervision.cases.gate import resolve_finding, review_revision, share_case
from supervision.cases.sections import CHECKLIST_KEYS, SECTION_KEYS
from supervision.cases.services import create_case, save_case, working_revision
from supervision.extensions import db
from supervision.models import Case, Group, GroupKind, Review, Role, User
from supervision.reviews.services import (
    ReviewInput,
    ScoreInput,
    release_review,
    save_review,
    start_review,
    submit_review,
)

TITLE = "A gift at the last session"
SECTIONS: dict[str, str] = {
    "context": "Third session of twelve, short-term counselling.",
    "client": "The client is in her forties and works in an office.",
    "moment": "At the end the client offered a small gift and I hesitated.",
    "reactions": "I felt touched and uneasy.",
    "question": "Should I have accepted it?",
}
QUOTE = "At the end the client offered a small gift and I hesitated."
KEYS = (
    "boundaries",
    "pacing",
    "corrective_experience",
    "holding_steady",
    "attunement",
    "silence",
    "rupture_repair",
)
NOT_VISIBLE = "n/o"


class Browser:
    """A test client signed in as ``user`` through the real login form."""

    def __init__(self, app: Flask, user: User) -> None:
        self.user = user
        self.client: FlaskClient = app.test_client()
        response = self.client.post(
            "/login",
            data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(self.client)},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        self.token = csrf_token(self.client, "/cases/mine")

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.client.get(path, **kwargs)

    def status(self, path: str) -> int:
        return self.client.get(path).status_code

    def text(self, path: str, status: int = 200) -> str:
        response = self.client.get(path)
        assert response.status_code == status, (path, response.status_code)
        return response.get_data(as_text=True)

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        return self.client.post(path, data={"csrf_token": self.token, **(data or {})}, **kwargs)

    def post_json(self, path: str, payload: Any, *, token: bool = True) -> TestResponse:
        headers = {"X-CSRFToken": self.token} if token else {}
        return self.client.post(path, json=payload, headers=headers)


@dataclass
class World:
    """A supervision group: a facilitator, two supervisors, the author and another supervisee."""

    group: Group
    facilitator: User
    first: User  # supervisor
    second: User  # supervisor
    author: User  # supervisee
    reader: User  # another supervisee


def make_world(make_user: Callable[..., User], make_group: Callable[..., Group]) -> World:
    facilitator = make_user("Fran Facilitator")
    first = make_user("Sam Supervisor")
    second = make_user("Kim Supervisor")
    author = make_user("Alex Author")
    reader = make_user("Robin Reader")
    group = make_group(
        GroupKind.SUPERVISION,
        {
            facilitator: Role.FACILITATOR,
            first: Role.SUPERVISOR,
            second: Role.SUPERVISOR,
            author: Role.SUPERVISEE,
            reader: Role.SUPERVISEE,
        },
        name="Tuesday supervision",
    )
    return World(group, facilitator, first, second, author, reader)


def _pass_gate(case: Case, author: User) -> None:
    revision = working_revision(case)
    assert revision is not None
    for item in review_revision(case, revision).open_findings:
        resolve_finding(
            case, revision, author, item.section, item.finding.kind, item.finding.text, "test"
        )
    share_case(case, author, sorted(CHECKLIST_KEYS), "Changed age and occupation.")
    db.session.commit()


def shared_case(group: Group, author: User, **overrides: str) -> Case:
    case = create_case(group, author, TITLE, {**SECTIONS, **overrides})
    db.session.commit()
    _pass_gate(case, author)
    return case


def revise_and_share(case: Case, **overrides: str) -> None:
    """The author saves a new revision and shares it."""
    latest = case.revisions[-1]
    current = {key: getattr(latest, key) for key in SECTION_KEYS}
    save_case(case, case.author, latest.title, {**current, **overrides}, case.edit_version)
    db.session.commit()
    _pass_gate(case, case.author)


def review_input(
    levels: dict[str, int | str] | None = None,
    *,
    evidence: str = QUOTE,
    comment: str = "",
    feedback: str = "Warm and specific feedback.",
    private: str = "",
) -> ReviewInput:
    """Every criterion "not visible" unless given a level (or "n/o") in ``levels``."""
    scores = {}
    for key in KEYS:
        given = (levels or {}).get(key, NOT_VISIBLE)
        if given == NOT_VISIBLE:
            scores[key] = ScoreInput(not_visible=True, comment=comment)
        else:
            scores[key] = ScoreInput(level=int(given), evidence=evidence, comment=comment)
    return ReviewInput(scores=scores, overall_feedback=feedback, private_notes=private)


def write_review(
    case: Case,
    reviewer: User,
    levels: dict[str, int | str] | None = None,
    *,
    submit: bool = True,
    release: bool = False,
    **kwargs: Any,
) -> Review:
    """A review by ``reviewer`` of the case's current revision, committed."""
    review = start_review(case, reviewer)
    save_review(review, review_input(levels, **kwargs), review.edit_version)
    if submit or release:
        submit_review(review)
    if release:
        release_review(review)
    db.session.commit()
    return review


def fetch_review(review_id: int) -> Review:
    db.session.expire_all()
    review = db.session.get(Review, review_id)
    assert review is not None
    return review


def form_payload(
    review: Review,
    levels: dict[str, int | str] | None = None,
    *,
    evidence: dict[str, str] | None = None,
    comments: dict[str, str] | None = None,
    feedback: str = "",
    private: str = "",
    version: int | None = None,
) -> dict[str, Any]:
    """The edit form as a browser posts it (an unchosen level is simply absent)."""
    data: dict[str, Any] = {
        "edit_version": str(review.edit_version if version is None else version),
        "overall_feedback": feedback,
        "private_notes": private,
    }
    for key in KEYS:
        data[f"criterion_{key}-evidence"] = (evidence or {}).get(key, "")
        data[f"criterion_{key}-comment"] = (comments or {}).get(key, "")
        if key in (levels or {}):
            data[f"criterion_{key}-level"] = str((levels or {})[key])
    return data


def escaped(text: str) -> str:
    return str(escape(text))


def section(page: str, element_id: str, tag: str = "section") -> str:
    """The HTML of the element with ``element_id`` up to its closing tag (no nesting of ``tag``)."""
    match = re.search(rf'<{tag}[^>]*id="{element_id}".*?</{tag}>', page, re.DOTALL)
    assert match, f"no <{tag}> #{element_id}"
    return match.group(0)


def review_links(page: str) -> set[int]:
    """Ids of the reviews a page links to."""
    return {int(n) for n in re.findall(r'href="/reviews/(\d+)(?:/edit)?"', page)}
