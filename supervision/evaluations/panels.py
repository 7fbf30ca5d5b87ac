"""Ready values for the evaluation pages: the list of a group's evaluations as the viewer may
see them, and the rows of one evaluation, each side's part shown only to whom may read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import joinedload

from supervision.evaluations.evidence import CriterionEvidence, Evidence
from supervision.extensions import db
from supervision.models import (
    Evaluation,
    EvaluationScore,
    Group,
    SupervisorEvaluation,
    User,
)
from supervision.models.evaluation import NOT_OBSERVED
from supervision.permissions import (
    Permission,
    can,
    visible_evaluations,
    visible_supervisor_evaluations,
)


@dataclass(frozen=True)
class EvaluationEntry:
    id: int
    title: str
    supervisee_name: str
    evaluator_name: str
    period_start: date
    period_end: date
    due_on: date
    status: str
    overdue: bool
    next_step: str  # what the viewer can do now, or ""


def _next_step(evaluation: Evaluation, viewer: User) -> str:
    if can(viewer, Permission.EVALUATION_EVALUATE, evaluation):
        return "Fill in your evaluation"
    if can(viewer, Permission.EVALUATION_SELF, evaluation):
        return "Write your self-evaluation"
    if can(viewer, Permission.EVALUATION_SIGN, evaluation):
        return "Read and sign"
    return ""


def evaluation_entries(group: Group, viewer: User, today: date) -> list[EvaluationEntry]:
    """The group's evaluations the viewer may read, soonest due first (one query)."""
    evaluations = db.session.scalars(
        visible_evaluations(viewer, group)
        .options(joinedload(Evaluation.supervisee), joinedload(Evaluation.evaluator))
        .order_by(Evaluation.due_on, Evaluation.id)
    ).all()
    return [
        EvaluationEntry(
            e.id,
            e.title,
            e.supervisee.display_name,
            e.evaluator.display_name,
            e.period_start,
            e.period_end,
            e.due_on,
            e.status,
            e.due_on < today and not e.is_signed,
            _next_step(e, viewer),
        )
        for e in evaluations
    ]


@dataclass(frozen=True)
class SupervisorEvaluationEntry:
    id: int
    author_name: str
    supervisor_name: str
    written_on: date
    shared: bool
    mine: bool


def supervisor_evaluation_entries(group: Group, viewer: User) -> list[SupervisorEvaluationEntry]:
    written = db.session.scalars(
        visible_supervisor_evaluations(viewer, group)
        .options(
            joinedload(SupervisorEvaluation.author), joinedload(SupervisorEvaluation.supervisor)
        )
        .order_by(SupervisorEvaluation.created_at.desc(), SupervisorEvaluation.id.desc())
    ).all()
    return [
        SupervisorEvaluationEntry(
            w.id,
            w.author.display_name,
            w.supervisor.display_name,
            w.created_at.date(),
            w.shared,
            w.author_id == viewer.id,
        )
        for w in written
    ]


@dataclass(frozen=True)
class PartLevel:
    text: str  # "3: Evident and adequate", "No opportunity to observe" or "Not chosen yet"
    comment: str


@dataclass(frozen=True)
class EvaluationRow:
    key: str
    title: str
    evaluator: PartLevel | None  # None: not the viewer's to read (yet)
    own: PartLevel | None
    evidence: CriterionEvidence | None


def level_label(evaluation: Evaluation, level: int | None, not_observed: bool) -> str:
    if not_observed:
        return "No opportunity to observe"
    if level is None:
        return "Not chosen yet"
    label = (evaluation.rubric_version.scale_labels or {}).get(str(level))
    return f"{level}: {label}" if label else str(level)


def evaluation_rows(
    evaluation: Evaluation, scores: list[EvaluationScore], viewer: User, evidence: Evidence
) -> list[EvaluationRow]:
    theirs = can(viewer, Permission.EVALUATION_READ_EVALUATOR_PART, evaluation)
    own = can(viewer, Permission.EVALUATION_READ_SELF_PART, evaluation)
    by_key = {row.key: row for row in evidence.rows}
    return [
        EvaluationRow(
            s.criterion_key,
            s.criterion.title,
            PartLevel(
                level_label(evaluation, s.evaluator_level, s.evaluator_not_observed),
                s.evaluator_comment,
            )
            if theirs
            else None,
            PartLevel(level_label(evaluation, s.self_level, s.self_not_observed), s.self_comment)
            if own
            else None,
            by_key.get(s.criterion_key),
        )
        for s in scores
    ]


def part_data(evaluation: Evaluation, scores: list[EvaluationScore], side: str) -> dict[str, str]:
    """What a side's form opens with: its saved draft."""
    data = {"edit_version": str(evaluation.edit_version)}
    for s in scores:
        level, not_observed, comment = (
            (s.evaluator_level, s.evaluator_not_observed, s.evaluator_comment)
            if side == "evaluator"
            else (s.self_level, s.self_not_observed, s.self_comment)
        )
        data[f"level-{s.criterion_key}"] = NOT_OBSERVED if not_observed else str(level or "")
        data[f"comment-{s.criterion_key}"] = comment
    overall = evaluation.evaluator_comments if side == "evaluator" else evaluation.self_comments
    data["overall"] = overall
    return data
