"""The retention purge: what is past the instance's retention periods, counted and removed.

Periods come from the settings (``RETENTION_*_DAYS``); sessions, reset links and invitations
that can no longer be used have no period: they go once they are dead. Closed cases go through
``withdraw_case``, so everything attached to them goes too; the audit trail is cut at its start
by ``chain.purge_before``, which moves the chain's anchor so what is kept still verifies.
Plain verbs that flush and never commit: the command owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, delete, func, or_, select

from supervision.audit.chain import purge_before
from supervision.cases.services import withdraw_case
from supervision.extensions import db
from supervision.models import (
    AuditEntry,
    Case,
    CaseStatus,
    Invitation,
    LoginSession,
    OutboxMessage,
    PasswordResetToken,
    ServerSession,
)

# The kinds, in the order the command reports them.
KINDS = (
    ("closed_cases", "closed cases"),
    ("audit_entries", "audit entries"),
    ("outbox_messages", "delivered outbox messages"),
    ("server_sessions", "expired server sessions"),
    ("login_sessions", "ended or expired login sessions"),
    ("password_reset_tokens", "used or expired password reset links"),
    ("invitations", "expired invitations"),
)


@dataclass(frozen=True)
class Cutoffs:
    """Everything older than these moments is past its time."""

    now: datetime
    closed_cases: datetime
    audit_entries: datetime
    outbox_messages: datetime
    login_idle: datetime
    login_absolute: datetime


def cutoffs(now: datetime, config: dict[str, Any] | None = None) -> Cutoffs:
    settings = config if config is not None else current_app.config
    return Cutoffs(
        now=now,
        closed_cases=now - timedelta(days=int(settings["RETENTION_CLOSED_CASE_DAYS"])),
        audit_entries=now - timedelta(days=int(settings["RETENTION_AUDIT_DAYS"])),
        outbox_messages=now - timedelta(days=int(settings["RETENTION_OUTBOX_DAYS"])),
        login_idle=now - settings["PERMANENT_SESSION_LIFETIME"],
        login_absolute=now - timedelta(hours=int(settings["SESSION_ABSOLUTE_HOURS"])),
    )


def _conditions(when: Cutoffs) -> dict[str, tuple[Any, ColumnElement[bool]]]:
    """Per kind that goes by a plain delete: its model and what makes a row past its time."""
    return {
        "outbox_messages": (
            OutboxMessage,
            OutboxMessage.sent_at.is_not(None) & (OutboxMessage.sent_at < when.outbox_messages),
        ),
        "server_sessions": (ServerSession, ServerSession.expiry < when.now),
        "login_sessions": (
            LoginSession,
            or_(
                LoginSession.ended_at.is_not(None),
                LoginSession.last_seen_at < when.login_idle,
                LoginSession.created_at < when.login_absolute,
            ),
        ),
        "password_reset_tokens": (
            PasswordResetToken,
            or_(PasswordResetToken.used_at.is_not(None), PasswordResetToken.expires_at < when.now),
        ),
        # An accepted invitation is how someone joined: it stays with the group.
        "invitations": (
            Invitation,
            Invitation.accepted_at.is_(None) & (Invitation.expires_at < when.now),
        ),
    }


def _closed_cases(when: Cutoffs) -> list[Case]:
    return list(
        db.session.scalars(
            select(Case)
            .where(Case.status == CaseStatus.CLOSED, Case.closed_at < when.closed_cases)
            .order_by(Case.id)
        )
    )


def _old_audit_entries(when: Cutoffs) -> int:
    """What ``purge_before`` would remove: every entry up to the newest one past its time."""
    last_old = db.session.scalar(
        select(func.max(AuditEntry.seq)).where(AuditEntry.at < when.audit_entries)
    )
    if last_old is None:
        return 0
    return db.session.scalar(select(func.count()).where(AuditEntry.seq <= last_old)) or 0


def purge(when: Cutoffs, *, dry_run: bool = False) -> dict[str, int]:
    """Count (and unless ``dry_run``, remove) what is past its time; the count per kind."""
    counts: dict[str, int] = {}
    cases = _closed_cases(when)
    counts["closed_cases"] = len(cases)
    if not dry_run:
        for case in cases:
            withdraw_case(case)
    counts["audit_entries"] = (
        _old_audit_entries(when) if dry_run else purge_before(db.session, when.audit_entries)
    )
    for kind, (model, condition) in _conditions(when).items():
        if dry_run:
            counts[kind] = (
                db.session.scalar(select(func.count()).select_from(model).where(condition)) or 0
            )
        else:
            counts[kind] = db.session.execute(
                delete(model).where(condition).execution_options(synchronize_session=False)
            ).rowcount
    db.session.flush()
    return {key: counts[key] for key, _label in KINDS}
