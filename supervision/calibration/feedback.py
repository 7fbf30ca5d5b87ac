"""Frame-of-reference feedback: after submitting, where a rater diverged most from the gold
levels, with both levels' descriptors side by side (from the rubric version the rater scored
against) and the gold rationale."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from supervision.agreement.statistics import GoldAgreement, divergences, gold_agreement
from supervision.calibration.report import score_level
from supervision.calibration.services import gold_levels
from supervision.extensions import db
from supervision.models import Case, Review, ReviewScore, ReviewStatus, User
from supervision.models.rubric import RubricCriterion


@dataclass(frozen=True)
class FeedbackItem:
    key: str
    title: str
    level: int | None
    level_text: str
    level_descriptor: str
    gold: int | None
    gold_text: str
    gold_descriptor: str
    rationale: str
    gap: int | None  # None: one side "not visible"; 0: agreed


@dataclass(frozen=True)
class RaterFeedback:
    review: Review | None  # None: no submitted review (cannot happen behind the permission)
    has_gold: bool
    agreement: GoldAgreement
    diverged: tuple[FeedbackItem, ...]  # widest gap first
    agreed: tuple[FeedbackItem, ...]


def _text(level: int | None, scale: dict[str, str]) -> str:
    if level is None:
        return "Not visible in this vignette"
    label = scale.get(str(level))
    return f"{level} · {label}" if label else str(level)


def _item(
    criterion: RubricCriterion,
    level: int | None,
    gold: int | None,
    rationale: str,
    scale: dict[str, str],
) -> FeedbackItem:
    gap = None if level is None or gold is None else abs(level - gold)
    return FeedbackItem(
        criterion.key,
        criterion.title,
        level,
        _text(level, scale),
        criterion.descriptor(level),
        gold,
        _text(gold, scale),
        criterion.descriptor(gold),
        rationale,
        gap,
    )


def rater_feedback(case: Case, user: User) -> RaterFeedback:
    """The user's latest submitted review of the vignette against its gold levels."""
    review = db.session.scalar(
        select(Review)
        .options(
            selectinload(Review.scores).selectinload(ReviewScore.criterion),
            selectinload(Review.rubric_version),
        )
        .where(
            Review.case_id == case.id,
            Review.reviewer_id == user.id,
            Review.status != ReviewStatus.DRAFT,
        )
        .order_by(Review.revision_number.desc())
        .limit(1)
    )
    gold = gold_levels(case)
    if review is None:
        return RaterFeedback(None, bool(gold), gold_agreement([]), (), ())
    scale = review.rubric_version.scale_labels or {}
    levels = {s.criterion_key: score_level(s) for s in review.scores}
    criteria = {s.criterion_key: s.criterion for s in review.scores}
    gold_by_key = {k: row.level for k, row in gold.items() if k in criteria}
    order = [d.key for d in divergences(levels, gold_by_key)]
    items = {
        key: _item(criteria[key], levels.get(key), row.level, row.rationale, scale)
        for key, row in gold.items()
        if key in criteria
    }
    return RaterFeedback(
        review=review,
        has_gold=bool(gold_by_key),
        agreement=gold_agreement((levels.get(k), g) for k, g in gold_by_key.items()),
        diverged=tuple(items[k] for k in order),  # type: ignore[index]
        agreed=tuple(item for k, item in items.items() if k not in order),
    )
