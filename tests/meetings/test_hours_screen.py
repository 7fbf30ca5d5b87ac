"""The hours page: whole-period totals from SQL, the same as the exports', and signed entries
one keyset page at a time (newest first), with the period kept across pages."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from conftest import PASSWORD
from meetings_support import World, logged, make_world, meeting_input
from sqlalchemy import event

from supervision.extensions import db
from supervision.meetings import ledger
from supervision.meetings.services import save_meeting, sign_meeting, start_correction
from supervision.meetings.totals import supervisee_totals, supervisor_totals

YEAR = (date(2026, 1, 1), date(2026, 12, 31))
PERIOD = "start=2026-01-01&end=2026-12-31"


@pytest.fixture()
def world(app, make_user, make_group) -> World:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        yield make_world(make_user, make_group)


def _mixed_year(world: World) -> None:
    """Every kind of entry the rules treat differently, and entries outside the period."""
    logged(world, [world.alex], minutes=50)
    logged(world, [world.alex, world.robin], minutes=90, held_on=date(2026, 4, 1))
    logged(world, [world.alex, world.robin, world.kai], minutes=120, held_on=date(2026, 5, 1))
    logged(world, [world.alex, world.kai], minutes=75, held_on=date(2026, 6, 1), fmt=None)
    logged(world, [world.alex], signed=False, minutes=300, held_on=date(2026, 7, 1))
    logged(world, [world.alex], minutes=500, held_on=date(2025, 12, 31))
    original = logged(world, [world.alex, world.robin, world.kai], minutes=100)
    correction = start_correction(original, world.alex)
    save_meeting(
        correction,
        world.alex,
        meeting_input(world.supervisor, [world.alex, world.robin], minutes=70),
        correction.edit_version,
    )
    sign_meeting(correction, world.supervisor, world.supervisor.display_name, PASSWORD, 2)
    db.session.commit()


@pytest.mark.parametrize("rule", ["divided", "full"])
def test_the_page_counts_exactly_what_the_exports_count(app, world: World, rule: str) -> None:  # type: ignore[no-untyped-def]
    _mixed_year(world)
    app.config["GROUP_SUPERVISION_HOURS"] = rule
    try:
        for person in (world.alex, world.robin, world.kai, world.outsider_supervisee):
            screen = ledger.supervisee_screen(person, *YEAR)
            totals = supervisee_totals(person, *YEAR)
            assert screen.summary.by_format == pytest.approx(totals.by_format)
            assert screen.summary.counted == len(totals.lines)
            assert screen.summary.awaiting_count == len(totals.awaiting)
            assert [line.meeting.id for line in screen.lines] == [
                line.meeting.id for line in reversed(totals.lines)
            ]
            assert [line.counted_minutes for line in screen.lines] == pytest.approx(
                [line.counted_minutes for line in reversed(totals.lines)]
            )
        given = ledger.supervisor_screen(world.supervisor, *YEAR)
        totals = supervisor_totals(world.supervisor, *YEAR)
        assert given.summary.total_minutes == totals.total_minutes == 50 + 90 + 120 + 75 + 70
    finally:
        app.config["GROUP_SUPERVISION_HOURS"] = "divided"
    # The group meeting of three counts 40 minutes each when divided.
    assert supervisee_totals(world.kai, *YEAR).group_minutes == 40


def _rows(html: str) -> list[str]:
    return re.findall(r'<td><a href="/meetings/(\d+)">', html)


def test_signed_meetings_page_by_page_with_the_whole_period_totals(
    client, login_as, world: World
) -> None:  # type: ignore[no-untyped-def]
    count = ledger.LINES_PER_PAGE + 5
    first_day = date(2026, 1, 5)
    made = [
        logged(world, [world.alex], minutes=60, held_on=first_day + timedelta(days=i)).id
        for i in range(count)
    ]
    login_as(world.alex)
    page = client.get(f"/meetings/hours?{PERIOD}").get_data(as_text=True)
    total = f"<strong>{count:.2f}</strong>"  # 60 minutes each: one hour per meeting
    assert total in page and f"{count} signed meetings counted" in page
    newest = [str(i) for i in reversed(made)]
    assert _rows(page) == newest[: ledger.LINES_PER_PAGE]
    older = re.search(r'href="([^"]*after=[^"]*)" rel="next"', page)
    assert older is not None
    link = older.group(1).replace("&amp;", "&")
    assert "start=2026-01-01" in link and "end=2026-12-31" in link  # the period is kept
    second = client.get(link).get_data(as_text=True)
    assert _rows(second) == newest[ledger.LINES_PER_PAGE :]
    assert total in second  # totals are the period's, on every page
    assert 'rel="next"' not in second


def test_many_awaiting_entries_are_counted_and_the_oldest_listed(
    client, login_as, world: World
) -> None:  # type: ignore[no-untyped-def]
    waiting = ledger.AWAITING_SHOWN + 3
    for i in range(waiting):
        logged(world, [world.alex], signed=False, held_on=date(2026, 2, 1) + timedelta(days=i))
    login_as(world.alex)
    page = client.get(f"/meetings/hours?{PERIOD}").get_data(as_text=True)
    assert f"Awaiting sign-off ({waiting})" in page
    assert page.count("Awaiting sign-off</span>") == ledger.AWAITING_SHOWN
    assert "01 Feb 2026" in page and "3 more are waiting" in page
    assert "No signed meetings in this period." in page


def test_the_page_costs_the_same_statements_with_few_or_many_meetings(
    client, login_as, world: World
) -> None:  # type: ignore[no-untyped-def]
    def statements(path: str) -> int:
        seen: list[str] = []
        engine = db.engine
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    logged(world, [world.alex, world.robin, world.kai], minutes=90)
    logged(world, [world.alex], signed=False)
    login_as(world.alex)
    few = statements(f"/meetings/hours?{PERIOD}")
    for i in range(ledger.LINES_PER_PAGE * 2):
        logged(world, [world.alex, world.robin], held_on=date(2026, 1, 2) + timedelta(days=i))
        logged(world, [world.alex], signed=False, held_on=date(2026, 8, 2) + timedelta(days=i))
    assert statements(f"/meetings/hours?{PERIOD}") == few
    login_as(world.supervisor)
    assert statements(f"/meetings/supervising?{PERIOD}") <= few + 2  # attendees and their names
