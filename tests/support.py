"""Test support shared by the feature suites: a browser signed in through the login form, the
clean vignette, the anonymization gate passed in one call, and reading the mail that was sent.

The feature support modules (``cases/case_support.py``, ``reviews/review_support.py``, ...)
import from here and keep what is theirs: their worlds, texts and verbs. Every test file can
``from support import ...``: pytest puts this folder on ``sys.path`` for ``conftest.py``.
"""

from __future__ import annotations

import hashlib
import secrets
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from click.testing import Result
from conftest import PASSWORD, csrf_token, pass_second_step
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from supervision.cases.gate import resolve_finding, review_revision, share_case
from supervision.cases.sections import CHECKLIST_KEYS, SECTION_KEYS
from supervision.cases.services import create_case, save_case, working_revision
from supervision.extensions import db
from supervision.models import (
    Case,
    CaseRevision,
    Group,
    GroupKind,
    LoginSession,
    OutboxMessage,
    Role,
    User,
)
from supervision.models.types import utcnow

# A vignette the scanner finds nothing in (checked by test_clean_text_has_no_findings).
CLEAN_TITLE = "A gift at the last session"
CLEAN_SECTIONS: dict[str, str] = {
    "context": "Third session of twelve, short-term counselling.",
    "client": "The client is in her forties and works in an office.",
    "moment": "At the end the client offered a small gift and I hesitated.",
    "reactions": "I felt touched and uneasy.",
    "question": "Should I have accepted it?",
}
NOTE = "Changed her age and occupation; neither matters clinically."
PSEUDONYM = "A pseudonym in a test"  # why a finding was left as it is

# Any signed-in page carries a form (the sign-out button), so any one gives a CSRF token.
TOKEN_PAGE = "/cases/mine"


class Browser:
    """A test client signed in as ``user`` through the real login form, once.

    The CSRF token for ``post`` and ``post_json`` is read from a page the first time one is needed.
    """

    def __init__(self, app: Flask, user: User) -> None:
        self.user = user
        self.client: FlaskClient = app.test_client()
        response = self.client.post(
            "/login",
            data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(self.client)},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        if response.headers["Location"].endswith("/login/second-factor"):
            assert pass_second_step(self.client, user).status_code == 302
        self._token: str | None = None

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = csrf_token(self.client, TOKEN_PAGE)
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
        """Submit a form, with the CSRF token."""
        return self.client.post(path, data={"csrf_token": self.token, **(data or {})}, **kwargs)

    def post_json(self, path: str, payload: Any, *, token: bool = True) -> TestResponse:
        """Send JSON as the page scripts do, the CSRF token in a header (none if not ``token``)."""
        headers = {"X-CSRFToken": self.token} if token else {}
        return self.client.post(path, json=payload, headers=headers)


# -- people ---------------------------------------------------------------------------------------


def supervision_group(
    make_group: Callable[..., Group],
    facilitator: User,
    supervisors: Iterable[User],
    supervisees: Iterable[User],
    name: str | None = None,
) -> Group:
    """A supervision group (``make_group``): the facilitator, the supervisors, the supervisees."""
    members = {facilitator: Role.FACILITATOR}
    members |= dict.fromkeys(supervisors, Role.SUPERVISOR)
    members |= dict.fromkeys(supervisees, Role.SUPERVISEE)
    return make_group(GroupKind.SUPERVISION, members, name=name)


@dataclass
class SupervisionWorld:
    """A supervision group: a facilitator, a supervisor, an author and another supervisee."""

    group: Group
    facilitator: User
    supervisor: User
    author: User
    reader: User


def supervision_world(
    make_user: Callable[..., User], make_group: Callable[..., Group]
) -> SupervisionWorld:
    """Fran facilitates "Tuesday supervision", Sam supervises, Alex writes and Robin reads."""
    facilitator = make_user("Fran Facilitator")
    supervisor = make_user("Sam Supervisor")
    author = make_user("Alex Author")
    reader = make_user("Robin Reader")
    group = supervision_group(
        make_group, facilitator, [supervisor], [author, reader], name="Tuesday supervision"
    )
    return SupervisionWorld(group, facilitator, supervisor, author, reader)


# -- cases through the gate ---------------------------------------------------------------------


def resolve_all(case: Case, user: User, reason: str = PSEUDONYM, *, commit: bool = True) -> int:
    """Mark every open finding of the working revision as not identifying; returns how many."""
    revision = working_revision(case)
    assert revision is not None
    open_findings = review_revision(case, revision).open_findings
    for item in open_findings:
        resolve_finding(
            case, revision, user, item.section, item.finding.kind, item.finding.text, reason
        )
    if commit:
        db.session.commit()
    return len(open_findings)


def pass_gate(
    case: Case,
    author: User | None = None,
    *,
    note: str = NOTE,
    reason: str = PSEUDONYM,
    commit: bool = True,
) -> CaseRevision:
    """Share the working revision as its author would: every open scanner finding answered as
    not identifying (``reason``), the whole checklist ticked, ``note`` on what was altered."""
    author = author or case.author
    resolve_all(case, author, reason, commit=False)
    revision = share_case(case, author, sorted(CHECKLIST_KEYS), note)
    if commit:
        db.session.commit()
    return revision


def shared_case(
    group: Group,
    author: User,
    title: str = CLEAN_TITLE,
    texts: dict[str, str] | None = None,
    **overrides: str,
) -> Case:
    """A case ``author`` wrote (``texts``, the clean vignette by default, with some sections
    replaced) and shared through the gate, committed."""
    unknown = set(overrides) - set(SECTION_KEYS)
    assert not unknown, unknown
    case = create_case(group, author, title, {**(texts or CLEAN_SECTIONS), **overrides})
    db.session.commit()
    pass_gate(case, author)
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


def revise_and_share(case: Case, **overrides: str) -> CaseRevision:
    """The author saves a new revision and shares it."""
    revise(case, **overrides)
    return pass_gate(case)


# -- mail ---------------------------------------------------------------------------------------
# The SMTP server itself comes from the ``start_smtp`` and ``smtp_config`` fixtures (conftest.py).


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def send_mail(app: Flask) -> Result:
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    return result


def outbox() -> list[OutboxMessage]:
    db.session.expire_all()  # the command commits through the same session; read afresh
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def body_of(message: EmailMessage) -> str:
    return message.get_content().replace("\r\n", "\n")


def sign_in(client: Any, user: User) -> None:
    # Direct session set-up: the real login flow is covered in tests/auth.
    key = secrets.token_urlsafe(16)
    db.session.add(LoginSession(user_id=user.id, key_hash=hashlib.sha256(key.encode()).hexdigest()))
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["login_at"] = utcnow().isoformat()
        session["login_key"] = key
