"""The outbox, delivered by `flask mail send` to a real SMTP server on loopback."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

from conftest import post
from support import body_of, free_port, outbox, send_mail

from supervision.extensions import db
from supervision.mail.services import (
    LINK_PLACEHOLDER,
    MAX_BACKOFF,
    LogTransport,
    backoff,
    deliver_due,
)
from supervision.models import OutboxMessage, Role
from supervision.models.types import utcnow

RESET_SUBJECT = "Reset your Attune password"
INVITE_SUBJECT = "You are invited to a group on Attune"


def request_reset(client, email: str) -> None:  # type: ignore[no-untyped-def]
    response = post(client, "/password/forgot", {"email": email})
    assert response.status_code == 302


# -- delivery ----------------------------------------------------------------------------------


def test_reset_mail_is_delivered_once_over_smtp(
    app, client, make_user, start_smtp, smtp_config
) -> None:
    user = make_user(email="ines@example.org")
    port = free_port()
    server = start_smtp(port)
    smtp_config(port)
    request_reset(client, user.email)
    [queued] = outbox()
    assert queued.sent_at is None
    assert server.received == []

    result = send_mail(app)

    assert "1 sent, 0 failed" in result.output
    assert len(server.received) == 1
    recipients, message = server.received[0]
    assert recipients == ["ines@example.org"]
    assert message["To"] == "ines@example.org"
    assert message["Subject"] == RESET_SUBJECT
    body = body_of(message)
    links = re.findall(r"http://localhost/password/reset/[\w-]+", body)
    assert len(links) == 1
    # The queued text is the sent one, except that its link waited sealed, outside the body.
    assert body.strip() == queued.body.replace(LINK_PLACEHOLDER, links[0]).strip()
    # The emailed link is the live one: it opens the reset form.
    page = client.get(links[0].removeprefix("http://localhost"), follow_redirects=True)
    assert page.status_code == 200
    assert 'name="password"' in page.get_data(as_text=True)

    [row] = outbox()
    assert row.sent_at is not None
    assert row.attempts == 1
    assert row.last_error is None

    again = send_mail(app)
    assert "0 sent, 0 failed" in again.output
    assert len(server.received) == 1


def test_failed_delivery_backs_off_then_delivers_exactly_once(
    app, client, make_user, start_smtp, smtp_config
) -> None:
    user = make_user(email="oskar@example.org")
    closed_port = free_port()  # nothing listens here (yet)
    smtp_config(closed_port)
    request_reset(client, user.email)

    before = utcnow()
    result = send_mail(app)

    assert "0 sent, 1 failed" in result.output
    [row] = outbox()
    assert row.sent_at is None
    assert row.attempts == 1
    assert row.last_error
    assert row.next_attempt_at > before
    assert row.next_attempt_at > utcnow()

    # Not due yet: an immediate second run does not try again.
    server = start_smtp(closed_port)
    again = send_mail(app)
    assert "0 sent, 0 failed" in again.output
    assert server.received == []
    [row] = outbox()
    assert row.attempts == 1
    assert row.sent_at is None

    row.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()

    retried = send_mail(app)

    assert "1 sent, 0 failed" in retried.output
    assert len(server.received) == 1
    assert server.received[0][0] == ["oskar@example.org"]
    assert server.received[0][1]["Subject"] == RESET_SUBJECT
    [row] = outbox()
    assert row.sent_at is not None
    assert row.attempts == 2
    assert row.last_error is None

    assert "0 sent, 0 failed" in send_mail(app).output
    assert len(server.received) == 1


def test_backoff_grows_and_caps() -> None:
    assert backoff(1) == timedelta(minutes=1)
    assert backoff(2) == timedelta(minutes=2)
    assert backoff(3) == timedelta(minutes=4)
    delays = [backoff(attempts) for attempts in range(1, 15)]
    growing = [delay for delay in delays if delay < MAX_BACKOFF]
    assert all(a * 2 == b for a, b in itertools.pairwise(growing))
    assert all(a <= b for a, b in itertools.pairwise(delays))
    assert delays[-1] == MAX_BACKOFF == timedelta(hours=6)
    assert max(delays) == MAX_BACKOFF
    # A message that keeps failing for weeks still gets a delay, not an overflow.
    for attempts in (41, 42, 50, 100, 10_000):
        assert backoff(attempts) == MAX_BACKOFF


# -- what is queued ---------------------------------------------------------------------------


def test_invitation_mail_is_queued_without_the_group_description(
    app, make_user, make_group, login_as, start_smtp, smtp_config
) -> None:
    facilitator = make_user("Ruth Facilitator")
    group = make_group(members={facilitator: Role.FACILITATOR}, name="Harbour supervision")
    description = "Wednesday evenings; we bring one rupture each and stay with it."
    group.description = description
    db.session.commit()
    client = login_as(facilitator)

    response = post(
        client,
        f"/groups/{group.id}/invitations",
        {"invite-email": "New.Member@Example.org", "invite-role": Role.SUPERVISEE.value},
    )

    assert response.status_code == 302
    [queued] = outbox()
    assert queued.recipient == "new.member@example.org"
    assert queued.subject == INVITE_SUBJECT
    assert queued.sent_at is None
    assert "/groups/invitations/" not in queued.body  # sealed until it is sent
    assert "Ruth Facilitator" in queued.body
    assert description not in queued.body
    for fragment in ("Wednesday evenings", "rupture"):
        assert fragment not in queued.body

    port = free_port()
    server = start_smtp(port)
    smtp_config(port)
    assert "1 sent, 0 failed" in send_mail(app).output
    [(recipients, message)] = server.received
    assert recipients == ["new.member@example.org"]
    assert message["Subject"] == INVITE_SUBJECT
    body = body_of(message)
    assert "/groups/invitations/" in body
    assert "Wednesday evenings" not in body
    # It names the group and who invited, so the invitee can tell it from phishing.
    assert "Ruth Facilitator invited you to join “Harbour supervision”" in body
    assert "a supervision group on Attune,\nas supervisee." in body


# -- links with a token -----------------------------------------------------------------------


def _texts_of(row: OutboxMessage) -> str:
    """Every column of an outbox row, as one text to search."""
    return " ".join(str(getattr(row, column.key)) for column in OutboxMessage.__table__.columns)


def test_no_outbox_row_holds_a_live_token_before_or_after_delivery(
    app, client, make_user, make_group, login_as, start_smtp, smtp_config
) -> None:
    facilitator = make_user("Ruth Facilitator", email="ruth@example.org")
    group = make_group(members={facilitator: Role.FACILITATOR}, name="Harbour supervision")
    request_reset(app.test_client(), facilitator.email)
    login_as(facilitator)
    post(
        client,
        f"/groups/{group.id}/invitations",
        {"invite-email": "new@example.org", "invite-role": Role.SUPERVISEE.value},
    )
    queued = outbox()
    assert len(queued) == 2
    assert all(row.sealed_link for row in queued)
    assert all("/password/reset/" not in _texts_of(row) for row in queued)
    assert all("/groups/invitations/" not in _texts_of(row) for row in queued)

    port = free_port()
    server = start_smtp(port)
    smtp_config(port)
    assert "2 sent, 0 failed" in send_mail(app).output

    sent = {recipients[0]: body_of(message) for recipients, message in server.received}
    [reset_link] = re.findall(r"http://localhost(/password/reset/[\w-]+)", sent["ruth@example.org"])
    [invite_link] = re.findall(
        r"http://localhost(/groups/invitations/[\w-]+)", sent["new@example.org"]
    )
    tokens = [reset_link.rsplit("/", 1)[1], invite_link.rsplit("/", 1)[1]]
    for row in outbox():
        assert row.sent_at is not None
        assert row.sealed_link is None  # dropped with delivery
        assert LINK_PLACEHOLDER in row.body
        assert not any(token in _texts_of(row) for token in tokens)
    # The links that went out are the live ones.
    browser = app.test_client()
    assert browser.get(reset_link).headers["Location"] == "/password/reset"
    assert browser.get(invite_link).headers["Location"] == "/groups/invitation"


def test_a_link_sealed_under_another_secret_key_stays_queued(
    app, client, make_user, start_smtp, smtp_config, monkeypatch
) -> None:
    make_user(email="ines@example.org")
    request_reset(client, "ines@example.org")
    port = free_port()
    server = start_smtp(port)
    smtp_config(port)
    monkeypatch.setitem(app.config, "SECRET_KEY", "another-secret-key-that-is-long-enough-too")

    assert "0 sent, 1 failed" in send_mail(app).output

    assert server.received == []  # never a mail with a placeholder instead of the link
    [row] = outbox()
    assert row.sent_at is None and row.sealed_link
    assert "SECRET_KEY" in row.last_error


def test_development_log_shows_the_live_link_and_the_outbox_keeps_none(
    app, client, make_user, caplog
) -> None:
    make_user(email="ines@example.org")
    request_reset(client, "ines@example.org")

    with caplog.at_level("WARNING", logger="supervision.mail.services"):
        report = deliver_due(LogTransport())

    assert (report.sent, report.failed) == (1, 0)
    [link] = re.findall(r"http://localhost(/password/reset/[\w-]+)", caplog.text)
    assert client.get(link).headers["Location"] == "/password/reset"  # the live one
    [row] = outbox()
    assert row.sealed_link is None
    assert link.rsplit("/", 1)[1] not in _texts_of(row)
