"""The evaluations' parts of the exports: a person's portfolio section (their signed
evaluations, as supervisee or evaluator, and the supervisor evaluations they wrote) and the
group report for facilitators (levels and dates, no free text). The same rules as the pages:
``can`` decides, and a part shows only once its author marked it ready."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from supervision.exports.sections import GroupReport, PortfolioSection
from supervision.extensions import db
from supervision.models import (
    Evaluation,
    EvaluationScore,
    Group,
    SupervisorEvaluation,
    User,
)
from supervision.models.evaluation import SUPERVISOR_ITEMS
from supervision.permissions import Permission, can

GROUP_REPORT_HEADER = (
    "supervisee",
    "evaluator",
    "kind",
    "period_start",
    "period_end",
    "due_on",
    "status",
    "evaluator_signed_on",
    "supervisee_signed_on",
)


def level_text(level: int | None, not_observed: bool) -> str:
    if not_observed:
        return "not observed"
    return "" if level is None else str(level)


def _evaluations(*where: Any) -> list[Evaluation]:
    return list(
        db.session.scalars(
            select(Evaluation)
            .options(
                selectinload(Evaluation.scores).joinedload(EvaluationScore.criterion),
                joinedload(Evaluation.supervisee),
                joinedload(Evaluation.evaluator),
                joinedload(Evaluation.group),
                joinedload(Evaluation.rubric_version),
            )
            .where(*where)
            .order_by(Evaluation.due_on, Evaluation.id)
        ).unique()
    )


def _evaluation_record(evaluation: Evaluation) -> dict[str, Any]:
    def signature(name: str, at: Any) -> dict[str, Any]:
        return {"typed_name": name, "signed_at": at.isoformat() if at else None}

    return {
        "group": evaluation.group.name,
        "title": evaluation.title,
        "kind": evaluation.kind.value,
        "period_start": evaluation.period_start.isoformat(),
        "period_end": evaluation.period_end.isoformat(),
        "due_on": evaluation.due_on.isoformat(),
        "supervisee": evaluation.supervisee.display_name,
        "evaluator": evaluation.evaluator.display_name,
        "rubric": f"{evaluation.rubric_version.name} (version {evaluation.rubric_version.number})",
        "criteria": [
            {
                "key": s.criterion_key,
                "title": s.criterion.title,
                "evaluator_level": level_text(s.evaluator_level, s.evaluator_not_observed),
                "evaluator_comment": s.evaluator_comment,
                "self_level": level_text(s.self_level, s.self_not_observed),
                "self_comment": s.self_comment,
            }
            for s in evaluation.scores
        ],
        "evaluator_comments": evaluation.evaluator_comments,
        "self_comments": evaluation.self_comments,
        "supervisee_response": evaluation.supervisee_response,
        "evaluator_signature": signature(
            evaluation.evaluator_signature, evaluation.evaluator_signed_at
        ),
        "supervisee_signature": signature(
            evaluation.supervisee_signature, evaluation.supervisee_signed_at
        ),
    }


def _evaluation_markdown(record: dict[str, Any]) -> list[str]:
    lines = [
        f"## {record['title']}: {record['supervisee']} ({record['group']})",
        "",
        f"Period {record['period_start']} to {record['period_end']}, due {record['due_on']}. "
        f"Evaluator: {record['evaluator']}. Rubric: {record['rubric']}.",
        "",
        "| Criterion | Evaluator | Self |",
        "|---|---|---|",
    ]
    for c in record["criteria"]:
        lines.append(f"| {c['title']} | {c['evaluator_level'] or '-'} | {c['self_level'] or '-'} |")
    lines.append("")
    for c in record["criteria"]:
        for who, text in (("Evaluator", c["evaluator_comment"]), ("Self", c["self_comment"])):
            if text:
                lines += [f"- {c['title']} ({who.lower()}): {text}"]
    for heading, key in (
        ("Evaluator's comments", "evaluator_comments"),
        ("Self-evaluation comments", "self_comments"),
        ("Supervisee's response", "supervisee_response"),
    ):
        if record[key]:
            lines += ["", f"### {heading}", "", record[key]]
    for who, key in (("Evaluator", "evaluator_signature"), ("Supervisee", "supervisee_signature")):
        signed = record[key]
        lines += ["", f"{who} signed as “{signed['typed_name']}” at {signed['signed_at']}."]
    return [*lines, ""]


def _supervisor_record(written: SupervisorEvaluation) -> dict[str, Any]:
    return {
        "group": written.group.name,
        "supervisor": written.supervisor.display_name,
        "written_on": written.created_at.date().isoformat(),
        "answers": {key: getattr(written, key) for key, _question in SUPERVISOR_ITEMS},
        "comment": written.comment,
        "shared_with_supervisor": written.shared,
    }


def portfolio_section(user: User) -> PortfolioSection:
    signed = _evaluations(
        or_(Evaluation.supervisee_id == user.id, Evaluation.evaluator_id == user.id),
        Evaluation.evaluator_signed_at.is_not(None),
        Evaluation.supervisee_signed_at.is_not(None),
    )
    records = [
        {"type": "evaluation", **_evaluation_record(evaluation)}
        for evaluation in signed
        if can(user, Permission.EVALUATION_VIEW, evaluation)
    ]
    written = db.session.scalars(
        select(SupervisorEvaluation)
        .options(
            joinedload(SupervisorEvaluation.group), joinedload(SupervisorEvaluation.supervisor)
        )
        .where(SupervisorEvaluation.author_id == user.id)
        .order_by(SupervisorEvaluation.created_at, SupervisorEvaluation.id)
    ).all()
    supervisor_records = [
        {"type": "supervisor_evaluation", **_supervisor_record(w)}
        for w in written
        if can(user, Permission.SUPERVISOR_EVALUATION_VIEW, w)
    ]
    lines = ["# Evaluations", ""]
    for record in records:
        lines += _evaluation_markdown(record)
    if supervisor_records:
        lines += ["# My evaluations of supervisors", ""]
    for record in supervisor_records:
        lines += [f"## {record['supervisor']} ({record['group']}), {record['written_on']}", ""]
        lines += [f"- {question}: {record['answers'][key]}/5" for key, question in SUPERVISOR_ITEMS]
        if record["comment"]:
            lines += ["", record["comment"]]
        shared = "shared with" if record["shared_with_supervisor"] else "not shared with"
        lines += ["", f"({shared} the supervisor)", ""]
    return PortfolioSection(
        key="evaluations",
        title="Evaluations",
        records=records + supervisor_records,
        markdown="\n".join(lines),
    )


def group_report(group: Group) -> GroupReport:
    """One row per evaluation: dates, status and levels per criterion (a part's levels only
    once it is ready); no comment or other free text."""
    evaluations = _evaluations(Evaluation.group_id == group.id)
    keys: list[str] = []
    for evaluation in evaluations:
        keys += [s.criterion_key for s in evaluation.scores if s.criterion_key not in keys]
    header = [*GROUP_REPORT_HEADER]
    for key in keys:
        header += [f"{key}_evaluator", f"{key}_self"]
    rows = []
    for e in evaluations:
        by_key = {s.criterion_key: s for s in e.scores}
        row: list[Any] = [
            e.supervisee.display_name,
            e.evaluator.display_name,
            e.kind.value,
            e.period_start.isoformat(),
            e.period_end.isoformat(),
            e.due_on.isoformat(),
            e.status,
            e.evaluator_signed_at.date().isoformat() if e.evaluator_signed_at else "",
            e.supervisee_signed_at.date().isoformat() if e.supervisee_signed_at else "",
        ]
        for key in keys:
            score = by_key.get(key)
            theirs = own = ""
            if score is not None and e.evaluator_ready_at is not None:
                theirs = level_text(score.evaluator_level, score.evaluator_not_observed)
            if score is not None and e.self_ready_at is not None:
                own = level_text(score.self_level, score.self_not_observed)
            row += [theirs, own]
        rows.append(row)
    return GroupReport(key="evaluations", title="Evaluations", header=header, rows=rows)
