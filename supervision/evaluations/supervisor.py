"""The supervisee's short evaluation of a supervisor: five 1-5 items and a comment, read by the
group's facilitators (unless it is about themselves) and by the supervisor only while the
supervisee lets them (off at first, changeable at any time)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from supervision.extensions import db
from supervision.models import Group, Membership, Role, SupervisorEvaluation, User
from supervision.models.evaluation import SUPERVISOR_COMMENT_MAX, SUPERVISOR_ITEMS, SUPERVISOR_SCALE
from supervision.permissions import role_in


class SupervisorEvaluationError(ValueError):
    """The message is for the supervisee; ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def supervisor_choices(group: Group, author: User) -> list[User]:
    """Anyone who supervises in the group: its supervisors and facilitators, not oneself."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.group_id == group.id,
                Membership.role.in_([Role.SUPERVISOR, Role.FACILITATOR]),
                User.id != author.id,
            )
            .order_by(User.display_name, User.id)
        )
    )


def write_supervisor_evaluation(
    group: Group,
    author: User,
    supervisor_id: int,
    answers: Mapping[str, int],
    comment: str,
    shared: bool,
) -> SupervisorEvaluation:
    supervisor = db.session.get(User, supervisor_id)
    if (
        supervisor is None
        or supervisor.id == author.id
        or role_in(supervisor, group)
        not in (
            Role.SUPERVISOR,
            Role.FACILITATOR,
        )
    ):
        raise SupervisorEvaluationError("Choose a supervisor of this group.", "supervisor_id")
    for key, question in SUPERVISOR_ITEMS:
        if answers.get(key) not in SUPERVISOR_SCALE:
            raise SupervisorEvaluationError(f"Choose an answer for: {question}.", key)
    comment = comment.strip()
    if len(comment) > SUPERVISOR_COMMENT_MAX:
        raise SupervisorEvaluationError(
            f"Keep the comment under {SUPERVISOR_COMMENT_MAX:,} characters.", "comment"
        )
    written = SupervisorEvaluation(
        group=group,
        author=author,
        supervisor=supervisor,
        comment=comment,
        shared=shared,
        **{key: answers[key] for key, _question in SUPERVISOR_ITEMS},
    )
    db.session.add(written)
    db.session.flush()
    return written


def set_supervisor_sharing(written: SupervisorEvaluation, shared: bool) -> None:
    written.shared = shared
    db.session.flush()
