"""Blind scoring: which reviews were scored without reading the others of their revision.

A reviewer who chooses to read the other reviews of a revision before scoring it (or a
facilitator who could already read them when starting) is recorded here, and their review of
that revision is not blind: it says so wherever it is shown, and agreement between reviewers
(discrepancies; later, agreement statistics) is measured on ``blind_reviews_of`` alone. Who may
read what meanwhile is supervision.permissions' rule (``scoring_blind``).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from supervision.extensions import db
from supervision.models import Case, Review, ReviewStatus, ReviewUnblinding, User
from supervision.permissions import forget_reviews
from supervision.reviews.discrepancy_rows import keep_discrepancies


def read_reviews_anyway(user: User, case: Case, revision_number: int) -> None:
    """Record that ``user`` reads the other reviews of the revision before scoring it: their
    review of it (a draft now, or one started later) is not blind."""
    exists = db.session.scalar(
        select(ReviewUnblinding.id).where(
            ReviewUnblinding.user_id == user.id,
            ReviewUnblinding.case_id == case.id,
            ReviewUnblinding.revision_number == revision_number,
        )
    )
    if exists is None:
        db.session.add(
            ReviewUnblinding(user_id=user.id, case_id=case.id, revision_number=revision_number)
        )
        # Their review of the revision, should one be submitted already, stops counting.
        keep_discrepancies(db.session, case.id, revision_number)
    forget_reviews()  # the permission rules read this choice, cached per request


def unblinded_reviewers(case: Case) -> set[tuple[int, int]]:
    """(user id, revision number): who read the other reviews of which revision of the case
    before scoring it (one query)."""
    rows = db.session.execute(
        select(ReviewUnblinding.user_id, ReviewUnblinding.revision_number).where(
            ReviewUnblinding.case_id == case.id
        )
    )
    return {(user_id, number) for user_id, number in rows}


def is_blind(review: Review, unblinded: set[tuple[int, int]] | None = None) -> bool:
    """Scored without reading the other reviews of its revision first. ``unblinded``: the
    case's ``unblinded_reviewers``, when already known."""
    unblinded = unblinded if unblinded is not None else unblinded_reviewers(review.case)
    return (review.reviewer_id, review.revision_number) not in unblinded


def blind_reviews_of(
    case: Case,
    revision_number: int,
    reviews: Sequence[Review] | None = None,
    unblinded: set[tuple[int, int]] | None = None,
) -> list[Review]:
    """The submitted reviews of a revision that were scored blind: the only ones whose
    agreement means anything. ``reviews``: choose among these (default: the case's);
    ``unblinded``: the case's ``unblinded_reviewers``, when already known."""
    if reviews is None:
        reviews = db.session.scalars(
            select(Review)
            .where(Review.case_id == case.id, Review.revision_number == revision_number)
            .order_by(Review.submitted_at, Review.id)
        ).all()
    unblinded = unblinded if unblinded is not None else unblinded_reviewers(case)
    return [
        review
        for review in reviews
        if review.revision_number == revision_number
        and review.status is not ReviewStatus.DRAFT
        and is_blind(review, unblinded)
    ]
