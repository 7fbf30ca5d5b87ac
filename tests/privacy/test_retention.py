"""`flask retention purge`: exactly what is past its period goes (explicit timestamps on each
side of every cut-off), `--dry-run` changes nothing, and the audit trail still verifies."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from click.testing import Result
from flask import Flask
from sqlalchemy import func, select
from support import shared_case, supervision_world

from supervision.audit.chain import PendingEntry, append
from supervision.cases.services import close_case
from supervision.extensions import db
from supervision.models import (
    AuditEntry,
    Case,
    CaseRevision,
    Invitation,
    LoginSession,
    OutboxMessage,
    PasswordResetToken,
    Role,
    ServerSession,
)
from supervision.models.types import utcnow

DAY = timedelta(days=1)
MODELS = (Case, CaseRevision, AuditEntry, OutboxMessage, ServerSession, LoginSession)
MODELS += (PasswordResetToken, Invitation)


def invoke(app: Flask, *args: str) -> Result:
    result = app.test_cli_runner().invoke(args=list(args))
    db.session.expire_all()
    return result


def _count(model: Any, *conditions: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0


def _seed(app: Flask, make_user: Any, make_group: Any) -> dict[str, Any]:
    """One row on each side of every cut-off (defaults: cases and audit 2555 days, mail 90)."""
    now = utcnow()
    old_audit = [PendingEntry(at=now - 3000 * DAY, action="login", object_type="users")] * 3
    append(db.session, old_audit)  # the chain's first entries, from long ago
    db.session.commit()
    w = supervision_world(make_user, make_group)
    user = w.author
    with app.test_request_context():
        old_case, recent_case, open_case = (
            shared_case(w.group, user, title) for title in ("Old", "Recent", "Open")
        )
        for case, closed in ((old_case, now - 2556 * DAY), (recent_case, now - 2554 * DAY)):
            close_case(case)
            case.closed_at = closed
        open_case.created_at = now - 4000 * DAY  # never closed: no period runs
    mail = dict(recipient="a@example.org", subject="Hello", body="Hi")
    db.session.add_all(
        [
            OutboxMessage(**mail, sent_at=now - 91 * DAY),
            OutboxMessage(**mail, sent_at=now - 89 * DAY),
            OutboxMessage(**mail, created_at=now - 400 * DAY),  # never delivered: kept
            ServerSession(session_id="gone", data=b"", expiry=now - DAY),
            ServerSession(session_id="alive", data=b"", expiry=now + DAY),
            LoginSession(user_id=user.id, key_hash="a" * 64, ended_at=now - DAY),
            LoginSession(user_id=user.id, key_hash="b" * 64, last_seen_at=now - 3 * DAY),
            LoginSession(user_id=user.id, key_hash="c" * 64),  # alive
            PasswordResetToken(
                user_id=user.id, token_hash="d" * 64, expires_at=now + DAY, used_at=now
            ),
            PasswordResetToken(user_id=user.id, token_hash="e" * 64, expires_at=now - DAY),
            PasswordResetToken(user_id=user.id, token_hash="f" * 64, expires_at=now + DAY),
        ]
    )
    invitation = dict(group_id=w.group.id, email="x@example.org", role=Role.SUPERVISEE)
    db.session.add_all(
        [
            Invitation(**invitation, token_hash="1" * 64, expires_at=now - DAY),
            Invitation(**invitation, token_hash="2" * 64, expires_at=now - DAY, accepted_at=now),
            Invitation(**invitation, token_hash="3" * 64, expires_at=now + DAY),
        ]
    )
    db.session.commit()
    return {"old": old_case.id, "recent": recent_case.id, "open": open_case.id}


def _snapshot() -> dict[str, int]:
    return {model.__tablename__: _count(model) for model in MODELS}


def test_the_purge_removes_exactly_what_is_past_its_period(app: Flask, make_user, make_group):
    cases = _seed(app, make_user, make_group)
    result = invoke(app, "retention", "purge")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "closed cases: 1 removed",
        "audit entries: 3 removed",
        "delivered outbox messages: 1 removed",
        "expired server sessions: 1 removed",
        "ended or expired login sessions: 2 removed",
        "used or expired password reset links: 2 removed",
        "expired invitations: 1 removed",
    ]
    assert db.session.get(Case, cases["old"]) is None
    assert _count(CaseRevision, CaseRevision.case_id == cases["old"]) == 0  # its children too
    assert db.session.get(Case, cases["recent"]) and db.session.get(Case, cases["open"])
    assert (
        _count(OutboxMessage) == 2 and _count(OutboxMessage, OutboxMessage.sent_at.is_(None)) == 1
    )
    assert db.session.scalars(select(ServerSession.session_id)).all() == ["alive"]
    assert db.session.scalars(select(LoginSession.key_hash)).all() == ["c" * 64]
    assert db.session.scalars(select(PasswordResetToken.token_hash)).all() == ["f" * 64]
    assert sorted(db.session.scalars(select(Invitation.token_hash))) == ["2" * 64, "3" * 64]
    assert _count(AuditEntry, AuditEntry.at < utcnow() - 2555 * DAY) == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "retention_purge"))
    assert entry is not None
    assert json.loads(entry.detail)["closed_cases"] == 1
    verified = invoke(app, "audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert "intact" in verified.output


def test_a_dry_run_counts_and_changes_nothing(app: Flask, make_user, make_group):
    _seed(app, make_user, make_group)
    before = _snapshot()
    result = invoke(app, "retention", "purge", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "closed cases: 1 would be removed" in result.output
    assert "audit entries: 3 would be removed" in result.output
    assert "expired invitations: 1 would be removed" in result.output
    assert result.output.splitlines()[-1] == "Dry run: nothing was changed."
    assert _snapshot() == before
    assert _count(AuditEntry, AuditEntry.action == "retention_purge") == 0
    assert invoke(app, "audit", "verify").exit_code == 0


def test_the_periods_come_from_the_settings(app: Flask, make_user, make_group, monkeypatch):
    _seed(app, make_user, make_group)
    monkeypatch.setitem(app.config, "RETENTION_CLOSED_CASE_DAYS", 2553)
    monkeypatch.setitem(app.config, "RETENTION_OUTBOX_DAYS", 88)
    result = invoke(app, "retention", "purge", "--dry-run")
    assert "closed cases: 2 would be removed" in result.output
    assert "delivered outbox messages: 2 would be removed" in result.output
