"""What the reconcile page shows: the discrepancy on one criterion of one revision, as one
viewer may see it. Only blind reviews are compared (``blind_reviews_of``); the readable ones that
are not blind are named as left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from supervision.models import Case, ConsensusScore, ReconciliationNote, ReviewStatus, User
from supervision.reviews.blindness import blind_reviews_of
from supervision.reviews.panel import ScoreView, consensus_text, score_readable, score_views
from supervision.reviews.services import case_reviews, discrepancies, reconciliation_notes


@dataclass(frozen=True)
class ReconcileEntry:
    """One reviewer's score on the criterion under discussion."""

    review_id: int
    reviewer_name: str
    score: ScoreView


@dataclass(frozen=True)
class ReconcileView:
    case_id: int
    revision_number: int
    criterion_key: str
    criterion_title: str
    spread: int
    entries: tuple[ReconcileEntry, ...]
    notes: tuple[ReconciliationNote, ...]
    consensus: ConsensusScore | None
    consensus_text: str
    consensus_by: str  # who recorded it
    left_out: tuple[str, ...]  # reviewers whose review of the revision is not blind


def reconcile_view(
    case: Case, user: User, revision_number: int, criterion_key: str
) -> ReconcileView | None:
    """The discrepancy on one criterion of one revision, if ``user`` may see it; else None.
    Only blind reviews are compared; those that are not are named as left out."""
    submitted = [
        r
        for r in score_readable(case_reviews(case), user)
        if r.revision_number == revision_number and r.status is not ReviewStatus.DRAFT
    ]
    readable = blind_reviews_of(case, revision_number, submitted)
    item = next(
        (d for d in discrepancies(case, readable) if d.criterion_key == criterion_key), None
    )
    if item is None:
        return None
    recorded_by = item.consensus.recorded_by if item.consensus is not None else None
    entries = tuple(
        ReconcileEntry(review.id, review.reviewer.display_name, score)
        for review in readable
        for score in score_views(review)
        if score.key == criterion_key
    )
    return ReconcileView(
        case_id=case.id,
        revision_number=revision_number,
        criterion_key=criterion_key,
        criterion_title=item.criterion_title,
        spread=item.spread,
        entries=entries,
        notes=tuple(reconciliation_notes(case, revision_number, criterion_key)),
        consensus=item.consensus,
        consensus_text=consensus_text(item.consensus),
        consensus_by=recorded_by.display_name if recorded_by is not None else "",
        left_out=tuple(r.reviewer.display_name for r in submitted if r not in readable),
    )
