"""The evidence beside an evaluation: the released reviews of the supervisee's cases in the
group within the period, as far as the viewer may read their levels (the reviews' own rules:
blind scoring, the author scoring first, shared scores). Levels only: never a review's feedback
text or private notes. Criteria are matched by their stable key across rubric versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from supervision.extensions import db
from supervision.models import Case, Evaluation, EvaluationScore, Review, ReviewStatus, User
from supervision.permissions import Permission, can


@dataclass(frozen=True)
class EvidenceLevel:
    case_id: int
    case_title: str
    revision_number: int
    reviewer_name: str
    released_on: date
    level: int | None  # None: not visible in that vignette


@dataclass(frozen=True)
class CriterionEvidence:
    key: str
    title: str
    levels: tuple[EvidenceLevel, ...]
    matched: bool  # some readable review of the period has this criterion at all


@dataclass(frozen=True)
class Evidence:
    reviews: int  # readable released reviews in the period
    rows: tuple[CriterionEvidence, ...]


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def period_reviews(evaluation: Evaluation, viewer: User) -> list[Review]:
    """Released reviews of the supervisee's cases in the group, released within the period,
    whose levels the viewer may read (one query, with what the rules look at)."""
    reviews = db.session.scalars(
        select(Review)
        .join(Case, Case.id == Review.case_id)
        .options(
            selectinload(Review.scores),
            joinedload(Review.reviewer),
            joinedload(Review.case).selectinload(Case.flags),
        )
        .where(
            Case.group_id == evaluation.group_id,
            Case.author_id == evaluation.supervisee_id,
            Review.status == ReviewStatus.RELEASED,
            Review.released_at >= _start_of(evaluation.period_start),
            Review.released_at < _start_of(evaluation.period_end + timedelta(days=1)),
        )
        .order_by(Review.released_at, Review.id)
    ).unique()
    return [
        review
        for review in reviews
        if can(viewer, Permission.CASE_VIEW, review.case)
        and can(viewer, Permission.REVIEW_READ_SCORES, review)
    ]


def evaluation_evidence(
    evaluation: Evaluation, scores: list[EvaluationScore], viewer: User
) -> Evidence:
    reviews = period_reviews(evaluation, viewer)
    rows = []
    for score in scores:
        key, levels = score.criterion_key, []
        for review in reviews:
            theirs = next((s for s in review.scores if s.criterion_key == key), None)
            if theirs is None:
                continue
            released = review.released_at
            assert released is not None  # released reviews carry the moment
            levels.append(
                EvidenceLevel(
                    review.case_id,
                    review.case.title,
                    review.revision_number,
                    review.reviewer.display_name,
                    released.date(),
                    None if theirs.not_visible else theirs.level,
                )
            )
        rows.append(CriterionEvidence(key, score.criterion.title, tuple(levels), bool(levels)))
    return Evidence(len(reviews), tuple(rows))
