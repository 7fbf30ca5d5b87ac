"""Deliver what the sources say is due: once per key and person, by the channel each person
chose for the event (in the app, or in the app and by email), with the source's neutral text.
Flushes, never commits: the command owns the transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, tuple_

from supervision.extensions import db
from supervision.models import Group, ReminderDelivery, User
from supervision.models.reminder import REMINDER_KEY_MAX
from supervision.notifications.services import notify
from supervision.reminders.sources import Due, due_now


def _fresh(due: list[Due]) -> list[Due]:
    """What is due and not delivered yet (one query), each key and person once."""
    unique = list({(d.user_id, d.key[:REMINDER_KEY_MAX]): d for d in due}.items())
    if not unique:
        return []
    delivered = set(
        db.session.execute(
            select(ReminderDelivery.user_id, ReminderDelivery.key).where(
                tuple_(ReminderDelivery.user_id, ReminderDelivery.key).in_(
                    [pair for pair, _ in unique]
                )
            )
        ).all()
    )
    return [d for pair, d in unique if pair not in delivered]


def deliver_due(now: datetime) -> int:
    """Deliver every reminder due at ``now`` that its person has not had; returns how many.

    A disabled account gets nothing and nothing is recorded for it, so the reminder still
    reaches the person if the account is enabled again while the thing is still due."""
    fresh = _fresh(due_now(now))
    if not fresh:
        return 0
    users = {
        u.id: u
        for u in db.session.scalars(select(User).where(User.id.in_({d.user_id for d in fresh})))
    }
    group_ids = {d.group_id for d in fresh if d.group_id is not None}
    groups = (
        {g.id: g for g in db.session.scalars(select(Group).where(Group.id.in_(group_ids)))}
        if group_ids
        else {}
    )
    delivered = 0
    for due in fresh:
        user = users.get(due.user_id)
        if user is None or user.is_disabled:
            continue
        group = groups.get(due.group_id) if due.group_id is not None else None
        # The person's channel choice decides in-app, email or nothing; delivered either way.
        notify(due.event, [user], text=due.text, url=due.url, group=group)
        db.session.add(
            ReminderDelivery(user_id=user.id, key=due.key[:REMINDER_KEY_MAX], event=due.event)
        )
        delivered += 1
    db.session.flush()
    return delivered
