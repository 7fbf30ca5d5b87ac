"""Starting, submitting and skipping a self-assessment; the side-by-side comparison.

A self-assessment is not a review: no agreement statistic or discrepancy reads this table, and
only its author sees it. While it is a draft, the released reviews of its revision wait for the
author (the permissions' ``scoring_self_first``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from supervision.extensions import db
from supervision.models import (
    LEVELS,
    Case,
    CaseStatus,
    Review,
    ReviewStatus,
    SelfAssessment,
    SelfAssessmentScore,
    SelfAssessmentStatus,
    User,
)
from supervision.models.types import utcnow
from supervision.permissions import Permission, can, forget_reviews
from supervision.rubrics.services import group_rubric_version


class SelfAssessmentError(Exception):
    """A step the rules do not allow (the message is for the author)."""


def find_self_assessment(case: Case, revision_number: int, author: User) -> SelfAssessment | None:
    return db.session.scalar(
        select(SelfAssessment)
        .options(selectinload(SelfAssessment.scores).selectinload(SelfAssessmentScore.criterion))
        .where(
            SelfAssessment.case_id == case.id,
            SelfAssessment.revision_number == revision_number,
            SelfAssessment.author_id == author.id,
        )
    )


def _released_reviews(case: Case, revision_number: int) -> list[Review]:
    return list(
        db.session.scalars(
            select(Review)
            .options(selectinload(Review.scores), selectinload(Review.reviewer))
            .where(
                Review.case_id == case.id,
                Review.revision_number == revision_number,
                Review.status == ReviewStatus.RELEASED,
            )
            .order_by(Review.released_at, Review.id)
        )
    )


def start_self_assessment(case: Case, author: User) -> SelfAssessment:
    """The author's self-assessment of the shared revision, begun as a draft if needed. From now
    until they submit or skip it, the revision's released reviews wait for them."""
    if case.status is not CaseStatus.SHARED or case.published_number is None:
        raise SelfAssessmentError("Only a shared case can be scored.")
    number = case.published_number
    existing = find_self_assessment(case, number, author)
    if existing is not None:
        return existing
    # Blind only if no released review of the revision could be read before starting.
    already_read = any(
        can(author, Permission.REVIEW_READ_SCORES, review)
        for review in _released_reviews(case, number)
    )
    version = group_rubric_version(case.group)
    assessment = SelfAssessment(
        case=case,
        revision_number=number,
        author=author,
        rubric_version=version,
        blind=not already_read,
    )
    for position, criterion in enumerate(version.criteria):
        assessment.scores.append(
            SelfAssessmentScore(criterion=criterion, criterion_key=criterion.key, position=position)
        )
    db.session.add(assessment)
    db.session.flush()
    forget_reviews()
    return assessment


def submit_self_assessment(assessment: SelfAssessment, levels: Mapping[str, int | None]) -> None:
    """Record a level (or None: not visible in this vignette) for every criterion, and submit."""
    if assessment.status is not SelfAssessmentStatus.DRAFT:
        raise SelfAssessmentError("This self-assessment is already submitted.")
    missing = [s.criterion.title for s in assessment.scores if s.criterion_key not in levels]
    if missing:
        raise SelfAssessmentError(f"Choose a level, or not visible, for: {', '.join(missing)}.")
    for score in assessment.scores:
        level = levels[score.criterion_key]
        if level is not None and level not in LEVELS:
            raise SelfAssessmentError("Levels run from 1 to 5.")
        score.level = level
    assessment.status = SelfAssessmentStatus.SUBMITTED
    assessment.submitted_at = utcnow()
    db.session.flush()
    forget_reviews()


def skip_self_assessment(assessment: SelfAssessment) -> None:
    """Give up a draft: the released reviews of the revision show at once."""
    if assessment.status is not SelfAssessmentStatus.DRAFT:
        raise SelfAssessmentError("A submitted self-assessment stays.")
    db.session.delete(assessment)
    db.session.flush()
    forget_reviews()


@dataclass(frozen=True)
class ReviewerLevel:
    reviewer_name: str
    level: int | None  # None: not visible


@dataclass(frozen=True)
class SideBySide:
    key: str
    title: str
    own: int | None
    reviewers: tuple[ReviewerLevel, ...]


def side_by_side(assessment: SelfAssessment, author: User) -> list[SideBySide]:
    """Per criterion: the author's level beside each released review's they may read."""
    reviews = [
        review
        for review in _released_reviews(assessment.case, assessment.revision_number)
        if can(author, Permission.REVIEW_READ_SCORES, review)
    ]
    rows = []
    for score in assessment.scores:
        levels = []
        for review in reviews:
            theirs = next(
                (s for s in review.scores if s.criterion_key == score.criterion_key), None
            )
            if theirs is not None:
                level = None if theirs.not_visible else theirs.level
                levels.append(ReviewerLevel(review.reviewer.display_name, level))
        rows.append(
            SideBySide(score.criterion_key, score.criterion.title, score.level, tuple(levels))
        )
    return rows


def submitted_self_levels(
    author: User, case_ids: list[int]
) -> dict[tuple[int, int, str], int | None]:
    """(case id, revision number, criterion key) -> the author's submitted level (one query)."""
    if not case_ids:
        return {}
    rows = db.session.execute(
        select(
            SelfAssessment.case_id,
            SelfAssessment.revision_number,
            SelfAssessmentScore.criterion_key,
            SelfAssessmentScore.level,
        )
        .join(SelfAssessmentScore, SelfAssessmentScore.assessment_id == SelfAssessment.id)
        .where(
            SelfAssessment.author_id == author.id,
            SelfAssessment.status == SelfAssessmentStatus.SUBMITTED,
            SelfAssessment.case_id.in_(case_ids),
        )
    )
    return {(case_id, number, key): level for case_id, number, key, level in rows}


@dataclass(frozen=True)
class CaseToScore:
    case_id: int
    title: str
    revision_number: int
    status: str  # "not started", "in progress" or "submitted"


def cases_to_score(author: User) -> list[CaseToScore]:
    """The author's shared cases and where their self-assessment of the current revision is
    (two queries)."""
    cases = db.session.scalars(
        select(Case)
        .where(Case.author_id == author.id, Case.status == CaseStatus.SHARED)
        .where(Case.published_number.is_not(None))
        .order_by(Case.shared_at.desc(), Case.id.desc())
    ).all()
    if not cases:
        return []
    statuses = {
        (case_id, number): status
        for case_id, number, status in db.session.execute(
            select(
                SelfAssessment.case_id, SelfAssessment.revision_number, SelfAssessment.status
            ).where(
                SelfAssessment.author_id == author.id,
                SelfAssessment.case_id.in_([c.id for c in cases]),
            )
        )
    }
    labels = {
        SelfAssessmentStatus.DRAFT: "in progress",
        SelfAssessmentStatus.SUBMITTED: "submitted",
    }
    return [
        CaseToScore(
            case.id,
            case.title,
            case.published_number or 0,
            labels.get(statuses.get((case.id, case.published_number or 0)), "not started"),
        )
        for case in cases
    ]
