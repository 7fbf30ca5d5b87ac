"""The rules of meeting entries, hours and totals, through the services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import PASSWORD
from meetings_support import World, logged, make_world, meeting_input
from sqlalchemy import select
from support import shared_case

from supervision.auth.reauth import ReauthError
from supervision.cases.privacy import redact_passage
from supervision.exports.csvfile import BOM, csv_text
from supervision.exports.csvsafe import safe_cell
from supervision.exports.sections import group_report, portfolio_sections
from supervision.extensions import db
from supervision.meetings.hooks import unsigned_meetings_due
from supervision.meetings.services import (
    MeetingConflict,
    MeetingError,
    draft_meeting,
    save_meeting,
    sign_meeting,
    start_correction,
)
from supervision.meetings.totals import csv_row, supervisee_totals, supervisor_totals
from supervision.models import Credential, Meeting, MeetingFormat, NotificationEvent
from supervision.models.types import utcnow
from supervision.relationship.occasions import pending_occasions

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture()
def world(app, make_user, make_group) -> World:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        yield make_world(make_user, make_group)


def test_format_must_agree_with_who_attended(world: World) -> None:
    data = meeting_input(world.supervisor, [world.alex, world.robin], fmt=MeetingFormat.GROUP)
    with pytest.raises(MeetingError, match="a group meeting has three or more") as error:
        draft_meeting(world.group, world.supervisor, data)
    assert error.value.field == "format"
    data = meeting_input(world.supervisor, [world.alex], fmt=MeetingFormat.TRIADIC)
    with pytest.raises(MeetingError, match="a triadic meeting has two"):
        draft_meeting(world.group, world.supervisor, data)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"held_on": date.today() + timedelta(days=3)}, "held_on"),
        ({"minutes": 4}, "duration_minutes"),
        ({"minutes": 601}, "duration_minutes"),
    ],
)
def test_bad_dates_and_lengths_are_refused(world: World, change: dict, field: str) -> None:
    with pytest.raises(MeetingError) as error:
        draft_meeting(
            world.group, world.supervisor, meeting_input(world.supervisor, [world.alex], **change)
        )
    assert error.value.field == field


def test_the_supervisor_must_be_a_supervisor_and_the_attendees_supervisees(world: World) -> None:
    with pytest.raises(MeetingError, match="supervisors and facilitators"):
        draft_meeting(world.group, world.alex, meeting_input(world.robin, [world.alex]))
    with pytest.raises(MeetingError, match="supervisees"):
        draft_meeting(
            world.group, world.supervisor, meeting_input(world.supervisor, [world.facilitator])
        )


def test_a_supervisee_drafts_only_a_meeting_they_attended(world: World) -> None:
    with pytest.raises(MeetingError, match="supervised or attended"):
        draft_meeting(world.group, world.robin, meeting_input(world.supervisor, [world.alex]))
    meeting = draft_meeting(world.group, world.alex, meeting_input(world.supervisor, [world.alex]))
    assert meeting.drafted_by_id == world.alex.id and not meeting.is_signed


def test_only_the_supervisor_signs_with_name_and_password(world: World) -> None:
    meeting = logged(world, [world.alex], signed=False)
    with pytest.raises(MeetingError, match="Only the meeting's supervisor"):
        sign_meeting(meeting, world.alex, world.alex.display_name, PASSWORD, meeting.edit_version)
    with pytest.raises(ReauthError) as error:
        sign_meeting(meeting, world.supervisor, world.supervisor.display_name, "wrong", 1)
    assert error.value.field == "password"
    with pytest.raises(ReauthError) as error:
        sign_meeting(meeting, world.supervisor, "Someone Else", PASSWORD, 1)
    assert error.value.field == "signature"
    sign_meeting(meeting, world.supervisor, "sam supervisor", PASSWORD, meeting.edit_version)
    assert meeting.signed_name == "sam supervisor" and meeting.signed_at is not None


def test_a_signed_entry_is_locked(world: World) -> None:
    meeting = logged(world, [world.alex])
    with pytest.raises(MeetingError, match="locked"):
        save_meeting(
            meeting,
            world.supervisor,
            meeting_input(world.supervisor, [world.alex]),
            meeting.edit_version,
        )


def test_a_stale_edit_is_a_conflict(world: World) -> None:
    meeting = logged(world, [world.alex], signed=False)
    seen = meeting.edit_version
    save_meeting(
        meeting, world.alex, meeting_input(world.supervisor, [world.alex], minutes=50), seen
    )
    with pytest.raises(MeetingConflict):
        save_meeting(
            meeting,
            world.supervisor,
            meeting_input(world.supervisor, [world.alex], minutes=70),
            seen,
        )
    assert meeting.duration_minutes == 50


def test_signing_what_changed_since_one_looked_is_a_conflict(world: World) -> None:
    meeting = logged(world, [world.alex], signed=False)
    seen = meeting.edit_version
    save_meeting(
        meeting, world.alex, meeting_input(world.supervisor, [world.alex], minutes=90), seen
    )
    with pytest.raises(MeetingConflict):
        sign_meeting(meeting, world.supervisor, world.supervisor.display_name, PASSWORD, seen)
    assert not meeting.is_signed


def test_group_time_divided_or_full(app, world: World) -> None:  # type: ignore[no-untyped-def]
    logged(world, [world.alex])  # 60 individual
    logged(world, [world.alex, world.robin], minutes=90)  # triadic: full for each
    logged(world, [world.alex, world.robin, world.kai], minutes=120)  # group: 40 each divided
    logged(world, [world.alex], signed=False, minutes=300)  # awaiting, not counted
    totals = supervisee_totals(world.alex, *YEAR)
    assert totals.by_format == {
        MeetingFormat.INDIVIDUAL: 60,
        MeetingFormat.TRIADIC: 90,
        MeetingFormat.GROUP: 40,
    }
    assert (totals.individual_minutes, totals.group_minutes) == (150, 40)
    assert len(totals.awaiting) == 1
    app.config["GROUP_SUPERVISION_HOURS"] = "full"
    try:
        assert supervisee_totals(world.alex, *YEAR).group_minutes == 120
    finally:
        app.config["GROUP_SUPERVISION_HOURS"] = "divided"
    given = supervisor_totals(world.supervisor, *YEAR)
    assert given.total_minutes == 60 + 90 + 120  # the time given, in full
    assert supervisee_totals(world.outsider_supervisee, *YEAR).total_minutes == 0


def test_the_period_bounds_the_totals(world: World) -> None:
    logged(world, [world.alex], held_on=date(2025, 12, 31))
    logged(world, [world.alex], held_on=date(2026, 1, 1))
    assert supervisee_totals(world.alex, *YEAR).total_minutes == 60


def test_a_signed_correction_counts_instead_of_the_original(world: World) -> None:
    original = logged(world, [world.alex], minutes=60)
    correction = start_correction(original, world.alex)
    assert correction.corrects_id == original.id and not correction.is_signed
    assert start_correction(original, world.supervisor) is correction  # one per entry
    save_meeting(
        correction,
        world.alex,
        meeting_input(world.supervisor, [world.alex], minutes=45),
        correction.edit_version,
    )
    db.session.commit()
    assert supervisee_totals(world.alex, *YEAR).total_minutes == 60  # unsigned: original counts
    sign_meeting(
        correction,
        world.supervisor,
        world.supervisor.display_name,
        PASSWORD,
        correction.edit_version,
    )
    db.session.commit()
    totals = supervisee_totals(world.alex, *YEAR)
    assert totals.total_minutes == 45
    assert [line.meeting.id for line in totals.lines] == [correction.id]


def test_csv_rows_carry_the_licence_current_on_the_day(world: World) -> None:
    db.session.add_all(
        [
            Credential(
                user_id=world.supervisor.id,
                kind="LPC-S",
                number="123",
                jurisdiction="Texas",
                expires_on=date(2026, 6, 30),
            ),
            Credential(
                user_id=world.supervisor.id,
                kind="=HYPERLINK",
                number="1",
                jurisdiction="X",
                expires_on=date(2026, 1, 1),
            ),
        ]
    )
    logged(world, [world.alex], held_on=date(2026, 3, 3), minutes=50)
    logged(world, [world.alex], held_on=date(2026, 7, 3))
    lines = supervisee_totals(world.alex, *YEAR).lines
    first, second = (csv_row(line) for line in lines)
    assert first[:3] == ["2026-03-03", "0.83", "50"]
    assert first[9] == "LPC-S 123 (Texas, until 2026-06-30)"
    assert second[9] == ""  # expired by then
    assert first[8] == "Sam Supervisor" and first[10] == "Sam Supervisor"


def test_csv_cells_cannot_start_a_formula() -> None:
    for dangerous in ("=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(dangerous) == "'" + dangerous
    assert safe_cell("Sam") == "Sam" and safe_cell(None) is None
    assert csv_text(["a"], [["=cmd"]]) == BOM + "a\r\n'=cmd\r\n"


def test_redaction_scrubs_meeting_notes(world: World) -> None:
    case = shared_case(world.group, world.alex)
    meeting = logged(world, [world.alex], notes="We discussed how the client offered a small gift.")
    redact_passage(case, world.alex, "offered a small gift")
    db.session.commit()
    db.session.refresh(meeting)
    assert "small gift" not in meeting.notes and "[redacted]" in meeting.notes
    assert "small gift" not in meeting.notes_html


def test_reminder_after_seven_days_to_the_supervisor(world: World) -> None:
    meeting = logged(world, [world.alex], signed=False, held_on=date(2026, 3, 3))
    now = utcnow()
    assert list(unsigned_meetings_due(now)) == []
    due = list(unsigned_meetings_due(now + timedelta(days=7, minutes=1)))
    assert [(d.user_id, d.key, d.event) for d in due] == [
        (world.supervisor.id, f"meeting:{meeting.id}:sign", NotificationEvent.MEETING_TO_SIGN)
    ]
    assert due[0].text == "A meeting entry of 3 March awaits your sign-off"
    logged(world, [world.robin])  # signed: never due
    assert len(list(unsigned_meetings_due(now + timedelta(days=30)))) == 1


def test_portfolio_section_and_group_report(world: World) -> None:
    logged(world, [world.alex], notes="A private-ish note")
    logged(world, [world.robin])
    sections = {s.key: s for s in portfolio_sections(world.alex)}
    hours = sections["hours"]
    assert len(hours.records) == 1 and "Signed hours: 1.00" in hours.markdown
    assert "private-ish" not in hours.markdown + str(hours.records)
    report = group_report("hours", world.group)
    assert report is not None and len(report.rows) == 2


def test_a_signed_meeting_offers_a_relationship_check(world: World) -> None:
    logged(world, [world.alex, world.robin])
    logged(world, [world.kai], signed=False)
    assert [o.kind for o in pending_occasions(world.alex)] == ["meeting"]
    assert pending_occasions(world.kai) == []
    assert db.session.scalar(select(Meeting.id).where(Meeting.signed_at.is_(None))) is not None
