"""The demo's supervision meetings: about six months of Tomas's weekly individual meetings with
each supervisee of the supervision group and a fortnightly group meeting, most signed, some
linked to the group's cases; one entry unsigned for ten days (its reminder is due) and one
signed entry corrected by another. Tomas holds a licence if the demo has none for him yet.

Rows are written directly, dated from the workspace's timeline: the signature here is the demo
loader's, not a person's, so ``auth.reauth.sign`` is not asked.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from supervision.demo.people import DemoWorkspace
from supervision.extensions import db
from supervision.models import (
    Case,
    CaseStatus,
    Credential,
    Group,
    GroupKind,
    Meeting,
    MeetingAttendee,
    MeetingCase,
    MeetingFormat,
    MeetingModality,
    ReviewedWork,
    User,
)
from supervision.rendering import render_markdown

WEEKS = 26
FIRST_DAYS_AGO = 7 * WEEKS + 3  # after the groups began (timeline.GROUPS_DAYS_AGO)
NOTES = (
    "Talked through pacing in the middle sessions; noticed a pull to fill silences.",
    "Looked at a rupture and how it was repaired the following week.",
    "Reviewed goals for the placement and what feedback has been most useful.",
    "Worked on case formulation: what keeps the difficulty going.",
)
FOLLOW_UPS = (
    "Bring a short recording of a moment that felt stuck.",
    "Read the chapter on therapeutic ruptures before next time.",
    "",
)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _supervision_group(workspace: DemoWorkspace) -> Group:
    return next(g for g in workspace.groups if g.kind is GroupKind.SUPERVISION)


def _ensure_credential(supervisor: User, since: datetime) -> None:
    if db.session.scalar(select(Credential.id).where(Credential.user_id == supervisor.id)):
        return
    db.session.add(
        Credential(
            user_id=supervisor.id,
            kind="Licensed Professional Counselor-Supervisor (demo)",
            number="00000",
            jurisdiction="Demo State",
            expires_on=date(since.year + 2, 6, 30),
            created_at=since,
        )
    )


def _meeting(
    group: Group,
    supervisor: User,
    attendees: list[User],
    day: date,
    fmt: MeetingFormat,
    n: int,
    cases: list[Case],
    signed: bool = True,
) -> Meeting:
    notes = NOTES[n % len(NOTES)]
    follow_up = FOLLOW_UPS[n % len(FOLLOW_UPS)]
    meeting = Meeting(
        group=group,
        held_on=day,
        duration_minutes=90 if fmt is MeetingFormat.GROUP else 60,
        format=fmt,
        modality=MeetingModality.VIDEO if n % 3 else MeetingModality.IN_PERSON,
        reviewed_work=ReviewedWork.RECORDED if n % 4 == 0 else ReviewedWork.NONE,
        supervisor_id=supervisor.id,
        drafted_by_id=(
            attendees[0] if n % 2 and fmt is MeetingFormat.INDIVIDUAL else supervisor
        ).id,
        notes=notes,
        notes_html=render_markdown(notes),
        follow_up=follow_up,
        follow_up_html=render_markdown(follow_up),
        created_at=_at(day, 18),
        updated_at=_at(day, 18),
        attendees=[MeetingAttendee(user_id=user.id) for user in attendees],
        cases=[MeetingCase(case_id=case.id) for case in cases],
    )
    if signed:
        meeting.signed_name = supervisor.display_name
        meeting.signed_at = _at(day + timedelta(days=1), 9)
    db.session.add(meeting)
    return meeting


def load_demo_meetings(workspace: DemoWorkspace) -> None:
    group = _supervision_group(workspace)
    supervisor = workspace.users["tomas"]
    supervisees = [workspace.users[h] for h in ("amara", "jun", "sam")]
    today = workspace.loaded_at.date()
    _ensure_credential(supervisor, workspace.ago(FIRST_DAYS_AGO + 5))
    shared = list(
        db.session.scalars(
            select(Case)
            .where(
                Case.group_id == group.id, Case.status.in_([CaseStatus.SHARED, CaseStatus.CLOSED])
            )
            .order_by(Case.id)
        )
    )
    first = today - timedelta(days=FIRST_DAYS_AGO)
    made: list[Meeting] = []
    for week in range(WEEKS):
        monday = first + timedelta(weeks=week)
        for offset, person in enumerate(supervisees):
            day = monday + timedelta(days=offset)
            # A case is linked only once it was shared (nothing before what it depends on).
            cases = [
                c
                for c in shared
                if c.author_id == person.id and c.shared_at and c.shared_at.date() < day
            ][:1]
            made.append(
                _meeting(group, supervisor, [person], day, MeetingFormat.INDIVIDUAL, week, cases)
            )
        if week % 2 == 0:
            day = monday + timedelta(days=3)
            made.append(
                _meeting(group, supervisor, supervisees, day, MeetingFormat.GROUP, week, [])
            )
    # Ten days ago, with Jun: still unsigned, so its reminder is due.
    _meeting(
        group,
        supervisor,
        [supervisees[1]],
        today - timedelta(days=10),
        MeetingFormat.INDIVIDUAL,
        1,
        [],
        signed=False,
    )
    db.session.flush()
    # A correction: an individual meeting of Amara's logged at 60 minutes that lasted 50.
    original = next(
        m
        for m in made
        if m.format is MeetingFormat.INDIVIDUAL and m.held_on < today - timedelta(days=60)
    )
    fixed = _meeting(
        group, supervisor, [supervisees[0]], original.held_on, MeetingFormat.INDIVIDUAL, 0, []
    )
    fixed.duration_minutes = 50
    fixed.corrects_id = original.id
    fixed.created_at = fixed.updated_at = original.signed_at + timedelta(days=2)  # type: ignore[operator]
    fixed.signed_at = fixed.created_at + timedelta(hours=3)
    db.session.flush()
