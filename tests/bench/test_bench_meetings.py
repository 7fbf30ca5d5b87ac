"""Benchmarks of the meeting pages (`make bench`): the query count of one request is the same
for one meeting and for many (several groups, supervisees, linked cases, corrections)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask import Flask
from test_bench_pages import _compare, _shared_case, _shows, _signed_in

from supervision.extensions import db
from supervision.meetings.ledger import LINES_PER_PAGE
from supervision.models import (
    Credential,
    Group,
    GroupKind,
    Meeting,
    MeetingAttendee,
    MeetingCase,
    MeetingFormat,
    MeetingModality,
    Role,
    User,
)
from supervision.models.types import utcnow

pytestmark = pytest.mark.bench


def _meetings_scene(
    app: Flask,
    make_user: Callable[..., User],
    make_group: Callable[..., Group],
    groups: int,
    meetings: int,
    tag: str,
    people: int = 2,
) -> tuple[User, User, Group, Meeting]:
    """A supervisee and a supervisor (with two licences) in ``groups`` groups, each with
    ``meetings`` signed meetings (individual and group, each linking a case), one unsigned and
    one corrected; the supervisee, the supervisor, the first group and its last meeting."""
    supervisee, supervisor = make_user(f"Alex {tag}"), make_user(f"Sam {tag}")
    for kind in ("LPC-S", "LMFT"):
        db.session.add(
            Credential(user_id=supervisor.id, kind=kind, number="1", jurisdiction="Texas")
        )
    first: Group | None = None
    last: Meeting | None = None
    with app.test_request_context():
        for number in range(groups):
            others = [make_user() for _ in range(people)]
            group = make_group(
                GroupKind.SUPERVISION,
                {
                    make_user(): Role.FACILITATOR,
                    supervisor: Role.SUPERVISOR,
                    supervisee: Role.SUPERVISEE,
                }
                | dict.fromkeys(others, Role.SUPERVISEE),
            )
            first = first or group
            cases = [_shared_case(group, u, f"Case {tag}{number}") for u in [supervisee, *others]]
            for n in range(meetings + 1):
                together = n % 2 == 1 or n == meetings  # the last one: a group meeting
                last = Meeting(
                    group=group,
                    held_on=date(2026, 1, 5) + timedelta(days=n),
                    duration_minutes=60,
                    format=MeetingFormat.GROUP if together else MeetingFormat.INDIVIDUAL,
                    modality=MeetingModality.VIDEO,
                    supervisor_id=supervisor.id,
                    attendees=[
                        MeetingAttendee(user_id=u.id)
                        for u in ([supervisee, *others] if together else [supervisee])
                    ],
                    cases=[MeetingCase(case_id=case.id) for case in cases],
                )
                if n < meetings:  # the last one awaits sign-off
                    last.signed_name, last.signed_at = supervisor.display_name, utcnow()
                db.session.add(last)
            db.session.flush()
            assert last is not None
            corrected = db.session.scalars(
                db.select(Meeting).where(Meeting.group_id == group.id).limit(1)
            ).one()
            db.session.add(
                Meeting(
                    group=group,
                    held_on=corrected.held_on,
                    duration_minutes=50,
                    format=MeetingFormat.INDIVIDUAL,
                    modality=MeetingModality.PHONE,
                    supervisor_id=supervisor.id,
                    corrects_id=corrected.id,
                    signed_name=supervisor.display_name,
                    signed_at=utcnow(),
                    attendees=[MeetingAttendee(user_id=supervisee.id)],
                )
            )
        db.session.commit()
    assert first is not None and last is not None
    return supervisee, supervisor, first, last


PERIOD = "?start=2026-01-01&end=2026-12-31"


def test_bench_meeting_pages(benchmark, app, make_user, make_group) -> None:
    few = _meetings_scene(app, make_user, make_group, 1, 1, "S")
    many = _meetings_scene(app, make_user, make_group, 3, 30, "L", people=5)
    small, large = "1 meeting of 3 in 1 group", "30 meetings of 6 in each of 3 groups"
    as_supervisee = (_signed_in(app, few[0]), _signed_in(app, many[0]))
    as_supervisor = (_signed_in(app, few[1]), _signed_in(app, many[1]))
    pages: dict[str, tuple[tuple, Callable]] = {
        "group meetings list": (as_supervisor, lambda s: f"/groups/{s[2].id}/meetings"),
        "meeting page": (as_supervisee, lambda s: f"/meetings/{s[3].id}"),
        "my hours": (as_supervisee, lambda s: f"/meetings/hours{PERIOD}"),
        "my hours csv": (as_supervisee, lambda s: f"/meetings/hours.csv{PERIOD}"),
        "my hours printable": (as_supervisee, lambda s: f"/meetings/hours/print{PERIOD}"),
        "hours supervised": (as_supervisor, lambda s: f"/meetings/supervising{PERIOD}"),
    }
    for label, ((few_client, many_client), path) in pages.items():
        _compare(benchmark, label, (small, few_client, path(few)), (large, many_client, path(many)))
    client = as_supervisee[1]
    # 90 signed meetings: the page shows one keyset page of them, the totals count them all.
    assert _shows(client, f"/meetings/hours{PERIOD}", r"<td>\d+ min</td>") == LINES_PER_PAGE
    assert "90 signed meetings counted in this period" in client.get(
        f"/meetings/hours{PERIOD}"
    ).get_data(as_text=True)
    benchmark(lambda: client.get(f"/meetings/hours{PERIOD}"))
