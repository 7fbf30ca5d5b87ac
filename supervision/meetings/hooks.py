"""What meetings contribute elsewhere, registered by ``create_app``: the redaction hook, the
sign-off reminder, the portfolio's "hours" section and the facilitators' "hours" report."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import aliased

from supervision.cases.privacy import register_redaction_hook
from supervision.exports.sections import (
    GroupReport,
    PortfolioSection,
    register_group_report,
    register_portfolio_section,
)
from supervision.extensions import db
from supervision.meetings.services import redact_meetings
from supervision.meetings.totals import (
    CSV_HEADER,
    csv_row,
    group_totals,
    hours,
    supervisee_totals,
)
from supervision.models import Case, Group, Meeting, Membership, NotificationEvent, User
from supervision.notifications.services import link_to
from supervision.reminders.sources import Due, register_due_source

REMIND_AFTER = timedelta(days=7)
ALL_TIME = (date(2000, 1, 1), date(9999, 12, 31))


def _passage_redacted(case: Case, passage: str) -> int:
    return redact_meetings(case.group_id, passage)


def unsigned_meetings_due(now: datetime) -> Iterator[Due]:
    """An entry unsigned 7 days after it was drafted: its supervisor, while still a member of
    the group, is reminded once (the key)."""
    supervisor = aliased(Membership)
    meetings = db.session.scalars(
        select(Meeting)
        .join(
            supervisor,
            (supervisor.group_id == Meeting.group_id)
            & (supervisor.user_id == Meeting.supervisor_id),
        )
        .where(Meeting.signed_at.is_(None), Meeting.created_at <= now - REMIND_AFTER)
        .order_by(Meeting.id)
    )
    for meeting in meetings:
        day = f"{meeting.held_on.day} {meeting.held_on:%B}"
        yield Due(
            user_id=meeting.supervisor_id,
            event=NotificationEvent.MEETING_TO_SIGN,
            key=f"meeting:{meeting.id}:sign",
            text=f"A meeting entry of {day} awaits your sign-off",
            url=link_to("meetings.show", meeting_id=meeting.id),
            group_id=meeting.group_id,
        )


def hours_section(user: User) -> PortfolioSection:
    """The user's signed hours as a supervisee (never the notes: the hours are the record)."""
    totals = supervisee_totals(user, *ALL_TIME)
    records = [dict(zip(CSV_HEADER, csv_row(line), strict=True)) for line in totals.lines]
    lines = [
        "# Supervision hours",
        "",
        f"Signed hours: {hours(totals.total_minutes)} "
        f"(individual and triadic {hours(totals.individual_minutes)}, "
        f"group {hours(totals.group_minutes)}).",
        "",
    ]
    lines += [
        f"- {r['date']}: {r['counted (hours)']} h, {r['format']}, {r['modality']}, "
        f"supervisor {r['supervisor']}, signed {r['signed when (UTC)']}"
        for r in records
    ]
    return PortfolioSection("hours", "Supervision hours", records, "\n".join(lines) + "\n")


def hours_report(group: Group) -> GroupReport:
    """Every counted meeting of the group (what its facilitators may read on the pages)."""
    totals = group_totals(group, *ALL_TIME)
    return GroupReport(
        "hours", "Supervision hours", list(CSV_HEADER), [csv_row(line) for line in totals.lines]
    )


def register_hooks() -> None:
    register_redaction_hook(_passage_redacted)
    register_due_source(unsigned_meetings_due)
    register_portfolio_section(40, "hours", hours_section)
    register_group_report(40, "hours", "Supervision hours", hours_report)
