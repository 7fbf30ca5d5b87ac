"""What a relationship check follows: the one place that says so.

An occasion is a released review of one's case (the check is about its reviewer) or a signed
supervision meeting one attended (the check is about its supervisor).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased, selectinload

from supervision.extensions import db
from supervision.models import (
    Case,
    Meeting,
    MeetingAttendee,
    Membership,
    RelationshipCheck,
    Review,
    ReviewStatus,
    User,
)

REVIEW = "review"
MEETING = "meeting"
PENDING_LIMIT = 10


@dataclass(frozen=True)
class Occasion:
    kind: str  # REVIEW or MEETING
    id: int
    supervisor_id: int
    supervisor_name: str
    group_id: int
    label: str  # what the supervisee sees: "Tomas's review of a case"


def occasion_of(review: Review) -> Occasion:
    return Occasion(
        REVIEW,
        review.id,
        review.reviewer_id,
        review.reviewer.display_name,
        review.case.group_id,
        f"{review.reviewer.display_name}'s review of \u201c{review.case.title}\u201d",
    )


def occasion_of_meeting(meeting: Meeting) -> Occasion:
    return Occasion(
        MEETING,
        meeting.id,
        meeting.supervisor_id,
        meeting.supervisor.display_name,
        meeting.group_id,
        f"the meeting of {meeting.held_on:%d %B %Y} with {meeting.supervisor.display_name}",
    )


def pending_occasions(user: User, limit: int = PENDING_LIMIT) -> list[Occasion]:
    """Reviews, then meetings, waiting for a check (each newest first), at most ``limit``."""
    return (_pending_reviews(user, limit) + _pending_meetings(user, limit))[:limit]


def _pending_meetings(user: User, limit: int) -> list[Occasion]:
    """Signed meetings the user attended, supervised by someone else, in a group both still
    belong to, that the user has not answered a check for."""
    mine = aliased(Membership)
    theirs = aliased(Membership)
    answered = (
        select(RelationshipCheck.id)
        .where(
            RelationshipCheck.occasion_type == MEETING,
            RelationshipCheck.occasion_id == Meeting.id,
            RelationshipCheck.supervisee_id == user.id,
        )
        .exists()
    )
    meetings = db.session.scalars(
        select(Meeting)
        .join(MeetingAttendee, MeetingAttendee.meeting_id == Meeting.id)
        .join(mine, (mine.group_id == Meeting.group_id) & (mine.user_id == user.id))
        .join(
            theirs,
            (theirs.group_id == Meeting.group_id) & (theirs.user_id == Meeting.supervisor_id),
        )
        .options(selectinload(Meeting.supervisor))
        .where(
            MeetingAttendee.user_id == user.id,
            Meeting.supervisor_id != user.id,
            Meeting.signed_at.is_not(None),
            ~answered,
        )
        .order_by(Meeting.signed_at.desc(), Meeting.id.desc())
        .limit(limit)
    )
    return [occasion_of_meeting(meeting) for meeting in meetings]


def _pending_reviews(user: User, limit: int) -> list[Occasion]:
    """Released reviews of the user's cases, by someone else, in a group both still belong
    to, that the user has not answered a check for: newest first, at most ``limit``."""
    mine = aliased(Membership)
    theirs = aliased(Membership)
    answered = (
        select(RelationshipCheck.id)
        .where(
            RelationshipCheck.occasion_type == REVIEW,
            RelationshipCheck.occasion_id == Review.id,
            RelationshipCheck.supervisee_id == user.id,
        )
        .exists()
    )
    reviews = db.session.scalars(
        select(Review)
        .join(Case, Case.id == Review.case_id)
        .join(mine, (mine.group_id == Case.group_id) & (mine.user_id == user.id))
        .join(theirs, (theirs.group_id == Case.group_id) & (theirs.user_id == Review.reviewer_id))
        .options(selectinload(Review.reviewer), selectinload(Review.case))
        .where(
            Case.author_id == user.id,
            Review.reviewer_id != user.id,
            Review.status == ReviewStatus.RELEASED,
            ~answered,
        )
        .order_by(Review.released_at.desc(), Review.id.desc())
        .limit(limit)
    )
    return [occasion_of(review) for review in reviews]


def answered(user: User, occasion: Occasion) -> bool:
    return (
        db.session.scalar(
            select(RelationshipCheck.id).where(
                RelationshipCheck.occasion_type == occasion.kind,
                RelationshipCheck.occasion_id == occasion.id,
                RelationshipCheck.supervisee_id == user.id,
            )
        )
        is not None
    )
