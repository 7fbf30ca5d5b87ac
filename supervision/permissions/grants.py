"""Emergency access, read only: while a site admin's grant to a group is open, the read
permissions (``READ_PERMISSIONS`` in permission.py) are weighed for them as for one of the
group's facilitators; nothing else is.

How it stays read only:

- ``holds`` asks ``read_under_grant`` only for a read permission that the admin's own roles did
  not give, and only at the top of a check: a write permission sets grants aside for every
  check beneath it (an annotator must be able to read the case, but a grant never makes one);
- a grant counts only on GET and HEAD requests made by the admin themself, never in a POST,
  a command, or when the app works out who else may read something (who to notify);
- under a grant, ``role_in`` answers FACILITATOR for the group: the rules stay the ones
  written for facilitators, so the admin reads exactly what a facilitator reads.

Each object a grant let the admin read is noted in the audit trail once per request.
Whether a grant is open is checked against its stored ``expires_at`` on every request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import select

from supervision.audit.trail import describe, note
from supervision.extensions import db
from supervision.models import EmergencyGrant, Group, User
from supervision.models.types import utcnow

_READING = "reading"  # weighing a read permission under a grant
_SET_ASIDE = "set-aside"  # weighing a write permission: no grant counts beneath it
_MODE: ContextVar[str | None] = ContextVar("emergency_mode", default=None)
_USED: ContextVar[list[EmergencyGrant] | None] = ContextVar("emergency_used", default=None)
_SAFE_METHODS = ("GET", "HEAD")


def _is_requester(user: User) -> bool:
    current = g.get("_login_user")
    return current is not None and getattr(current, "id", None) == user.id


def open_grants(user: User) -> dict[int, EmergencyGrant]:
    """The user's open grants by group id, for this request (one query, for site admins only;
    none outside a GET or HEAD request of their own)."""
    if (
        not has_request_context()
        or request.method not in _SAFE_METHODS
        or not getattr(user, "is_site_admin", False)
        or not _is_requester(user)
    ):
        return {}
    cache: dict[int, dict[int, EmergencyGrant]] = g.setdefault("_emergency_grants", {})
    if user.id not in cache:
        rows = db.session.scalars(
            select(EmergencyGrant).where(
                EmergencyGrant.admin_id == user.id,
                EmergencyGrant.ended_at.is_(None),
                EmergencyGrant.expires_at > utcnow(),
            )
        )
        cache[user.id] = {grant.group_id: grant for grant in rows}
    return cache[user.id]


def forget_grants() -> None:
    """Drop the per-request cache after a grant was opened or ended."""
    g.pop("_emergency_grants", None)


def grant_reading(user: User, group: Group) -> EmergencyGrant | None:
    """The open grant that lets ``user`` read ``group`` in the check under way, if any: only
    while ``read_under_grant`` weighs a read permission."""
    if _MODE.get() != _READING:
        return None
    grant = open_grants(user).get(group.id)
    used = _USED.get()
    if grant is not None and used is not None:
        used.append(grant)
    return grant


def grant_for_lists(user: User, group: Group) -> EmergencyGrant | None:
    """The open grant to ``group`` for the SQL twins of the read permissions (lists)."""
    return open_grants(user).get(group.id)


@contextmanager
def grants_set_aside() -> Iterator[None]:
    """While a write permission is weighed, no grant counts, however deep the check goes."""
    token = _MODE.set(_SET_ASIDE)
    try:
        yield
    finally:
        _MODE.reset(token)


def read_under_grant(
    user: User, obj: Any, predicates: tuple[Callable[[User, Any], bool], ...]
) -> bool:
    """Whether the predicates of a read permission hold for ``user`` reading as a facilitator
    of a group they hold an open grant to; each object so read is noted in the trail."""
    if _MODE.get() is not None or not open_grants(user):
        return False
    used: list[EmergencyGrant] = []
    mode, consulted = _MODE.set(_READING), _USED.set(used)
    try:
        granted = any(predicate(user, obj) for predicate in predicates)
    finally:
        _MODE.reset(mode)
        _USED.reset(consulted)
    if granted and used:
        _note_read(used[0], obj)
    return granted


def _note_read(grant: EmergencyGrant, obj: Any) -> None:
    object_type, object_id = describe(obj) if hasattr(obj, "__tablename__") else ("", None)
    seen: set[tuple[str, int | None]] = g.setdefault("_emergency_noted", set())
    g.setdefault("_emergency_used", {})[grant.id] = grant
    if (object_type, object_id) in seen:
        return
    seen.add((object_type, object_id))
    note(
        "emergency_read",
        object_type,
        object_id,
        group_id=grant.group_id,
        detail={"grant": grant.id, "path": request.path[:200]},
    )


def grants_used() -> list[EmergencyGrant]:
    """The grants this request read under so far (for the page's banner)."""
    if not has_request_context():
        return []
    return list(g.get("_emergency_used", {}).values())
