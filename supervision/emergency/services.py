"""Opening and ending emergency grants. Plain verbs that flush, never commit.

What a grant lets its admin read, and for how long, is the permissions' (permissions/grants.py);
here a grant is only made, ended and listed.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from supervision.audit.trail import record
from supervision.extensions import db
from supervision.models import (
    EmergencyGrant,
    Group,
    Membership,
    NotificationEvent,
    Role,
    User,
)
from supervision.models.emergency import HOURS_MAX, HOURS_MIN, REASON_MAX, REASON_MIN
from supervision.models.types import utcnow
from supervision.notifications.services import link_to, notify
from supervision.pagination import KeysetPage, keyset_page
from supervision.permissions.grants import forget_grants

PER_PAGE = 20


class EmergencyError(ValueError):
    """What the admin must correct; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _facilitators(group: Group) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.group_id == group.id, Membership.role == Role.FACILITATOR)
            .order_by(User.id)
        )
    )


def open_grant(admin: User, group: Group, reason: str, hours: int) -> EmergencyGrant:
    """Open read access to ``group`` for ``admin`` for ``hours``; its facilitators are told at
    once who, why and until when. The caller has confirmed the admin's identity."""
    reason = (reason or "").strip()
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise EmergencyError(
            f"Write the reason in {REASON_MIN} to {REASON_MAX} characters.", field="reason"
        )
    if not HOURS_MIN <= hours <= HOURS_MAX:
        raise EmergencyError(f"Choose between {HOURS_MIN} and {HOURS_MAX} hours.", field="hours")
    now = utcnow()
    grant = EmergencyGrant(
        group=group,
        admin=admin,
        reason=reason,
        opened_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    db.session.add(grant)
    db.session.flush()
    record(
        "emergency_open",
        "emergency_grants",
        grant.id,
        group_id=group.id,
        detail={"grant": grant.id, "hours": hours},
    )
    until = grant.expires_at.strftime("%d %b %Y %H:%M UTC")
    notify(
        NotificationEvent.EMERGENCY_ACCESS,
        _facilitators(group),
        text=(
            f"{admin.display_name} (site admin) opened emergency read access to {group.name} "
            f"until {until}. Reason: {reason}"
        ),
        url=link_to("emergency.group_grants", group_id=group.id),
        actor=admin,
        group=group,
        subject=("emergency_grant", grant.id),
    )
    forget_grants()
    return grant


def end_grant(admin: User, grant: EmergencyGrant) -> None:
    """End an open grant now (the view requires EMERGENCY_END: an ended grant stays ended)."""
    grant.ended_at = utcnow()
    grant.ended_by = admin
    db.session.flush()
    record(
        "emergency_end",
        "emergency_grants",
        grant.id,
        group_id=grant.group_id,
        detail={"grant": grant.id},
    )
    forget_grants()


# The names each list shows, in the same query (many-to-one: no extra rows).
_NAMES = (
    joinedload(EmergencyGrant.group),
    joinedload(EmergencyGrant.admin),
    joinedload(EmergencyGrant.ended_by),
)


_GRANT_KEY = (EmergencyGrant.opened_at, EmergencyGrant.id)


def grants_page() -> KeysetPage:
    """Every grant, newest first, a page at a time by the request's cursor (the admins' list)."""
    query = select(EmergencyGrant).options(*_NAMES)
    return keyset_page(query, _GRANT_KEY, per_page=PER_PAGE)


def group_grants_page(group: Group) -> KeysetPage:
    """The grants to one group, newest first (its facilitators' list)."""
    query = select(EmergencyGrant).options(*_NAMES).where(EmergencyGrant.group_id == group.id)
    return keyset_page(query, _GRANT_KEY, per_page=PER_PAGE)


def group_choices() -> list[tuple[int, str]]:
    """Every group, by name, for the opening form (one query)."""
    rows = db.session.execute(select(Group.id, Group.name).order_by(Group.name, Group.id))
    return [(group_id, f"{name} (#{group_id})") for group_id, name in rows]
