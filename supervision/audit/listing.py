"""The trail's three readers' lists: newest first, a page at a time by keyset on ``seq``
(``?before=<seq>``), each served by one of the indexes on ``audit_entries``. A page costs a
fixed number of queries whatever its size: the entries, then the people and cases they name,
each in one query.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, select

from supervision.extensions import db
from supervision.models import AuditEntry, Case, User

PER_PAGE = 50
FORMER_MEMBER = "former member"
NOBODY = "the system"  # a command-line action or a job: no signed-in person

# The actions the trail's writers use, for the filter's suggestions (any other is accepted).
KNOWN_ACTIONS = (
    "create",
    "update",
    "delete",
    "read",
    "export",
    "denied",
    "login",
    "login_failed",
    "second_factor_failed",
    "logout",
    "session_ended",
    "sessions_ended",
    "password_changed",
    "password_reset_requested",
    "password_reset",
    "role_change",
    "member_removed",
    "admin_created",
    "audit_read",
)

# Choices a supervisee makes that the group's facilitators must not trace to them (a check-in
# answers only in aggregate; whom one shares one's growth with is one's own): left off the
# group's page, kept in the trail and on the site admin's.
PRIVATE_TO_A_PERSON = ("relationship_checks", "growth_shares")


@dataclass(frozen=True)
class Filters:
    """What a list is narrowed to; ``None`` is "any"."""

    actor_id: int | None = None
    action: str | None = None
    object_type: str | None = None
    group_id: int | None = None
    subject_id: int | None = None
    hide_private: bool = False  # leave out PRIVATE_TO_A_PERSON
    since: date | None = None
    until: date | None = None  # inclusive: the whole day

    def names(self) -> list[str]:
        """Which filters are set (for the trail's own entry: names, never values)."""
        return sorted(name for name, value in vars(self).items() if value not in (None, False))


@dataclass(frozen=True)
class Row:
    entry: AuditEntry
    who: str
    object_page: tuple[str, dict[str, int]] | None = None  # endpoint and its arguments
    case_title: str | None = None


@dataclass
class Page:
    rows: list[Row] = field(default_factory=list)
    before: int | None = None  # where the next (older) page starts, if there is one


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _query(filters: Filters, before: int | None) -> Select[tuple[AuditEntry]]:
    query = select(AuditEntry)
    for column, value in (
        (AuditEntry.actor_id, filters.actor_id),
        (AuditEntry.action, filters.action),
        (AuditEntry.object_type, filters.object_type),
        (AuditEntry.group_id, filters.group_id),
        (AuditEntry.subject_id, filters.subject_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if filters.hide_private:
        query = query.where(AuditEntry.object_type.not_in(PRIVATE_TO_A_PERSON))
    if filters.since is not None:
        query = query.where(AuditEntry.at >= _start_of(filters.since))
    if filters.until is not None:
        query = query.where(AuditEntry.at < _start_of(filters.until + timedelta(days=1)))
    if before is not None:
        query = query.where(AuditEntry.seq < before)
    return query.order_by(AuditEntry.seq.desc())


def _names(ids: set[int]) -> dict[int, str]:
    """Display names of the people still here, in one query."""
    if not ids:
        return {}
    people = db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {row[0]: row[1] for row in people}


def who(actor_id: int | None, names: dict[int, str]) -> str:
    if actor_id is None:
        return NOBODY
    return names.get(actor_id, FORMER_MEMBER)


def entries_page(filters: Filters, before: int | None = None, *, per_page: int = 0) -> Page:
    """One page of entries, newest first, older than ``before``."""
    per_page = per_page or PER_PAGE
    entries = list(db.session.scalars(_query(filters, before).limit(per_page + 1)))
    more = len(entries) > per_page
    entries = entries[:per_page]
    names = _names({e.actor_id for e in entries if e.actor_id is not None})
    # No links to the objects: many (another's draft, a denied one) are not the reader's to open.
    rows = [Row(e, who(e.actor_id, names)) for e in entries]
    return Page(rows, entries[-1].seq if more else None)


def reads_of_my_cases(user: User, before: int | None = None, per_page: int = 0) -> Page:
    """Who read the user's cases: their ``read`` entries on ``cases``, with the case's title
    if it still exists. The user's own reads are left out: they know those."""
    per_page = per_page or PER_PAGE
    filters = Filters(subject_id=user.id, action="read", object_type="cases")
    query = _query(filters, before).where(
        (AuditEntry.actor_id != user.id) | AuditEntry.actor_id.is_(None)
    )
    entries = list(db.session.scalars(query.limit(per_page + 1)))
    more = len(entries) > per_page
    entries = entries[:per_page]
    names = _names({e.actor_id for e in entries if e.actor_id is not None})
    case_ids = {e.object_id for e in entries if e.object_id is not None}
    titles: dict[int, str] = {}
    if case_ids:
        found = db.session.execute(
            select(Case.id, Case.title).where(Case.id.in_(case_ids), Case.author_id == user.id)
        )
        titles = {row[0]: row[1] for row in found}
    rows = [
        Row(
            e,
            who(e.actor_id, names),
            ("cases.show", {"case_id": e.object_id}) if e.object_id in titles else None,
            titles.get(e.object_id) if e.object_id is not None else None,
        )
        for e in entries
    ]
    return Page(rows, entries[-1].seq if more else None)


def detail_summary(entry: AuditEntry) -> str:
    """The entry's detail as short "key: value" text (it holds ids, column names and codes)."""
    try:
        detail = json.loads(entry.detail or "{}")
    except ValueError:
        return entry.detail
    if not isinstance(detail, dict):
        return str(detail)
    return "; ".join(f"{key}: {_plain(value)}" for key, value in sorted(detail.items()))


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)
