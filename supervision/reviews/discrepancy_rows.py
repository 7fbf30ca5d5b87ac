"""The kept discrepancies (``ReviewDiscrepancy``): which criteria of which revision the blind
submitted reviews score two levels or more apart.

``reviews.services.discrepancies`` decides the same for one case in Python, from its loaded
reviews (the case page); these rows are for lists across many cases (the supervisor's desk),
which would otherwise aggregate every score of every revision a supervisor reviewed on each
view. The write paths that change the answer keep them: submitting a review (its levels start
to count) and unblinding a reviewer (theirs stop). A consensus does not remove a row: the desk
leaves out the settled ones when it reads. ``recount_discrepancies`` rebuilds them all in
set-based SQL, for data that arrived around the services (a bulk load, a restore); the
migration that added the table fills it with the same statement.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, delete, exists, func, insert, select, true
from sqlalchemy.orm import Session

from supervision.models import (
    Review,
    ReviewDiscrepancy,
    ReviewScore,
    ReviewStatus,
    ReviewUnblinding,
    RubricCriterion,
)

DISCREPANCY_GAP = 2  # levels apart, at least, for reviewers to talk it through


def _wide_spreads(where: ColumnElement[bool]) -> Select[tuple[int, int, str, str, int]]:
    """(case id, revision number, criterion key, title, spread) of each wide criterion."""
    unblinded = exists().where(
        ReviewUnblinding.user_id == Review.reviewer_id,
        ReviewUnblinding.case_id == Review.case_id,
        ReviewUnblinding.revision_number == Review.revision_number,
    )
    level = ReviewScore.level
    spread = func.max(level) - func.min(level)
    return (
        select(
            Review.case_id,
            Review.revision_number,
            ReviewScore.criterion_key,
            func.max(RubricCriterion.title),
            spread,
        )
        .join(ReviewScore, ReviewScore.review_id == Review.id)
        .join(RubricCriterion, RubricCriterion.id == ReviewScore.criterion_id)
        .where(where, Review.status != ReviewStatus.DRAFT, level.is_not(None), ~unblinded)
        .group_by(Review.case_id, Review.revision_number, ReviewScore.criterion_key)
        .having(func.count() >= 2, spread >= DISCREPANCY_GAP)
    )


_COLUMNS = ("case_id", "revision_number", "criterion_key", "criterion_title", "spread")


def keep_discrepancies(session: Session, case_id: int, revision_number: int) -> None:
    """Set the revision's rows from its reviews again (after a submission or an unblinding;
    flushes, does not commit)."""
    session.flush()
    session.execute(
        delete(ReviewDiscrepancy).where(
            ReviewDiscrepancy.case_id == case_id,
            ReviewDiscrepancy.revision_number == revision_number,
        )
    )
    one_revision = (Review.case_id == case_id) & (Review.revision_number == revision_number)
    session.execute(insert(ReviewDiscrepancy).from_select(_COLUMNS, _wide_spreads(one_revision)))


def recount_discrepancies(session: Session) -> None:
    """Rebuild every row from the reviews (does not commit)."""
    session.execute(delete(ReviewDiscrepancy))
    session.execute(insert(ReviewDiscrepancy).from_select(_COLUMNS, _wide_spreads(true())))
