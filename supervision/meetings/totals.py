"""Hours: what counts, how group time is credited, and the board-shaped rows.

- Only signed entries count; an entry whose correction is signed counts no more (the
  correction does). Unsigned entries are listed apart, "awaiting sign-off".
- Individual time is individual and triadic meetings (each supervisee present is supervised
  directly, as most boards count triadic supervision); group time is group meetings.
- A supervisee is credited a group meeting per ``GROUP_SUPERVISION_HOURS``: "divided" (the
  duration over the number of supervisees attending) or "full". A supervisor's hours are the
  time they gave: every meeting in full.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import ColumnElement, Float, Select, case, cast, func, select
from sqlalchemy.orm import aliased, selectinload

from supervision.extensions import db
from supervision.models import Credential, Group, Meeting, MeetingAttendee, MeetingFormat, User

CSV_HEADER = (
    "date",
    "duration (hours)",
    "duration (minutes)",
    "counted (hours)",
    "format",
    "modality",
    "reviewed work",
    "supervisee(s)",
    "supervisor",
    "supervisor's licence",
    "signed by",
    "signed when (UTC)",
)


@dataclass(frozen=True)
class Line:
    meeting: Meeting
    counted_minutes: float  # what this meeting adds to the person's hours
    licence: str  # the supervisor's credentials current on the day


@dataclass
class MinutesByFormat:
    """A period's counted minutes by format, and the board's sums of them."""

    start: date
    end: date
    by_format: dict[MeetingFormat, float] = field(default_factory=dict)  # minutes

    @property
    def individual_minutes(self) -> float:
        return self.by_format.get(MeetingFormat.INDIVIDUAL, 0) + self.by_format.get(
            MeetingFormat.TRIADIC, 0
        )

    @property
    def group_minutes(self) -> float:
        return self.by_format.get(MeetingFormat.GROUP, 0)

    @property
    def total_minutes(self) -> float:
        return sum(self.by_format.values())

    def format_rows(self) -> list[tuple[str, float]]:
        return [(fmt.label, self.by_format.get(fmt, 0)) for fmt in MeetingFormat]


@dataclass
class Totals(MinutesByFormat):
    lines: list[Line] = field(default_factory=list)  # signed, counted; oldest first
    awaiting: list[Meeting] = field(default_factory=list)  # unsigned, in the period


def hours(minutes: float) -> str:
    return f"{minutes / 60:.2f}"


def group_rule() -> str:
    return current_app.config.get("GROUP_SUPERVISION_HOURS", "divided")


def superseded() -> object:
    """An entry whose correction is signed: the correction counts instead."""
    correction = aliased(Meeting)
    return (
        select(correction.id)
        .where(correction.corrects_id == Meeting.id, correction.signed_at.is_not(None))
        .exists()
    )


def _loaded(query: Select[tuple[Meeting]]) -> list[Meeting]:
    return list(
        db.session.scalars(
            query.options(
                selectinload(Meeting.attendees).selectinload(MeetingAttendee.user),
                selectinload(Meeting.supervisor),
            ).order_by(Meeting.held_on, Meeting.id)
        )
    )


def licences(meetings: list[Meeting]) -> dict[int, str]:
    """Each meeting's supervisor's credentials current on its day ("" when none), one query."""
    ids = {meeting.supervisor_id for meeting in meetings}
    held: dict[int, list[Credential]] = defaultdict(list)
    if ids:
        for credential in db.session.scalars(
            select(Credential).where(Credential.user_id.in_(ids)).order_by(Credential.id)
        ):
            held[credential.user_id].append(credential)
    return {
        meeting.id: "; ".join(
            c.summary for c in held[meeting.supervisor_id] if c.is_current_on(meeting.held_on)
        )
        for meeting in meetings
    }


def counted_minutes(as_supervisee: bool) -> ColumnElement[float]:
    """What a meeting adds to the person's hours (the rule above), as a SQL expression: the
    one place it is written, for the exports here and the hours page (ledger.py)."""
    minutes = cast(Meeting.duration_minutes, Float)
    if not (as_supervisee and group_rule() == "divided"):
        return minutes
    present = (
        select(func.count(MeetingAttendee.id))
        .where(MeetingAttendee.meeting_id == Meeting.id)
        .scalar_subquery()
    )
    shared = minutes / func.coalesce(func.nullif(present, 0), 1)
    return case((Meeting.format == MeetingFormat.GROUP, shared), else_=minutes)


def _totals(query: Select[tuple[Meeting]], start: date, end: date, as_supervisee: bool) -> Totals:
    in_period = query.where(Meeting.held_on >= start, Meeting.held_on <= end)
    signed = db.session.execute(
        in_period.add_columns(counted_minutes(as_supervisee).label("counted"))
        .where(Meeting.signed_at.is_not(None), ~superseded())
        .options(
            selectinload(Meeting.attendees).selectinload(MeetingAttendee.user),
            selectinload(Meeting.supervisor),
        )
        .order_by(Meeting.held_on, Meeting.id)
    ).all()
    awaiting = _loaded(in_period.where(Meeting.signed_at.is_(None)))
    licence = licences([meeting for meeting, _ in signed])
    totals = Totals(start, end, awaiting=awaiting)
    for meeting, counted in signed:
        minutes = float(counted)
        totals.lines.append(Line(meeting, minutes, licence[meeting.id]))
        totals.by_format[meeting.format] = totals.by_format.get(meeting.format, 0) + minutes
    return totals


def supervisee_totals(user: User, start: date, end: date) -> Totals:
    attended = select(MeetingAttendee.meeting_id).where(MeetingAttendee.user_id == user.id)
    return _totals(select(Meeting).where(Meeting.id.in_(attended)), start, end, True)


def supervisor_totals(user: User, start: date, end: date) -> Totals:
    return _totals(select(Meeting).where(Meeting.supervisor_id == user.id), start, end, False)


def group_totals(group: Group, start: date, end: date) -> Totals:
    """Every counted meeting of the group, time given in full (for its facilitators)."""
    return _totals(select(Meeting).where(Meeting.group_id == group.id), start, end, False)


def supervisees_of(meeting: Meeting) -> str:
    return ", ".join(sorted(a.user.display_name for a in meeting.attendees))


def csv_row(line: Line) -> list[str]:
    meeting = line.meeting
    signed_at = meeting.signed_at.strftime("%Y-%m-%d %H:%M") if meeting.signed_at else ""
    return [
        meeting.held_on.isoformat(),
        hours(meeting.duration_minutes),
        str(meeting.duration_minutes),
        hours(line.counted_minutes),
        meeting.format.label,
        meeting.modality.label,
        meeting.reviewed_work.label,
        supervisees_of(meeting),
        meeting.supervisor.display_name,
        line.licence,
        meeting.signed_name or "",
        signed_at,
    ]
