"""Reminder delivery: what a (fake, registered) source says is due reaches each person once,
in the app or also by email as they chose, with the source's neutral text and no case text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import func, select
from support import CLEAN_SECTIONS, outbox, shared_case, supervision_world

from supervision.extensions import db
from supervision.mail.services import outgoing
from supervision.models import (
    Channel,
    Notification,
    NotificationEvent,
    ReminderDelivery,
    User,
)
from supervision.notifications.services import channels_for, set_preferences
from supervision.reminders import sources
from supervision.reminders.services import deliver_due
from supervision.reminders.sources import Due, register_due_source

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
TEXT = "A meeting entry of 3 March awaits your signature"


class FakeSource:
    """Says what it is told is due, as a meetings or agreements source would."""

    def __init__(self) -> None:
        self.due: list[Due] = []

    def __call__(self, now: datetime) -> list[Due]:
        return list(self.due)

    def add(self, user: User, key: str = "meeting:41:sign", group_id: int | None = None) -> None:
        self.due.append(
            Due(user.id, NotificationEvent.MEETING_TO_SIGN, key, TEXT, "/desk/", group_id)
        )


@pytest.fixture()
def source(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSource]:
    monkeypatch.setattr(sources, "_sources", [])  # only this test's source, removed after
    fake = FakeSource()
    register_due_source(fake)
    yield fake


def _notifications(user: User) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def _deliveries() -> int:
    return db.session.scalar(select(func.count(ReminderDelivery.id))) or 0


def test_a_reminder_is_delivered_once(app: Flask, make_user, source: FakeSource) -> None:
    person = make_user()
    source.add(person)
    source.add(person)  # a source naming the same thing twice in one run
    assert deliver_due(NOW) == 1
    db.session.commit()
    assert deliver_due(NOW) == 0  # asked again later: already delivered
    db.session.commit()
    [notification] = _notifications(person)
    assert notification.event is NotificationEvent.MEETING_TO_SIGN
    assert notification.text == TEXT and notification.url == "/desk/"
    source.add(person, key="meeting:41:countersign")  # the next step is a new reminder
    assert deliver_due(NOW) == 1
    db.session.commit()
    assert len(_notifications(person)) == 2


def test_each_person_gets_their_own(app: Flask, make_user, source: FakeSource) -> None:
    first, second = make_user(), make_user()
    source.add(first)
    source.add(second)
    assert deliver_due(NOW) == 2
    assert len(_notifications(first)) == len(_notifications(second)) == 1


def test_a_disabled_account_gets_nothing(app: Flask, make_user, source: FakeSource) -> None:
    person = make_user()
    person.is_disabled = True
    db.session.commit()
    source.add(person)
    assert deliver_due(NOW) == 0
    assert _notifications(person) == [] and _deliveries() == 0


def test_switched_off_is_delivered_as_nothing_and_not_retried(
    app: Flask, make_user, source: FakeSource
) -> None:
    person = make_user()
    set_preferences(person, {NotificationEvent.MEETING_TO_SIGN: Channel.OFF})
    source.add(person)
    assert deliver_due(NOW) == 1
    assert _notifications(person) == [] and _deliveries() == 1
    assert deliver_due(NOW) == 0


def test_the_email_carries_the_neutral_text_and_no_case_text(
    app: Flask, make_user, make_group, source: FakeSource
) -> None:
    w = supervision_world(make_user, make_group)
    with app.test_request_context():
        shared_case(w.group, w.author)
    set_preferences(w.author, {NotificationEvent.MEETING_TO_SIGN: Channel.EMAIL})
    db.session.commit()
    source.add(w.author, group_id=w.group.id)
    assert deliver_due(NOW) == 1
    db.session.commit()
    [message] = [m for m in outbox() if m.recipient == w.author.email]
    body = outgoing(message).body
    assert TEXT in body and "http://localhost/desk/" in body
    for text in CLEAN_SECTIONS.values():
        assert text not in body
    assert message.group_id == w.group.id  # a redaction in the group would reach it


def test_the_command_reports_the_count(app: Flask, make_user, source: FakeSource) -> None:
    source.add(make_user())
    runner = app.test_cli_runner()
    first = runner.invoke(args=["reminders", "send"])
    assert first.exit_code == 0 and "1 reminder delivered" in first.output
    again = runner.invoke(args=["reminders", "send"])
    assert again.exit_code == 0 and "0 reminders delivered" in again.output


def test_reminders_go_by_email_too_unless_the_person_chose_otherwise(make_user) -> None:
    person = make_user("Reminded")
    for event in (
        NotificationEvent.AGREEMENT_TO_SIGN,
        NotificationEvent.MEETING_TO_SIGN,
        NotificationEvent.EVALUATION_DUE,
    ):
        assert channels_for([person], event) == {person.id: Channel.EMAIL}
    assert channels_for([person], NotificationEvent.MENTION) == {person.id: Channel.IN_APP}
