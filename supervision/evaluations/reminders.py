"""The reminder source: an evaluation due within a week (or past due) and not signed by both
reminds each party who still has a step to take. Neutral text: the evaluation's name, group
and due date, never anything written in it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from supervision.extensions import db
from supervision.models import Evaluation, Membership, NotificationEvent
from supervision.notifications.services import link_to
from supervision.reminders.sources import Due

REMINDER_WINDOW = timedelta(days=7)


def _steps(evaluation: Evaluation) -> Iterator[tuple[int, str, str]]:
    """(user id, step, what awaits them) for each party still to act."""
    if evaluation.evaluator_ready_at is None:
        yield evaluation.evaluator_id, "evaluate", "your part awaits"
    if evaluation.self_ready_at is None:
        yield evaluation.supervisee_id, "self", "your self-evaluation awaits"
    if evaluation.both_ready:
        if evaluation.evaluator_signed_at is None:
            yield evaluation.evaluator_id, "sign", "it awaits your signature"
        if evaluation.supervisee_signed_at is None:
            yield evaluation.supervisee_id, "sign", "it awaits your signature"


def evaluations_due(now: datetime) -> list[Due]:
    today = now.date()
    evaluations = db.session.scalars(
        select(Evaluation)
        .options(joinedload(Evaluation.group), joinedload(Evaluation.supervisee))
        .where(
            Evaluation.due_on <= today + REMINDER_WINDOW,
            or_(
                Evaluation.evaluator_signed_at.is_(None),
                Evaluation.supervisee_signed_at.is_(None),
            ),
        )
        .order_by(Evaluation.due_on, Evaluation.id)
    ).all()
    if not evaluations:
        return []
    rows = db.session.execute(
        select(Membership.group_id, Membership.user_id).where(
            Membership.group_id.in_({e.group_id for e in evaluations})
        )
    )
    members = {(group_id, user_id) for group_id, user_id in rows}
    due = []
    for evaluation in evaluations:
        due_on = evaluation.due_on
        when = f"{due_on.day} {due_on:%B %Y}"
        tense = "was due" if evaluation.due_on < today else "is due"
        for user_id, step, awaits in _steps(evaluation):
            if (evaluation.group_id, user_id) not in members:
                continue  # someone who left the group has nothing left to do there
            of = (
                ""
                if user_id == evaluation.supervisee_id
                else f" of {evaluation.supervisee.display_name}"
            )
            due.append(
                Due(
                    user_id=user_id,
                    event=NotificationEvent.EVALUATION_DUE,
                    key=f"evaluation:{evaluation.id}:{step}:{user_id}",
                    text=(
                        f"The {evaluation.title.lower()}{of} in {evaluation.group.name} "
                        f"{tense} on {when}: {awaits}."
                    ),
                    url=link_to("evaluations.show", evaluation_id=evaluation.id),
                    group_id=evaluation.group_id,
                )
            )
    return due
