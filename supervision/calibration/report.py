"""Calibration rounds and what they show: each rater's agreement with the gold levels (exact and
within one level) and Krippendorff's alpha among raters, per criterion and overall, round by
round. A round is a calibration vignette of the group, in the order they were shared.

Only blind submitted reviews count (``reviews.blindness.is_blind``: a rater who read the others
first is left out, and said to be). Every list here is loaded in a constant number of queries,
however many rounds, raters and criteria there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from supervision.agreement.statistics import (
    NO_AGREEMENT,
    Alpha,
    GoldAgreement,
    gold_agreement,
    ordinal_alpha,
)
from supervision.extensions import db
from supervision.models import (
    Case,
    CaseStatus,
    GoldLevel,
    Group,
    Review,
    ReviewScore,
    ReviewStatus,
    ReviewUnblinding,
    User,
)
from supervision.permissions import Permission, can
from supervision.reviews.blindness import is_blind


def score_level(score: ReviewScore) -> int | None:
    """A score's level; "not visible" is a missing value."""
    return None if score.not_visible else score.level


@dataclass(frozen=True)
class RaterRound:
    rater_id: int
    rater_name: str
    review_id: int
    levels: dict[str, int | None]
    agreement: GoldAgreement


@dataclass
class Round:
    number: int  # 1 for the group's first calibration vignette
    case_id: int
    title: str
    shared_at: datetime | None
    criteria: list[tuple[str, str]]  # (key, title), in rubric order
    gold: dict[str, int | None]
    raters: list[RaterRound] = field(default_factory=list)
    not_blind: list[str] = field(default_factory=list)  # left out: read the others first
    alpha: Alpha | None = None

    def rater(self, user_id: int) -> RaterRound | None:
        return next((r for r in self.raters if r.rater_id == user_id), None)


def calibration_cases(group: Group) -> list[Case]:
    """The group's shared or closed calibration vignettes, oldest share first (two queries)."""
    return list(
        db.session.scalars(
            select(Case)
            .options(selectinload(Case.flags))  # the permission rules read them, case by case
            .where(
                Case.group_id == group.id,
                Case.is_calibration.is_(True),
                Case.status.in_([CaseStatus.SHARED, CaseStatus.CLOSED]),
            )
            .order_by(Case.shared_at, Case.id)
        )
    )


def build_rounds(cases: Sequence[Case]) -> list[Round]:
    """One round per case, numbered in the order given (three queries in all)."""
    ids = [case.id for case in cases]
    gold: dict[int, dict[str, int | None]] = {case_id: {} for case_id in ids}
    for row in db.session.scalars(select(GoldLevel).where(GoldLevel.case_id.in_(ids))):
        gold[row.case_id][row.criterion_key] = row.level
    unblinded: dict[int, set[tuple[int, int]]] = {case_id: set() for case_id in ids}
    for row in db.session.execute(
        select(
            ReviewUnblinding.case_id, ReviewUnblinding.user_id, ReviewUnblinding.revision_number
        ).where(ReviewUnblinding.case_id.in_(ids))
    ):
        unblinded[row.case_id].add((row.user_id, row.revision_number))
    reviews = db.session.scalars(
        select(Review)
        .options(
            selectinload(Review.scores).selectinload(ReviewScore.criterion),
            selectinload(Review.reviewer),
        )
        .where(Review.case_id.in_(ids), Review.status != ReviewStatus.DRAFT)
        .order_by(Review.submitted_at, Review.id)
    ).all()
    rounds = []
    for number, case in enumerate(cases, start=1):
        # The round is the revision the group reads: raters of earlier revisions saw other text.
        scored = [
            r
            for r in reviews
            if r.case_id == case.id and r.revision_number == case.published_number
        ]
        criteria: dict[str, str] = {}
        for review in scored:
            for score in review.scores:
                criteria.setdefault(score.criterion_key, score.criterion.title)
        round_ = Round(
            number, case.id, case.title, case.shared_at, list(criteria.items()), gold[case.id]
        )
        for review in scored:
            if not is_blind(review, unblinded[case.id]):
                round_.not_blind.append(review.reviewer.display_name)
                continue
            levels = {s.criterion_key: score_level(s) for s in review.scores}
            agreement = gold_agreement((levels.get(k), g) for k, g in round_.gold.items())
            round_.raters.append(
                RaterRound(
                    review.reviewer_id, review.reviewer.display_name, review.id, levels, agreement
                )
            )
        round_.alpha = ordinal_alpha({r.rater_id: r.levels for r in round_.raters})
        rounds.append(round_)
    return rounds


@dataclass(frozen=True)
class RaterSummary:
    rater_id: int
    rater_name: str
    agreement: GoldAgreement


@dataclass(frozen=True)
class CriterionSummary:
    key: str
    title: str
    alpha: Alpha  # units: the rounds (this criterion of each vignette)
    raters: tuple[RaterSummary, ...]


@dataclass(frozen=True)
class CalibrationReport:
    rounds: tuple[Round, ...]  # those the viewer may read, in time order
    hidden_rounds: tuple[Round, ...]  # still to score blind, or not rated by the viewer
    overall_alpha: Alpha  # units: every criterion of every readable round
    overall: tuple[RaterSummary, ...]
    criteria: tuple[CriterionSummary, ...]
    sees_everyone: bool
    viewer_id: int


def _summaries(
    rounds: Sequence[Round], key: str | None, keep: set[int] | None
) -> tuple[RaterSummary, ...]:
    totals: dict[int, tuple[str, GoldAgreement]] = {}
    for round_ in rounds:
        keys = [key] if key is not None else list(round_.gold)
        for rater in round_.raters:
            if keep is not None and rater.rater_id not in keep:
                continue
            found = gold_agreement(
                (rater.levels.get(k), round_.gold.get(k)) for k in keys if k in round_.gold
            )
            name, so_far = totals.get(rater.rater_id, (rater.rater_name, NO_AGREEMENT))
            totals[rater.rater_id] = (name, so_far + found)
    return tuple(
        RaterSummary(rater_id, name, agreement)
        for rater_id, (name, agreement) in sorted(totals.items(), key=lambda item: item[1][0])
    )


def calibration_report(group: Group, user: User) -> CalibrationReport:
    """The group's rounds as ``user`` may read them: a facilitator reads everyone's agreement,
    a rater only their own; a round shows once its gold levels are readable to the viewer
    (CALIBRATION_GOLD_VIEW: a facilitator not scoring it blind, or a rater whose review is in)."""
    cases = calibration_cases(group)
    rounds = build_rounds(cases)
    readable_ids = {c.id for c in cases if can(user, Permission.CALIBRATION_GOLD_VIEW, c)}
    shown = tuple(r for r in rounds if r.case_id in readable_ids)
    hidden = tuple(r for r in rounds if r.case_id not in readable_ids)
    everyone = can(user, Permission.CALIBRATION_REPORT_ALL, group)
    keep = None if everyone else {user.id}
    titles: dict[str, str] = {}
    for round_ in shown:
        titles.update(dict(round_.criteria))
    criteria = tuple(
        CriterionSummary(
            key,
            title,
            ordinal_alpha(_by_rater(shown, key)),
            _summaries(shown, key, keep),
        )
        for key, title in titles.items()
    )
    return CalibrationReport(
        rounds=shown,
        hidden_rounds=hidden,
        overall_alpha=ordinal_alpha(_by_rater(shown, None)),
        overall=_summaries(shown, None, keep),
        criteria=criteria,
        sees_everyone=everyone,
        viewer_id=user.id,
    )


def _by_rater(
    rounds: Sequence[Round], key: str | None
) -> dict[int, dict[tuple[int, str], int | None]]:
    """Each rater's levels by unit (round, criterion), for alpha across rounds."""
    ratings: dict[int, dict[tuple[int, str], int | None]] = {}
    for round_ in rounds:
        for rater in round_.raters:
            for k, level in rater.levels.items():
                if key is None or k == key:
                    ratings.setdefault(rater.rater_id, {})[(round_.number, k)] = level
    return ratings
