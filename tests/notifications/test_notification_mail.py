"""Notifications chosen "by email" go through the outbox and `flask mail send` to a real SMTP
server on 127.0.0.1: neutral text and a link only, delivered exactly once, retried when the
server is away."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from notification_support import (
    GROUP_NAME,
    SECRET_PHRASE,
    SECTIONS,
    TITLE,
    Client,
    make_world,
    notifications_of,
    shared_case,
    submitted_review,
)
from support import body_of, free_port, outbox, send_mail

from supervision.extensions import db
from supervision.models import Channel, NotificationEvent
from supervision.models.types import utcnow
from supervision.notifications.services import set_preferences
from supervision.reviews.services import release_review

SUBJECT = "Something new for you on Attune"


def assert_no_case_material(text: str) -> None:
    assert SECRET_PHRASE not in text
    assert TITLE not in text
    for section in SECTIONS.values():
        assert section not in text


def test_an_emailed_notification_is_delivered_once_with_neutral_text_and_a_link(
    app: Flask, make_user, make_group, start_smtp, smtp_config
) -> None:
    w = make_world(make_user, make_group)
    set_preferences(w.ana, {NotificationEvent.REVIEW_RELEASED: Channel.EMAIL})
    db.session.commit()
    case = shared_case(w.group, w.ana)
    review = submitted_review(case, w.rosa, 3)
    release_review(review)
    db.session.commit()
    [queued] = outbox()  # the other events stay in the app (the default)
    assert queued.recipient == w.ana.email
    assert queued.sent_at is None
    assert_no_case_material(queued.body)
    port = free_port()
    server = start_smtp(port)
    smtp_config(port)

    assert "1 sent, 0 failed" in send_mail(app).output

    [(recipients, message)] = server.received
    assert recipients == [w.ana.email]
    assert message["Subject"] == SUBJECT
    body = body_of(message)
    assert f"Rosa released a review of your case in {GROUP_NAME}" in body
    link = f"http://localhost/reviews/{review.id}"
    assert link in body
    assert_no_case_material(body)
    assert "Thoughtful work" not in body  # nor the review's feedback
    # The link is the live one, for the person it was sent to.
    assert Client(app, w.ana).get(link.removeprefix("http://localhost")).status_code == 200

    assert "0 sent, 0 failed" in send_mail(app).output  # a second run sends nothing again
    assert len(server.received) == 1
    [row] = outbox()
    assert row.sent_at is not None and row.attempts == 1
    assert len(notifications_of(w.ana, NotificationEvent.REVIEW_RELEASED)) == 1


def test_a_failed_delivery_stays_queued_and_is_retried_later_exactly_once(
    app: Flask, make_user, make_group, start_smtp, smtp_config
) -> None:
    w = make_world(make_user, make_group)
    set_preferences(w.ben, {NotificationEvent.CASE_SHARED: Channel.EMAIL})
    db.session.commit()
    case = shared_case(w.group, w.ana)
    port = free_port()  # nothing listens here yet
    smtp_config(port)

    assert "0 sent, 1 failed" in send_mail(app).output

    [row] = outbox()
    assert row.sent_at is None and row.attempts == 1 and row.last_error
    assert row.next_attempt_at > utcnow()  # backed off: not due again at once
    server = start_smtp(port)
    assert "0 sent, 0 failed" in send_mail(app).output
    assert server.received == []

    row.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert "1 sent, 0 failed" in send_mail(app).output
    assert "0 sent, 0 failed" in send_mail(app).output

    [(recipients, message)] = server.received
    assert recipients == [w.ben.email]
    body = body_of(message)
    assert f"A case was shared in {GROUP_NAME}" in body
    assert f"http://localhost/cases/{case.id}" in body
    assert_no_case_material(body)
    [row] = outbox()
    assert row.sent_at is not None and row.attempts == 2 and row.last_error is None
