"""The personal-data download's account part: what the platform keeps of the account itself
(never a password hash, a second-factor secret, a recovery code, a token or a session key),
its memberships, notifications, signed-in browsers and the audit entries about the person."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from supervision.extensions import db
from supervision.models import (
    AuditEntry,
    Credential,
    LoginSession,
    Membership,
    Notification,
    NotificationPreference,
    RecoveryCode,
    TotpCredential,
    User,
)


def iso(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment else None


def account(user: User) -> dict[str, Any]:
    preferences = db.session.scalars(
        select(NotificationPreference)
        .where(NotificationPreference.user_id == user.id)
        .order_by(NotificationPreference.event)
    ).all()
    credentials = db.session.scalars(
        select(Credential).where(Credential.user_id == user.id).order_by(Credential.id)
    ).all()
    totp = db.session.scalar(select(TotpCredential).where(TotpCredential.user_id == user.id))
    unused_codes = db.session.scalars(
        select(RecoveryCode.id).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    ).all()
    return {
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "created_at": iso(user.created_at),
        "last_login_at": iso(user.last_login_at),
        "site_admin": user.is_site_admin,
        "preferences": {
            "fold_level_descriptors": user.collapse_level_descriptors,
            "notifications": [
                {"event": p.event.value, "about": p.event.label, "channel": p.channel.value}
                for p in preferences
            ],
        },
        "credentials": [
            {
                "kind": c.kind,
                "number": c.number,
                "jurisdiction": c.jurisdiction,
                "expires_on": iso(c.expires_on),
                "added_at": iso(c.created_at),
            }
            for c in credentials
        ],
        # Whether there is one, never the secret or the codes themselves.
        "second_factor": {
            "enrolled": totp is not None,
            "enabled_at": iso(totp.enabled_at) if totp else None,
            "recovery_codes_unused": len(unused_codes) if totp else 0,
        },
    }


def memberships(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Membership)
        .options(selectinload(Membership.group))
        .where(Membership.user_id == user.id)
        .order_by(Membership.joined_at, Membership.id)
    ).all()
    return [
        {
            "group_id": m.group_id,
            "group": m.group.name,
            "kind": m.group.kind.value,
            "role": m.role.value,
            "joined_at": iso(m.joined_at),
        }
        for m in rows
    ]


def notifications(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at, Notification.id)
    ).all()
    return [
        {
            "event": n.event.value,
            "text": n.text,
            "link": n.url,
            "created_at": iso(n.created_at),
            "read_at": iso(n.read_at),
        }
        for n in rows
    ]


def login_sessions(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(LoginSession).where(LoginSession.user_id == user.id).order_by(LoginSession.id)
    ).all()
    return [
        {
            "started_at": iso(s.created_at),
            "last_seen_at": iso(s.last_seen_at),
            "ended_at": iso(s.ended_at),
            "address": s.ip_address,
            "browser": s.user_agent,
        }
        for s in rows
    ]


def audit_entries(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(AuditEntry)
        .where(or_(AuditEntry.actor_id == user.id, AuditEntry.subject_id == user.id))
        .order_by(AuditEntry.seq)
    ).all()
    return [
        {
            "seq": e.seq,
            "at": iso(e.at),
            "by_me": e.actor_id == user.id,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "group_id": e.group_id,
            "about_me": e.subject_id == user.id,
            # Another person's network address is theirs, not this person's.
            "address": e.address if e.actor_id == user.id else "",
            "detail": json.loads(e.detail or "{}"),
        }
        for e in rows
    ]
