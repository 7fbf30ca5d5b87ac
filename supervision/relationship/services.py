"""Recording a relationship check and the wish to talk. Plain verbs that flush, never commit.

Answering a check tells no one: a notification would date the answer. The wish to talk is
named (the supervisee chooses to say it) and carries no content, like every notification.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from supervision.extensions import db
from supervision.models import (
    Group,
    Membership,
    Notification,
    NotificationEvent,
    RelationshipCheck,
    User,
)
from supervision.models.relationship import NOTE_MAX
from supervision.notifications.services import link_to, notify
from supervision.permissions import forget_relationship, supervisors_of
from supervision.relationship.items import ITEM_KEYS, SCALE
from supervision.relationship.occasions import Occasion, answered


class RelationshipError(ValueError):
    """A check that cannot be recorded; the message is for the supervisee."""


def record_check(
    supervisee: User, occasion: Occasion, answers: dict[str, int], note: str = ""
) -> RelationshipCheck:
    if answered(supervisee, occasion):
        raise RelationshipError("You have already answered this check-in.")
    if set(answers) != set(ITEM_KEYS) or any(answers[key] not in SCALE for key in ITEM_KEYS):
        raise RelationshipError("Choose a point on the scale for every statement.")
    check = RelationshipCheck(
        supervisee_id=supervisee.id,
        supervisor_id=occasion.supervisor_id,
        group_id=occasion.group_id,
        occasion_type=occasion.kind,
        occasion_id=occasion.id,
        note=note.strip()[:NOTE_MAX],
        **answers,
    )
    try:
        # Two tabs sending the same check-in at once: the unique row lets one in, the other
        # is told, as if it had come second.
        with db.session.begin_nested():
            db.session.add(check)
    except IntegrityError:
        raise RelationshipError("You have already answered this check-in.") from None
    forget_relationship()
    return check


def my_supervisors(user: User) -> list[User]:
    """The people a supervisee can check in about or ask to talk to, by name."""
    return list(db.session.scalars(supervisors_of(user).order_by(User.display_name, User.id)))


def _shared_group(supervisee: User, supervisor: User) -> Group | None:
    """A group both belong to, so the prompt goes when either leaves it."""
    return db.session.scalar(
        select(Group)
        .join(Membership, Membership.group_id == Group.id)
        .where(
            Membership.user_id == supervisee.id,
            Group.id.in_(select(Membership.group_id).where(Membership.user_id == supervisor.id)),
        )
        .order_by(Group.id)
        .limit(1)
    )


def request_talk(supervisee: User, supervisor: User) -> bool:
    """Tell the supervisor, neutrally, that the supervisee would like to talk about how
    supervision is going. An unread prompt is not repeated. Returns False only for that: the
    supervisee is not told whether the supervisor turned these prompts off."""
    waiting = db.session.scalar(
        select(Notification.id).where(
            Notification.user_id == supervisor.id,
            Notification.actor_id == supervisee.id,
            Notification.event == NotificationEvent.TALK_REQUESTED,
            Notification.read_at.is_(None),
        )
    )
    if waiting is not None:
        return False
    notify(
        NotificationEvent.TALK_REQUESTED,
        [supervisor],
        text=f"{supervisee.display_name} would like to talk about how supervision is going",
        url=link_to("desk.index"),
        actor=supervisee,
        group=_shared_group(supervisee, supervisor),
        subject=("user", supervisee.id),
    )
    return True


def redact_checks(group_id: int, passage: str, replacement: str) -> int:
    """Replace ``passage`` in the notes of checks made in the group; returns occurrences."""
    count = 0
    for check in db.session.scalars(
        select(RelationshipCheck).where(
            RelationshipCheck.group_id == group_id,
            RelationshipCheck.note.contains(passage, autoescape=True),
        )
    ):
        count += check.note.count(passage)
        check.note = check.note.replace(passage, replacement)
    db.session.flush()
    return count
