"""The meeting pages through the test client: drafting, who reads, signing, correcting, hours."""

from __future__ import annotations

import re
from datetime import date

import pyotp
import pytest
from conftest import PASSWORD, enrol_second_factor, post
from meetings_support import World, logged, make_world
from support import shared_case

from supervision.cases.privacy import flag_case
from supervision.extensions import db
from supervision.models import Meeting


@pytest.fixture()
def world(app, make_user, make_group) -> World:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        return make_world(make_user, make_group)


def _form(world: World, **changes: object) -> dict:
    data = {
        "held_on": "2026-03-03",
        "duration_minutes": "60",
        "format": "individual",
        "modality": "video",
        "reviewed_work": "live",
        "supervisor": str(world.supervisor.id),
        "attendees": [str(world.alex.id)],
        "notes": "We talked about *pacing*.",
        "follow_up": "Bring a recording.",
    }
    data.update(changes)
    return data


def test_a_supervisee_logs_a_meeting(client, login_as, world: World) -> None:  # type: ignore[no-untyped-def]
    case = shared_case(world.group, world.alex)
    login_as(world.alex)
    page = client.get(f"/groups/{world.group.id}/meetings/new")
    assert page.status_code == 200 and 'type="date"' in page.get_data(as_text=True)
    response = post(
        client, f"/groups/{world.group.id}/meetings/new", _form(world, cases=[str(case.id)])
    )
    assert response.status_code == 302
    meeting = db.session.scalars(db.select(Meeting)).one()
    shown = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "<em>pacing</em>" in shown and "Awaiting sign-off" in shown
    assert f'href="/cases/{case.id}"' in shown


def test_bad_input_keeps_the_text_and_says_why(client, login_as, world: World) -> None:  # type: ignore[no-untyped-def]
    login_as(world.supervisor)
    response = post(
        client,
        f"/groups/{world.group.id}/meetings/new",
        _form(world, format="group", notes="Keep me, please."),
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "a group meeting has three or more supervisees" in text and "Keep me, please." in text
    response = post(
        client, f"/groups/{world.group.id}/meetings/new", _form(world, held_on="3/3/26")
    )
    assert response.status_code == 400 and "year-month-day" in response.get_data(as_text=True)
    response = post(
        client, f"/groups/{world.group.id}/meetings/new", _form(world, duration_minutes="lots")
    )
    assert response.status_code == 400 and "whole number" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Meeting)).all() == []


def test_who_reads_an_entry(client, login_as, world: World, make_user) -> None:  # type: ignore[no-untyped-def]
    meeting = logged(world, [world.alex])
    for person, status in (
        (world.alex, 200),
        (world.supervisor, 200),
        (world.facilitator, 200),
        (world.robin, 404),  # a member, not there
        (make_user(), 404),
    ):
        login_as(person)
        assert client.get(f"/meetings/{meeting.id}").status_code == status, person
        listed = client.get(f"/groups/{world.group.id}/meetings")
        if status == 200:
            assert f"/meetings/{meeting.id}" in listed.get_data(as_text=True)
        elif listed.status_code == 200:
            assert f'/meetings/{meeting.id}"' not in listed.get_data(as_text=True)
        client.get("/")
        post(client, "/logout")


def test_case_links_only_for_those_who_may_open_the_case(client, login_as, world: World) -> None:  # type: ignore[no-untyped-def]
    case = shared_case(world.group, world.alex)
    meeting = logged(world, [world.alex], case_ids=[case.id])

    with client.application.test_request_context():
        flag_case(case, world.supervisor, "", "Too specific.")
        db.session.commit()
    login_as(world.alex)  # the author still opens it
    assert f'href="/cases/{case.id}"' in client.get(f"/meetings/{meeting.id}").get_data(
        as_text=True
    )
    post(client, "/logout")
    login_as(world.supervisor)  # a flagged case is hidden from the supervisor
    text = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f'href="/cases/{case.id}"' not in text and "A case you cannot open" in text
    assert case.title not in text


def test_edit_conflict_shows_both_versions(client, login_as, world: World) -> None:  # type: ignore[no-untyped-def]
    meeting = logged(world, [world.alex], signed=False, minutes=60)
    login_as(world.alex)
    first = post(
        client,
        f"/meetings/{meeting.id}/edit",
        _form(world, duration_minutes="50", edit_version="1"),
    )
    assert first.status_code == 302
    stale = post(
        client,
        f"/meetings/{meeting.id}/edit",
        _form(world, duration_minutes="70", notes="Mine too", edit_version="1"),
    )
    text = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "changed elsewhere" in text and "version 2; you opened version 1" in text
    assert "Mine too" in text and "50 minutes" in text
    # Saving again from the conflict page applies the form over the entry as it now is.
    again = post(
        client,
        f"/meetings/{meeting.id}/edit",
        _form(world, duration_minutes="70", notes="Mine too", edit_version="2"),
    )
    assert again.status_code == 302
    db.session.refresh(meeting)
    assert meeting.duration_minutes == 70


def test_markdown_fields_are_sanitized(client, login_as, world: World) -> None:  # type: ignore[no-untyped-def]
    login_as(world.supervisor)
    payload = "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    post(
        client,
        f"/groups/{world.group.id}/meetings/new",
        _form(world, notes=payload, follow_up=payload),
    )
    meeting = db.session.scalars(db.select(Meeting)).one()
    text = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "<script>alert" not in text and "javascript:" not in text
    assert not re.search(r"<[a-z]+[^>]*onerror", text)


def test_sign_off_locks_the_entry(client, login_as, world: World) -> None:  # type: ignore[no-untyped-def]
    meeting = logged(world, [world.alex], signed=False)
    login_as(world.alex)
    assert client.get(f"/meetings/{meeting.id}/sign").status_code == 403
    post(client, "/logout")
    login_as(world.supervisor)
    wrong = post(
        client,
        f"/meetings/{meeting.id}/sign",
        {"signature": "Sam Supervisor", "password": "nope", "edit_version": "1"},
    )
    assert wrong.status_code == 400 and "That password is not correct." in wrong.get_data(
        as_text=True
    )
    signed = post(
        client,
        f"/meetings/{meeting.id}/sign",
        {"signature": "Sam Supervisor", "password": PASSWORD, "edit_version": "1"},
    )
    assert signed.status_code == 302
    assert client.get(f"/meetings/{meeting.id}/edit").status_code == 403
    assert "Signed by Sam Supervisor" in client.get(f"/meetings/{meeting.id}").get_data(
        as_text=True
    )


def test_correct_this_entry(client, login_as, world: World) -> None:  # type: ignore[no-untyped-def]
    meeting = logged(world, [world.alex])
    login_as(world.alex)
    response = post(client, f"/meetings/{meeting.id}/correct")
    correction = db.session.scalars(
        db.select(Meeting).where(Meeting.corrects_id == meeting.id)
    ).one()
    assert response.headers["Location"].endswith(f"/meetings/{correction.id}/edit")
    post(
        client,
        f"/meetings/{correction.id}/edit",
        _form(world, duration_minutes="45", edit_version="1"),
    )
    post(client, "/logout")
    login_as(world.supervisor)
    post(
        client,
        f"/meetings/{correction.id}/sign",
        {"signature": "Sam Supervisor", "password": PASSWORD, "edit_version": "2"},
    )
    original = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "This entry was corrected by" in original
    assert "This entry corrects" in client.get(f"/meetings/{correction.id}").get_data(as_text=True)


def test_hours_page_csv_and_print(client, login_as, world: World) -> None:  # type: ignore[no-untyped-def]
    logged(world, [world.alex], held_on=date(2026, 3, 3), minutes=90)
    logged(world, [world.alex], signed=False, held_on=date(2026, 3, 10))
    login_as(world.alex)
    page = client.get("/meetings/hours?start=2026-01-01&end=2026-12-31")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "1.50" in text and "Awaiting sign-off (1)" in text
    csv = client.get("/meetings/hours.csv?start=2026-01-01&end=2026-12-31")
    assert csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0].startswith("\ufeffdate,duration (hours),duration (minutes)")  # BOM first
    assert lines[1].startswith(
        "2026-03-03,1.50,90,1.50,Individual,Video,Recorded work,Alex A,Sam Supervisor"
    )
    assert len(lines) == 2
    printed = client.get("/meetings/hours/print?start=2026-01-01&end=2026-12-31").get_data(
        as_text=True
    )
    assert "@media print" not in printed and "css/meetings.css" in printed
    assert "Signed “Sam Supervisor”" in printed and "summary.pdf" in printed
    pdf = client.get("/meetings/hours/summary.pdf?start=2026-01-01&end=2026-12-31")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF-")
    post(client, "/logout")
    login_as(world.supervisor)
    given = client.get("/meetings/supervising?start=2026-01-01&end=2026-12-31").get_data(
        as_text=True
    )
    assert "Hours I supervised" in given and "1.50" in given
    assert (
        client.get("/meetings/supervising.csv?start=2026-01-01&end=2026-12-31").status_code == 200
    )


def test_bad_period_is_explained(client, login_as, world: World) -> None:  # type: ignore[no-untyped-def]
    login_as(world.alex)
    response = client.get("/meetings/hours?start=2026-05-01&end=2026-01-01")
    assert response.status_code == 400 and "comes before its start" in response.get_data(
        as_text=True
    )
    response = client.get("/meetings/hours?start=soon")
    assert response.status_code == 400 and "year-month-day" in response.get_data(as_text=True)


def test_the_group_page_links_to_meetings(client, login_as, world: World) -> None:  # type: ignore[no-untyped-def]
    login_as(world.alex)
    assert f"/groups/{world.group.id}/meetings" in client.get(f"/groups/{world.group.id}").get_data(
        as_text=True
    )


def test_a_supervisor_with_a_second_factor_signs_with_a_current_code(
    client, login_as, world: World, totp_clock: float
) -> None:  # type: ignore[no-untyped-def]
    secret = enrol_second_factor(world.supervisor)
    meeting = logged(world, [world.alex], signed=False)
    login_as(world.supervisor)
    page = client.get(f"/meetings/{meeting.id}/sign").get_data(as_text=True)
    assert "Code from your authenticator app" in page
    form = {"signature": "Sam Supervisor", "password": PASSWORD, "edit_version": "1"}
    missing = post(client, f"/meetings/{meeting.id}/sign", form)
    assert missing.status_code == 400
    assert "Enter the code from your authenticator app." in missing.get_data(as_text=True)
    code = pyotp.TOTP(secret).at(totp_clock)  # the step after the enrolment's
    signed = post(client, f"/meetings/{meeting.id}/sign", {**form, "code": code})
    assert signed.status_code == 302
    db.session.refresh(meeting)
    assert meeting.signed_at is not None
