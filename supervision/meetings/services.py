"""Drafting, editing, signing and correcting meeting entries. Plain verbs that flush, never
commit (the view owns the transaction).

Rules: the supervisor (a supervisor or facilitator of the group) or an attending supervisee
drafts and edits an unsigned entry; only its supervisor signs, with typed name and password. A
signed entry is locked: a correction is a new draft that names it (``corrects_id``) and, once
signed, counts instead of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from supervision.auth.reauth import sign
from supervision.cases.privacy import scrub
from supervision.extensions import db
from supervision.models import (
    Case,
    CaseStatus,
    Group,
    Meeting,
    MeetingAttendee,
    MeetingCase,
    MeetingFormat,
    MeetingModality,
    Membership,
    ReviewedWork,
    Role,
    User,
)
from supervision.models.meeting import DURATION_MAX, DURATION_MIN, MEETING_TEXT_MAX
from supervision.models.types import utcnow
from supervision.models.versioning import claim_edit_version
from supervision.permissions import visible_cases
from supervision.rendering import render_markdown

EARLIEST = date(2000, 1, 1)
SUPERVISOR_ROLES = (Role.SUPERVISOR, Role.FACILITATOR)
# How many supervisees each format needs: individual 1, triadic 2, group 3 or more.
FORMAT_SIZES = {MeetingFormat.INDIVIDUAL: (1, 1), MeetingFormat.TRIADIC: (2, 2)}


class MeetingError(ValueError):
    """What the person must correct; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class MeetingConflict(MeetingError):
    """The entry changed elsewhere (another tab, the other party) since the form was opened."""


@dataclass
class MeetingInput:
    held_on: date
    duration_minutes: int
    format: MeetingFormat
    modality: MeetingModality
    reviewed_work: ReviewedWork
    supervisor_id: int
    attendee_ids: list[int] = field(default_factory=list)
    case_ids: list[int] = field(default_factory=list)
    notes: str = ""
    follow_up: str = ""


def latest_allowed_day() -> date:
    # UTC's today plus one: a meeting held this morning east of Greenwich is not "future".
    return utcnow().date() + timedelta(days=1)


def _members(group: Group, roles: tuple[Role, ...]) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.group_id == group.id, Membership.role.in_(roles))
            .order_by(User.display_name, User.id)
        )
    )


def supervisor_choices(group: Group) -> list[User]:
    return _members(group, SUPERVISOR_ROLES)


def attendee_choices(group: Group) -> list[User]:
    return _members(group, (Role.SUPERVISEE,))


def case_choices(user: User, group: Group) -> list[Case]:
    """Cases of the group the user may open, drafts left out (no one else could follow the
    link), newest first."""
    return list(
        db.session.scalars(
            visible_cases(user, group)
            .where(Case.status != CaseStatus.DRAFT)
            .order_by(Case.updated_at.desc(), Case.id.desc())
        )
    )


def _check(group: Group, author: User, data: MeetingInput) -> None:
    if not EARLIEST <= data.held_on <= latest_allowed_day():
        raise MeetingError("Give the date the meeting was held: not a future date.", "held_on")
    if not DURATION_MIN <= data.duration_minutes <= DURATION_MAX:
        raise MeetingError(
            f"Give the length in minutes, between {DURATION_MIN} and {DURATION_MAX}.",
            "duration_minutes",
        )
    if data.supervisor_id not in {user.id for user in supervisor_choices(group)}:
        raise MeetingError(
            "Choose the supervisor from the group's supervisors and facilitators.", "supervisor"
        )
    supervisees = {user.id for user in attendee_choices(group)}
    attendees = set(data.attendee_ids)
    if not attendees or not attendees <= supervisees:
        raise MeetingError("Choose who attended from the group's supervisees.", "attendees")
    low, high = FORMAT_SIZES.get(data.format, (3, len(supervisees) or 3))
    if not low <= len(attendees) <= high:
        wanted = {
            MeetingFormat.INDIVIDUAL: "an individual meeting has one supervisee",
            MeetingFormat.TRIADIC: "a triadic meeting has two supervisees",
            MeetingFormat.GROUP: "a group meeting has three or more supervisees",
        }[data.format]
        raise MeetingError(
            f"The format does not match who attended: {wanted}, and you chose "
            f"{len(attendees)}. Change the format or the attendees.",
            "format",
        )
    if author.id != data.supervisor_id and author.id not in attendees:
        raise MeetingError(
            "You can log a meeting you supervised or attended: choose yourself as the "
            "supervisor or among those who attended.",
            "attendees",
        )
    for name in ("notes", "follow_up"):
        if len(getattr(data, name)) > MEETING_TEXT_MAX:
            raise MeetingError(f"Keep this under {MEETING_TEXT_MAX} characters.", name)


def _apply(meeting: Meeting, editor: User, data: MeetingInput) -> None:
    meeting.held_on = data.held_on
    meeting.duration_minutes = data.duration_minutes
    meeting.format = data.format
    meeting.modality = data.modality
    meeting.reviewed_work = data.reviewed_work
    meeting.supervisor_id = data.supervisor_id
    meeting.notes = data.notes.strip()
    meeting.notes_html = render_markdown(meeting.notes)
    meeting.follow_up = data.follow_up.strip()
    meeting.follow_up_html = render_markdown(meeting.follow_up)
    meeting.updated_at = utcnow()
    wanted = set(data.attendee_ids)
    meeting.attendees[:] = [a for a in meeting.attendees if a.user_id in wanted]
    for user_id in sorted(wanted - meeting.attendee_ids):
        meeting.attendees.append(MeetingAttendee(user_id=user_id))
    # Cases the editor cannot open stay linked: only the other party can unlink them.
    selectable = {case.id for case in case_choices(editor, meeting.group)}
    chosen = set(data.case_ids) & selectable
    meeting.cases[:] = [
        link for link in meeting.cases if link.case_id in chosen or link.case_id not in selectable
    ]
    for case_id in sorted(chosen - {link.case_id for link in meeting.cases}):
        meeting.cases.append(MeetingCase(case_id=case_id))


def draft_meeting(group: Group, author: User, data: MeetingInput) -> Meeting:
    _check(group, author, data)
    meeting = Meeting(group=group, drafted_by_id=author.id)
    _apply(meeting, author, data)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def save_meeting(meeting: Meeting, editor: User, data: MeetingInput, seen_version: int) -> Meeting:
    if meeting.is_signed:
        raise MeetingError("This entry is signed and locked. Correct it with a new entry.")
    if seen_version != meeting.edit_version or not claim_edit_version(meeting, seen_version):
        raise _conflict()
    _check(meeting.group, editor, data)
    _apply(meeting, editor, data)
    db.session.flush()
    return meeting


def sign_meeting(
    meeting: Meeting,
    signer: User,
    typed_name: str,
    password: str,
    seen_version: int,
    code: str = "",
) -> Meeting:
    """Sign as the meeting's supervisor (raises ``ReauthError`` for a wrong name or password).
    Signing what one did not see (the entry changed since the page was opened) is a conflict."""
    if meeting.is_signed:
        raise MeetingError("This entry is already signed.")
    if meeting.supervisor_id != signer.id:
        raise MeetingError("Only the meeting's supervisor can sign it.")
    signature = sign(signer, typed_name, password, code)
    if seen_version != meeting.edit_version or not claim_edit_version(meeting, seen_version):
        raise _conflict()
    meeting.signed_name = signature.typed_name
    meeting.signed_at = signature.signed_at
    db.session.flush()
    return meeting


def _conflict() -> MeetingConflict:
    return MeetingConflict(
        "This entry was changed elsewhere after you opened it (another tab, or the other "
        "person). Your changes are still in the form: compare them with the entry as it now "
        "is, then save again."
    )


def correction_of(meeting: Meeting) -> Meeting | None:
    """The newest entry correcting ``meeting`` (a draft or signed), if any."""
    return db.session.scalar(
        select(Meeting)
        .where(Meeting.corrects_id == meeting.id)
        .order_by(Meeting.id.desc())
        .limit(1)
    )


def start_correction(meeting: Meeting, author: User) -> Meeting:
    """A new draft prefilled from the signed ``meeting``; an existing correction is returned
    instead, so there is one correction per entry."""
    if not meeting.is_signed:
        raise MeetingError("An unsigned entry can be edited directly.")
    existing = correction_of(meeting)
    if existing is not None:
        return existing
    correction = Meeting(
        group=meeting.group,
        drafted_by_id=author.id,
        corrects_id=meeting.id,
        held_on=meeting.held_on,
        duration_minutes=meeting.duration_minutes,
        format=meeting.format,
        modality=meeting.modality,
        reviewed_work=meeting.reviewed_work,
        supervisor_id=meeting.supervisor_id,
        notes=meeting.notes,
        notes_html=meeting.notes_html,
        follow_up=meeting.follow_up,
        follow_up_html=meeting.follow_up_html,
        attendees=[MeetingAttendee(user_id=a.user_id) for a in meeting.attendees],
        cases=[MeetingCase(case_id=link.case_id) for link in meeting.cases],
    )
    db.session.add(correction)
    db.session.flush()
    return correction


def redact_meetings(group_id: int, passage: str) -> int:
    """Replace ``passage`` in the notes and follow-up of the group's meetings, signed ones
    included (privacy outranks the lock); returns occurrences."""
    count = 0
    meetings = db.session.scalars(
        select(Meeting).where(
            Meeting.group_id == group_id,
            Meeting.notes.contains(passage, autoescape=True)
            | Meeting.follow_up.contains(passage, autoescape=True),
        )
    )
    for meeting in meetings:
        count += meeting.notes.count(passage) + meeting.follow_up.count(passage)
        meeting.notes = scrub(meeting.notes, passage, MEETING_TEXT_MAX)
        meeting.notes_html = render_markdown(meeting.notes)
        meeting.follow_up = scrub(meeting.follow_up, passage, MEETING_TEXT_MAX)
        meeting.follow_up_html = render_markdown(meeting.follow_up)
    db.session.flush()
    return count


def meeting_with_people(meeting_id: int) -> Meeting | None:
    """The entry with its attendees, supervisor and cases loaded (for the page)."""
    return db.session.scalar(
        select(Meeting)
        .options(
            selectinload(Meeting.attendees).selectinload(MeetingAttendee.user),
            selectinload(Meeting.cases).selectinload(MeetingCase.case),
            selectinload(Meeting.supervisor),
        )
        .where(Meeting.id == meeting_id)
    )
