"""The hours page: whole-period totals added up in SQL, and one keyset page of signed entries.

The exports (CSV, print, PDF, archive) list every entry and use ``totals.py``; the page must
stay the same size however many meetings a person has, so it never loads the period whole.
Both count with ``totals.counted_minutes``, so a test can hold the page's whole-period sums
to the exports' line-by-line ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from supervision.extensions import db
from supervision.meetings.totals import (
    Line,
    MinutesByFormat,
    counted_minutes,
    licences,
    superseded,
)
from supervision.models import Meeting, MeetingAttendee, User
from supervision.pagination import KeysetPage, keyset_page

LINES_PER_PAGE = 25
AWAITING_SHOWN = 20


@dataclass
class Summary(MinutesByFormat):
    """The period's totals, and how many entries are counted or waiting."""

    counted: int = 0
    awaiting_count: int = 0
    awaiting: list[Meeting] = field(default_factory=list)  # the oldest AWAITING_SHOWN

    @property
    def awaiting_hidden(self) -> int:
        return self.awaiting_count - len(self.awaiting)


@dataclass(frozen=True)
class HoursScreen:
    summary: Summary
    lines: list[Line]
    page: KeysetPage


def _summary(in_period: Select[Any], start: date, end: date, as_supervisee: bool) -> Summary:
    signed = Meeting.signed_at.is_not(None)
    rows = db.session.execute(
        in_period.with_only_columns(
            Meeting.format,
            func.sum(case((signed, counted_minutes(as_supervisee)), else_=0.0)),
            func.sum(case((signed, 1), else_=0)),
            func.sum(case((signed, 0), else_=1)),
        )
        .where(or_(Meeting.signed_at.is_(None), ~superseded()))
        .group_by(Meeting.format)
    )
    summary = Summary(start, end)
    for fmt, minutes, counted, waiting in rows:
        if counted:
            summary.by_format[fmt] = float(minutes)
        summary.counted += int(counted)
        summary.awaiting_count += int(waiting)
    if summary.awaiting_count:
        summary.awaiting = list(
            db.session.scalars(
                in_period.where(Meeting.signed_at.is_(None))
                .order_by(Meeting.held_on, Meeting.id)
                .limit(AWAITING_SHOWN)
            )
        )
    return summary


def _screen(query: Select[Any], start: date, end: date, as_supervisee: bool) -> HoursScreen:
    in_period = query.where(Meeting.held_on >= start, Meeting.held_on <= end)
    summary = _summary(in_period, start, end, as_supervisee)
    lines_query = (
        in_period.add_columns(counted_minutes(as_supervisee).label("counted"))
        .where(Meeting.signed_at.is_not(None), ~superseded())
        .options(joinedload(Meeting.supervisor))
    )
    if not as_supervisee:  # the supervisor's page names who attended
        lines_query = lines_query.options(
            selectinload(Meeting.attendees).selectinload(MeetingAttendee.user)
        )
    page = keyset_page(
        lines_query,
        (Meeting.held_on, Meeting.id),
        per_page=LINES_PER_PAGE,
        key=lambda row: (row[0].held_on, row[0].id),
        scalars=False,
    )
    meetings = [row[0] for row in page.items]
    licence = licences(meetings)
    lines = [Line(row[0], float(row[1]), licence[row[0].id]) for row in page.items]
    return HoursScreen(summary, lines, page)


def supervisee_screen(user: User, start: date, end: date) -> HoursScreen:
    attended = select(MeetingAttendee.meeting_id).where(MeetingAttendee.user_id == user.id)
    return _screen(select(Meeting).where(Meeting.id.in_(attended)), start, end, True)


def supervisor_screen(user: User, start: date, end: date) -> HoursScreen:
    return _screen(select(Meeting).where(Meeting.supervisor_id == user.id), start, end, False)
