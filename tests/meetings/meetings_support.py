"""Helpers for the meeting tests: a supervision group with a facilitator, a supervisor and four
supervisees (three attend groups; the fourth attends nothing), and entries made through the
services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from conftest import PASSWORD
from support import supervision_group

from supervision.extensions import db
from supervision.meetings.services import MeetingInput, draft_meeting, sign_meeting
from supervision.models import (
    Group,
    Meeting,
    MeetingFormat,
    MeetingModality,
    ReviewedWork,
    User,
)


@dataclass
class World:
    group: Group
    facilitator: User
    supervisor: User
    alex: User
    robin: User
    kai: User
    outsider_supervisee: User  # in the group, at none of the meetings


def make_world(make_user: Callable[..., User], make_group: Callable[..., Group]) -> World:
    facilitator = make_user("Fran Facilitator")
    supervisor = make_user("Sam Supervisor")
    alex, robin, kai, lee = (make_user(n) for n in ("Alex A", "Robin R", "Kai K", "Lee L"))
    group = supervision_group(make_group, facilitator, [supervisor], [alex, robin, kai, lee])
    return World(group, facilitator, supervisor, alex, robin, kai, lee)


def meeting_input(
    supervisor: User,
    attendees: list[User],
    *,
    held_on: date = date(2026, 3, 3),
    minutes: int = 60,
    fmt: MeetingFormat | None = None,
    notes: str = "",
    case_ids: list[int] | None = None,
) -> MeetingInput:
    if fmt is None:
        fmt = {1: MeetingFormat.INDIVIDUAL, 2: MeetingFormat.TRIADIC}.get(
            len(attendees), MeetingFormat.GROUP
        )
    return MeetingInput(
        held_on=held_on,
        duration_minutes=minutes,
        format=fmt,
        modality=MeetingModality.VIDEO,
        reviewed_work=ReviewedWork.RECORDED,
        supervisor_id=supervisor.id,
        attendee_ids=[a.id for a in attendees],
        case_ids=case_ids or [],
        notes=notes,
    )


def logged(
    world: World, attendees: list[User], *, signed: bool = True, **options: object
) -> Meeting:
    meeting = draft_meeting(
        world.group, world.supervisor, meeting_input(world.supervisor, attendees, **options)
    )
    if signed:
        sign_meeting(
            meeting, world.supervisor, world.supervisor.display_name, PASSWORD, meeting.edit_version
        )
    db.session.commit()
    return meeting
