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

from sqlalchemy import ColumnElement, and_, exists, select
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
    ReviewDiscrepancy,
    ReviewStatus,
    User,
)
from supervision.permissions import reviewable_cases

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
    """One query: the kept discrepancies (``ReviewDiscrepancy``) of the revisions I submitted a
    review of, with no consensus recorded yet, newest case first. It sorts the discrepancies
    of the revisions I reviewed in my groups (bounded by my own reviewing), not every score of
    them as before the rows were kept."""
    settled = exists().where(
        ConsensusScore.case_id == ReviewDiscrepancy.case_id,
        ConsensusScore.revision_number == ReviewDiscrepancy.revision_number,
        ConsensusScore.criterion_key == ReviewDiscrepancy.criterion_key,
    )
    mine = exists().where(
        Review.case_id == ReviewDiscrepancy.case_id,
        Review.revision_number == ReviewDiscrepancy.revision_number,
        Review.reviewer_id == user.id,
        Review.status != ReviewStatus.DRAFT,
    )
    rows = db.session.execute(
        select(
            ReviewDiscrepancy.case_id,
            Case.title,
            ReviewDiscrepancy.revision_number,
            ReviewDiscrepancy.criterion_key,
            ReviewDiscrepancy.criterion_title,
            ReviewDiscrepancy.spread,
        )
        .join(Case, Case.id == ReviewDiscrepancy.case_id)
        .where(mine, ~settled, _readable_case(), _member(user))
        .order_by(
            ReviewDiscrepancy.case_id.desc(),
            ReviewDiscrepancy.revision_number.desc(),
            ReviewDiscrepancy.criterion_key,
        )
        .limit(LIMIT + 1)
    ).all()
    return _limited([OpenDiscrepancy(*row) for row in rows])


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
