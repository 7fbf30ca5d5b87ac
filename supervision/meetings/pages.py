"""Ready values for the meeting templates (templates only display): who may do what, which
case links the viewer may follow, what corrects what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from supervision.extensions import db
from supervision.meetings.services import correction_of
from supervision.meetings.totals import hours, licences, supervisees_of
from supervision.models import Case, Meeting, MeetingAttendee, MeetingCase
from supervision.permissions import Permission, can


@dataclass(frozen=True)
class CaseLink:
    title: str
    url: str | None  # None: the viewer may not open the case (its title is not shown either)


@dataclass(frozen=True)
class EntryPage:
    meeting: Meeting
    supervisees: str
    licence: str
    cases: list[CaseLink]
    corrects: Meeting | None  # the entry this one corrects
    correction: Meeting | None  # this entry's correction (draft or signed)
    may_edit: bool
    may_sign: bool
    may_correct: bool

    @property
    def corrected(self) -> bool:
        return self.correction is not None and self.correction.is_signed


def _with_people(meeting: Meeting) -> Meeting:
    """The entry with its people and cases (and their flags, for CASE_VIEW) loaded at once."""
    return db.session.scalars(
        select(Meeting)
        .where(Meeting.id == meeting.id)
        .options(
            selectinload(Meeting.attendees).selectinload(MeetingAttendee.user),
            selectinload(Meeting.cases)
            .selectinload(MeetingCase.case)
            .options(selectinload(Case.flags), selectinload(Case.group)),
            selectinload(Meeting.supervisor),
        )
        .execution_options(populate_existing=True)
    ).one()


def entry_page(meeting: Meeting) -> EntryPage:
    meeting = _with_people(meeting)
    cases = [
        CaseLink(link.case.title, url_for("cases.show", case_id=link.case_id))
        if can(current_user, Permission.CASE_VIEW, link.case)
        else CaseLink("A case you cannot open", None)
        for link in meeting.cases
    ]
    return EntryPage(
        meeting,
        supervisees_of(meeting),
        licences([meeting])[meeting.id] if meeting.is_signed else "",
        cases,
        meeting.corrects,
        correction_of(meeting),
        can(current_user, Permission.MEETING_EDIT, meeting),
        can(current_user, Permission.MEETING_SIGN, meeting),
        can(current_user, Permission.MEETING_CORRECT, meeting),
    )


@dataclass(frozen=True)
class ListRow:
    meeting: Meeting
    supervisees: str
    corrected: bool


def list_rows(meetings: list[Meeting]) -> list[ListRow]:
    """The list's rows; which of them a signed correction replaced, in one query."""
    ids = [meeting.id for meeting in meetings]
    corrected = set(
        db.session.scalars(
            select(Meeting.corrects_id).where(
                Meeting.corrects_id.in_(ids), Meeting.signed_at.is_not(None)
            )
        )
        if ids
        else ()
    )
    return [ListRow(m, supervisees_of(m), m.id in corrected) for m in meetings]


def hours_page(start: date, end: date, side: str) -> dict[str, Any]:
    """What the hours template needs beyond the figures, for a supervisee or a supervisor."""
    period = {"start": start.isoformat(), "end": end.isoformat()}
    supervisee = side == "supervisee"
    return {
        "title": "My supervision hours" if supervisee else "Hours I supervised",
        "endpoint": "meetings.hours" if supervisee else "meetings.supervising",
        "csv_url": url_for(
            "meetings.hours_csv" if supervisee else "meetings.supervising_csv", **period
        ),
        "print_url": url_for("meetings.hours_print", **period) if supervisee else None,
        "other_url": url_for("meetings.supervising" if supervisee else "meetings.hours"),
        "other_label": "Hours I supervised" if supervisee else "My hours as a supervisee",
        "supervisee": supervisee,
        "period": period,
        "hours": hours,
    }
