"""What a relationship check follows: the one place that says so.

Today an occasion is a released review of one's case (the check is about its reviewer). When
supervision meetings exist, add their occasions here (``pending_occasions`` and
``occasion_of``); the check, the trend and the pages need no change.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased, selectinload

from supervision.extensions import db
from supervision.models import Case, Membership, RelationshipCheck, Review, ReviewStatus, User

REVIEW = "review"
PENDING_LIMIT = 10


@dataclass(frozen=True)
class Occasion:
    kind: str  # REVIEW (later: "meeting")
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


def pending_occasions(user: User, limit: int = PENDING_LIMIT) -> list[Occasion]:
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
