"""What the desk lists, each in a bounded number of queries whatever the data size, and each
limited to what the permission rules let the supervisor see:

- cases waiting for my review: ``reviewable_cases`` (CASE_REVIEW's SQL twin);
- my draft reviews: drafts of shared cases I still may read (REVIEW_EDIT);
- discrepancies to settle: criteria where blind submitted reviews of a revision I reviewed
  differ by two levels or more and no consensus is recorded (reviews.services.discrepancies's
  rule; I have submitted, so blind scoring no longer hides the others' levels from me);
- my annotations answered with a question or a disagreement (ResponseKind.is_open).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import contains_eager

from supervision.extensions import db
from supervision.growth.services import growth_shared_with
from supervision.models import (
    Annotation,
    AnnotationResponse,
    Case,
    CaseFlag,
    CaseStatus,
    ConsensusScore,
    Group,
    Membership,
    ResponseKind,
    Review,
    ReviewScore,
    ReviewStatus,
    ReviewUnblinding,
    RubricCriterion,
    User,
)
from supervision.permissions import reviewable_cases
from supervision.reviews.services import DISCREPANCY_GAP

LIMIT = 20  # per list; the desk says when there are more


@dataclass(frozen=True)
class DeskList:
    items: list[Any]
    more: bool  # more than LIMIT exist


def _limited(rows: list[Any]) -> DeskList:
    return DeskList(rows[:LIMIT], len(rows) > LIMIT)


def _readable_case() -> ColumnElement[bool]:
    """Shared or closed, with no open privacy flag: what a member reads (is_group_reader)."""
    open_flag = (
        select(CaseFlag.id)
        .where(CaseFlag.case_id == Case.id, CaseFlag.closed_at.is_(None))
        .exists()
    )
    return and_(Case.status.in_([CaseStatus.SHARED, CaseStatus.CLOSED]), ~open_flag)


def _member(user: User) -> ColumnElement[bool]:
    return exists().where(Membership.group_id == Case.group_id, Membership.user_id == user.id)


def waiting_cases(user: User) -> DeskList:
    rows = db.session.scalars(
        reviewable_cases(user)
        .options(contains_eager(Case.group))  # already joined: no second statement
        .order_by(Case.updated_at.desc(), Case.id.desc())
        .limit(LIMIT + 1)
    ).all()
    return _limited(list(rows))


def my_drafts(user: User) -> DeskList:
    rows = db.session.scalars(
        select(Review)
        .join(Case, Case.id == Review.case_id)
        .join(Group, Group.id == Case.group_id)
        .options(contains_eager(Review.case).contains_eager(Case.group))
        .where(
            Review.reviewer_id == user.id,
            Review.status == ReviewStatus.DRAFT,
            Case.status == CaseStatus.SHARED,
            _readable_case(),
            _member(user),
        )
        .order_by(Review.updated_at.desc(), Review.id.desc())
        .limit(LIMIT + 1)
    ).all()
    return _limited(list(rows))


@dataclass(frozen=True)
class OpenDiscrepancy:
    case_id: int
    case_title: str
    revision_number: int
    criterion_key: str
    criterion_title: str
    spread: int


def discrepancies_to_settle(user: User) -> DeskList:
    """One query: the criteria of the revisions I submitted a blind review of whose blind
    submitted levels are two or more apart, with no consensus recorded yet."""
    unblinded_me = (
        select(ReviewUnblinding.id)
        .where(
            ReviewUnblinding.user_id == Review.reviewer_id,
            ReviewUnblinding.case_id == Review.case_id,
            ReviewUnblinding.revision_number == Review.revision_number,
        )
        .exists()
    )
    settled = (
        select(ConsensusScore.id)
        .where(
            ConsensusScore.case_id == Review.case_id,
            ConsensusScore.revision_number == Review.revision_number,
            ConsensusScore.criterion_key == ReviewScore.criterion_key,
        )
        .exists()
    )
    mine = (
        select(Review.case_id, Review.revision_number, Case.title)
        .join(Case, Case.id == Review.case_id)
        .where(
            Review.reviewer_id == user.id,
            Review.status != ReviewStatus.DRAFT,
            _readable_case(),
            _member(user),
        )
        .subquery()
    )
    # The spread per criterion is counted in the database: only the wide ones come back.
    level = ReviewScore.level
    rows = db.session.execute(
        select(
            Review.case_id,
            mine.c.title,
            Review.revision_number,
            ReviewScore.criterion_key,
            func.max(RubricCriterion.title),
            func.max(level) - func.min(level),
        )
        .join(ReviewScore, ReviewScore.review_id == Review.id)
        .join(RubricCriterion, RubricCriterion.id == ReviewScore.criterion_id)
        .join(
            mine,
            (mine.c.case_id == Review.case_id) & (mine.c.revision_number == Review.revision_number),
        )
        .where(Review.status != ReviewStatus.DRAFT, level.is_not(None), ~unblinded_me, ~settled)
        .group_by(Review.case_id, mine.c.title, Review.revision_number, ReviewScore.criterion_key)
        .having(func.count() >= 2, func.max(level) - func.min(level) >= DISCREPANCY_GAP)
        .order_by(Review.case_id.desc(), Review.revision_number.desc(), ReviewScore.criterion_key)
        .limit(LIMIT + 1)
    ).all()
    found = [OpenDiscrepancy(*row) for row in rows]
    return _limited(found)


@dataclass(frozen=True)
class OpenAnswer:
    annotation_id: int
    case_id: int
    case_title: str
    quote: str
    kind: ResponseKind
    answered_at: datetime


def open_answers(user: User) -> DeskList:
    """My annotations the case's author answered with a question or a disagreement, on cases
    I may still read (my own annotations are always readable to me while the case is)."""
    rows = db.session.execute(
        select(
            Annotation.id,
            Annotation.case_id,
            Case.title,
            Annotation.original_exact,
            AnnotationResponse.kind,
            AnnotationResponse.responded_at,
        )
        .join(AnnotationResponse, AnnotationResponse.annotation_id == Annotation.id)
        .join(Case, Case.id == Annotation.case_id)
        .where(
            Annotation.author_id == user.id,
            AnnotationResponse.kind.in_([k for k in ResponseKind if k.is_open]),
            _readable_case(),
            _member(user),
        )
        .order_by(AnnotationResponse.responded_at.desc(), Annotation.id.desc())
        .limit(LIMIT + 1)
    ).all()
    return _limited([OpenAnswer(*row) for row in rows])


@dataclass(frozen=True)
class SharedGrowth:
    """A supervisee who shares their growth with the supervisor, and in which groups."""

    supervisee_id: int
    name: str
    group_names: tuple[str, ...]


def shared_growth(supervisor: User) -> list[SharedGrowth]:
    """Each supervisee whose growth page the supervisor may read (the growth feature's own
    rule, ``growth_shared_with``), once, with the groups it covers."""
    by_person: dict[int, tuple[User, list[str]]] = {}
    for supervisee, group in growth_shared_with(supervisor):
        by_person.setdefault(supervisee.id, (supervisee, []))[1].append(group.name)
    return [
        SharedGrowth(person.id, person.display_name, tuple(groups))
        for person, groups in by_person.values()
    ]
