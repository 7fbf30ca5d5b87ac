"""The personal-data download's supervision records: agreements, meetings and evaluations the
person is party to, each only as far as the pages let them read it (``AGREEMENT_VIEW``,
``MEETING_VIEW``, ``EVALUATION_VIEW`` and each evaluation part's own reader permission; a
supervisee's evaluation of a supervisor only while ``SUPERVISOR_EVALUATION_VIEW`` holds)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from supervision.extensions import db
from supervision.models import (
    Agreement,
    Evaluation,
    Meeting,
    MeetingAttendee,
    SupervisorEvaluation,
    User,
)
from supervision.models.evaluation import SUPERVISOR_ITEMS
from supervision.permissions import Permission, can


def _iso(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment else None


def agreements(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Agreement)
        .options(
            selectinload(Agreement.versions),
            selectinload(Agreement.group),
            selectinload(Agreement.supervisor),
            selectinload(Agreement.supervisee),
        )
        .where(or_(Agreement.supervisor_id == user.id, Agreement.supervisee_id == user.id))
        .order_by(Agreement.id)
    ).all()
    return [
        {
            "group": a.group.name,
            "my_part": a.party(user),
            "supervisor": a.supervisor.display_name,
            "supervisee": a.supervisee.display_name,
            "created_at": _iso(a.created_at),
            "versions": [
                {
                    "number": v.number,
                    "sections": v.sections(),
                    "supervisor_signed": v.supervisor_signed_name,
                    "supervisor_signed_at": _iso(v.supervisor_signed_at),
                    "supervisee_signed": v.supervisee_signed_name,
                    "supervisee_signed_at": _iso(v.supervisee_signed_at),
                }
                for v in a.versions
            ],
        }
        for a in rows
        if can(user, Permission.AGREEMENT_VIEW, a)
    ]


def meetings(user: User) -> list[dict[str, Any]]:
    attended = select(MeetingAttendee.meeting_id).where(MeetingAttendee.user_id == user.id)
    rows = db.session.scalars(
        select(Meeting)
        .options(
            selectinload(Meeting.attendees),
            selectinload(Meeting.cases),
            selectinload(Meeting.supervisor),
            selectinload(Meeting.group),
        )
        .where(
            or_(
                Meeting.supervisor_id == user.id,
                Meeting.drafted_by_id == user.id,
                Meeting.id.in_(attended),
            )
        )
        .order_by(Meeting.held_on, Meeting.id)
    ).all()
    return [
        {
            "id": m.id,
            "group": m.group.name,
            "held_on": _iso(m.held_on),
            "minutes": m.duration_minutes,
            "format": m.format.value,
            "modality": m.modality.value,
            "reviewed_work": m.reviewed_work.value,
            "supervisor": m.supervisor.display_name,
            "i_attended": user.id in m.attendee_ids,
            "attendees": len(m.attendees),
            "case_ids": [c.case_id for c in m.cases],
            "notes": m.notes,
            "follow_up": m.follow_up,
            "corrects_meeting_id": m.corrects_id,
            "signed": m.signed_name,
            "signed_at": _iso(m.signed_at),
        }
        for m in rows
        if can(user, Permission.MEETING_VIEW, m)
    ]


def _evaluation(user: User, e: Evaluation) -> dict[str, Any]:
    evaluator_part = can(user, Permission.EVALUATION_READ_EVALUATOR_PART, e)
    self_part = can(user, Permission.EVALUATION_READ_SELF_PART, e)
    scores = []
    for s in e.scores:
        score: dict[str, Any] = {"criterion": s.criterion_key}
        if evaluator_part:
            score["evaluator"] = {
                "level": s.evaluator_level,
                "not_observed": s.evaluator_not_observed,
                "comment": s.evaluator_comment,
            }
        if self_part:
            score["self"] = {
                "level": s.self_level,
                "not_observed": s.self_not_observed,
                "comment": s.self_comment,
            }
        scores.append(score)
    return {
        "type": "evaluation",
        "id": e.id,
        "group": e.group.name,
        "title": e.title,
        "my_part": "supervisee" if e.supervisee_id == user.id else "evaluator",
        "supervisee": e.supervisee.display_name,
        "evaluator": e.evaluator.display_name,
        "period": [_iso(e.period_start), _iso(e.period_end)],
        "due_on": _iso(e.due_on),
        "status": e.status,
        # A part not yet marked ready is its author's alone: left out, not blanked.
        "evaluator_comments": e.evaluator_comments if evaluator_part else None,
        "self_comments": e.self_comments if self_part else None,
        "supervisee_response": e.supervisee_response if (evaluator_part and self_part) else None,
        "evaluator_signed": e.evaluator_signature or None,
        "evaluator_signed_at": _iso(e.evaluator_signed_at),
        "supervisee_signed": e.supervisee_signature or None,
        "supervisee_signed_at": _iso(e.supervisee_signed_at),
        "scores": scores,
    }


def evaluations(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Evaluation)
        .options(
            selectinload(Evaluation.scores),
            selectinload(Evaluation.group),
            selectinload(Evaluation.supervisee),
            selectinload(Evaluation.evaluator),
        )
        .where(or_(Evaluation.supervisee_id == user.id, Evaluation.evaluator_id == user.id))
        .order_by(Evaluation.period_start, Evaluation.id)
    ).all()
    records = [_evaluation(user, e) for e in rows if can(user, Permission.EVALUATION_VIEW, e)]
    of_supervisors = db.session.scalars(
        select(SupervisorEvaluation)
        .options(
            selectinload(SupervisorEvaluation.group),
            selectinload(SupervisorEvaluation.supervisor),
        )
        .where(
            or_(
                SupervisorEvaluation.author_id == user.id,
                SupervisorEvaluation.supervisor_id == user.id,
            )
        )
        .order_by(SupervisorEvaluation.id)
    ).all()
    records += [
        {
            "type": "evaluation of a supervisor",
            "group": w.group.name,
            "my_part": "author" if w.author_id == user.id else "supervisor",
            "supervisor": w.supervisor.display_name,
            "written_on": _iso(w.created_at.date()),
            "answers": {key: getattr(w, key) for key, _question in SUPERVISOR_ITEMS},
            "comment": w.comment,
            "shared_with_supervisor": w.shared,
        }
        for w in of_supervisors
        if can(user, Permission.SUPERVISOR_EVALUATION_VIEW, w)
    ]
    return records
