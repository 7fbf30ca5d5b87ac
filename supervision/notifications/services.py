"""Notify people of events, by the channel each chose. Plain verbs that flush, never commit.

Notifications and their emails carry neutral wording and a link only: a mailbox is not a safe
place for case material, so no vignette, post or annotation text is ever put in them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import ScalarSelect, delete, func, select, update

from supervision.extensions import db
from supervision.mail.services import queue_mail
from supervision.models import (
    Channel,
    Group,
    Notification,
    NotificationEvent,
    NotificationPreference,
    User,
)
from supervision.models.types import utcnow
from supervision.pagination import KeysetPage, keyset_page

DEFAULT_CHANNEL = Channel.IN_APP
# Reminders about records to sign go by email too unless the person chooses otherwise: a
# signature a board needs should not wait for the next visit to the site.
DEFAULT_CHANNELS: dict[NotificationEvent, Channel] = {
    NotificationEvent.AGREEMENT_TO_SIGN: Channel.EMAIL,
    NotificationEvent.MEETING_TO_SIGN: Channel.EMAIL,
    NotificationEvent.EVALUATION_DUE: Channel.EMAIL,
    # Facilitators hear at once, wherever they are, that someone outside reads their group.
    NotificationEvent.EMERGENCY_ACCESS: Channel.EMAIL,
}


def default_channel(event: NotificationEvent) -> Channel:
    return DEFAULT_CHANNELS.get(event, DEFAULT_CHANNEL)


PER_PAGE = 30
# Events whose email the feature already sends itself (the invitation carries its own link).
MAILED_ELSEWHERE = frozenset({NotificationEvent.INVITATION})


def link_to(endpoint: str, **values: Any) -> str:
    """A relative URL for ``endpoint``, in a request or outside one (CLI, tests)."""
    if has_request_context():
        return url_for(endpoint, **values)
    anchor = values.pop("_anchor", None)
    adapter = current_app.url_map.bind(
        "localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/"
    )
    path = adapter.build(endpoint, values)
    return f"{path}#{anchor}" if anchor else path


def channels_for(users: Iterable[User], event: NotificationEvent) -> dict[int, Channel]:
    """Each user's chosen channel for the event (one query)."""
    ids = [user.id for user in users]
    chosen = dict(
        db.session.execute(
            select(NotificationPreference.user_id, NotificationPreference.channel).where(
                NotificationPreference.user_id.in_(ids), NotificationPreference.event == event
            )
        ).all()
    )
    return {user_id: chosen.get(user_id, default_channel(event)) for user_id in ids}


def notify(
    event: NotificationEvent,
    recipients: Iterable[User],
    *,
    text: str,
    url: str,
    actor: User | None = None,
    group: Group | None = None,
    subject: tuple[str, int] | None = None,
) -> list[Notification]:
    """Tell each recipient (never the actor, nor a disabled account) by the channel they chose
    for this event. The caller passes only people who may see the subject."""
    people = {
        user.id: user
        for user in recipients
        if (actor is None or user.id != actor.id) and not user.is_disabled
    }
    if not people:
        return []
    channels = channels_for(people.values(), event)
    created = []
    for user_id, user in people.items():
        channel = channels[user_id]
        if channel is Channel.OFF:
            continue
        notification = Notification(
            user_id=user_id,
            event=event,
            text=text[:300],
            url=url[:500],
            actor_id=actor.id if actor else None,
            group_id=group.id if group else None,
            subject_type=subject[0] if subject else "",
            subject_id=subject[1] if subject else None,
        )
        db.session.add(notification)
        created.append(notification)
        if channel is Channel.EMAIL and event not in MAILED_ELSEWHERE:
            link = current_app.config["BASE_URL"].rstrip("/") + url
            message = queue_mail(
                user.email,
                "Something new for you on Attune",
                "notification",
                text=text,
                link=link,
            )
            message.group_id = group.id if group else None  # a redaction there reaches it
    db.session.flush()
    return created


def redact_group_notifications(group_id: int, passage: str, replacement: str) -> int:
    """Replace ``passage`` in the texts of the group's notifications; returns occurrences."""
    count = 0
    limit = Notification.__table__.c.text.type.length
    for notification in db.session.scalars(
        select(Notification).where(
            Notification.group_id == group_id,
            Notification.text.contains(passage, autoescape=True),
        )
    ):
        count += notification.text.count(passage)
        notification.text = notification.text.replace(passage, replacement)[:limit]
    db.session.flush()
    return count


def withdraw_notifications(subject_type: str, subject_ids: int | Iterable[int]) -> None:
    """Remove notifications about something that is gone or hidden (a post, a case)."""
    ids = [subject_ids] if isinstance(subject_ids, int) else list(subject_ids)
    if not ids:
        return
    db.session.execute(
        delete(Notification).where(
            Notification.subject_type == subject_type, Notification.subject_id.in_(ids)
        )
    )
    db.session.flush()


# The navigation shows "99+" past this: counting further would only cost time on every page.
UNREAD_SHOWN = 100


def unread_count_of(user_id: int) -> ScalarSelect[int]:
    """How many of a user's notifications are unread, up to ``UNREAD_SHOWN``, as a scalar
    subquery to select beside other columns: an index-only count over the unread ones alone
    (``ix_notifications_unread``), stopped at the cap, so its cost does not grow with the
    notifications a person has read or left unread."""
    unread = (
        select(Notification.user_id)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .limit(UNREAD_SHOWN)
        .subquery()
    )
    return select(func.count()).select_from(unread).scalar_subquery()


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread, up to ``UNREAD_SHOWN``."""
    return db.session.scalar(select(unread_count_of(user.id))) or 0


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one notification (or all of them) read; returns how many changed."""
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    result = db.session.execute(query.values(read_at=utcnow()))
    db.session.flush()
    return result.rowcount or 0


def notifications_page(user: User) -> KeysetPage:
    """The user's notifications, newest first, a page at a time (one indexed query, no count);
    the cursor comes from the request."""
    query = select(Notification).where(Notification.user_id == user.id)
    return keyset_page(query, (Notification.created_at, Notification.id), per_page=PER_PAGE)


def preferences_of(user: User) -> dict[NotificationEvent, Channel]:
    """The channel the user chose for each event (the default where they chose none)."""
    chosen = dict(
        db.session.execute(
            select(NotificationPreference.event, NotificationPreference.channel).where(
                NotificationPreference.user_id == user.id
            )
        ).all()
    )
    return {event: chosen.get(event, default_channel(event)) for event in NotificationEvent}


def set_preferences(user: User, choices: dict[NotificationEvent, Channel]) -> None:
    existing = {
        p.event: p
        for p in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    for event, channel in choices.items():
        preference = existing.get(event) or NotificationPreference(user_id=user.id, event=event)
        preference.channel = channel
        db.session.add(preference)
    db.session.flush()
