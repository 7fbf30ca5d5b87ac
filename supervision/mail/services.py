"""Queue mail in the outbox and deliver it with retries and back-off.

Mail is queued in the same transaction as the change that causes it, so a rolled-back change
sends nothing; delivery marks each message sent in its own commit so none goes out twice. Two
paths deliver: `flask mail send` (cron) and, with REDIS_URL, a job per message run by
`flask worker`; both claim a row with the same conditional update, so they never both send it.

A link that carries a secret (a reset or invitation token) is never stored readable: the body
keeps LINK_PLACEHOLDER where the link goes, the link itself is kept encrypted with a key derived
from SECRET_KEY (``sealed_link``), put into the text only as it is handed to the transport, and
dropped in the same commit that marks the message sent.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, Protocol

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app, render_template
from sqlalchemy import select, update

from supervision.extensions import db
from supervision.jobs.queue import deliver_after_commit
from supervision.models import OutboxMessage
from supervision.models.types import utcnow

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)


LINK_PLACEHOLDER = "[one-time link, only in the email as sent]"


class SealedLinkError(Exception):
    """The sealed link cannot be put back into the message (SECRET_KEY changed, body altered)."""


def _link_cipher() -> Fernet:
    # A key of its own, derived from SECRET_KEY, so the outbox never shares the CSRF signing key.
    secret = str(current_app.config["SECRET_KEY"]).encode()
    key = hashlib.sha256(b"attune.outbox.sealed-link\0" + secret).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def queue_mail(
    recipient: str,
    subject: str,
    template: str,
    *,
    secret_link: str | None = None,
    **context: Any,
) -> OutboxMessage:
    """Render ``templates/mail/<template>.txt`` and add it to the outbox (flushes, no commit).

    ``secret_link`` is a link carrying a token: the template sees ``link`` as LINK_PLACEHOLDER
    and the real link is stored sealed until delivery.
    """
    sealed = None
    if secret_link is not None:
        context["link"] = LINK_PLACEHOLDER
        sealed = _link_cipher().encrypt(secret_link.encode()).decode()
    body = render_template(f"mail/{template}.txt", **context)
    message = OutboxMessage(
        recipient=recipient, subject=subject[:200], body=body, sealed_link=sealed
    )
    db.session.add(message)
    db.session.flush()
    deliver_after_commit(message.id)  # a job, if there is a queue; nothing if this rolls back
    return message


@dataclass(frozen=True)
class OutgoingMail:
    """A message as the transport sends it: the sealed link, if any, is back in the text."""

    recipient: str
    subject: str
    body: str


def outgoing(message: OutboxMessage) -> OutgoingMail:
    """The text to send for ``message``; SealedLinkError when its link cannot be restored."""
    body = message.body
    if message.sealed_link is not None:
        try:
            link = _link_cipher().decrypt(message.sealed_link.encode()).decode()
        except InvalidToken as error:
            raise SealedLinkError(
                "the sealed link cannot be decrypted (SECRET_KEY changed?)"
            ) from error
        if LINK_PLACEHOLDER not in body:
            raise SealedLinkError("the body has no place for the sealed link")
        body = body.replace(LINK_PLACEHOLDER, link)
    return OutgoingMail(message.recipient, message.subject, body)


class Transport(Protocol):
    def send(self, message: OutgoingMail) -> None: ...


@dataclass
class SMTPTransport:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    use_tls: bool = True
    use_ssl: bool = False
    timeout: float = 20.0

    def send(self, message: OutgoingMail) -> None:
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email.set_content(message.body)
        context = ssl.create_default_context()
        if self.use_ssl:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with smtp:
            if self.use_tls and not self.use_ssl:
                smtp.starttls(context=context)
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(email)


class LogTransport:
    """Development: write each message to the log so links can be followed locally."""

    def send(self, message: OutgoingMail) -> None:
        log.warning(
            "Mail (development, not sent) to %s\nSubject: %s\n\n%s",
            message.recipient,
            message.subject,
            message.body,
        )


def transport_from_config() -> Transport:
    config = current_app.config
    if config["MAIL_TRANSPORT"] == "log":
        return LogTransport()
    if not config.get("MAIL_SERVER"):
        raise RuntimeError("MAIL_SERVER is not set; cannot deliver mail over SMTP.")
    return SMTPTransport(
        host=config["MAIL_SERVER"],
        port=config["MAIL_PORT"],
        sender=config["MAIL_DEFAULT_SENDER"],
        username=config.get("MAIL_USERNAME"),
        password=config.get("MAIL_PASSWORD"),
        use_tls=config["MAIL_USE_TLS"],
        use_ssl=config["MAIL_USE_SSL"],
    )


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8... minutes after each failure, capped at six hours."""
    return min(timedelta(minutes=2 ** min(max(attempts - 1, 0), 20)), MAX_BACKOFF)


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0


class DeliveryFailed(Exception):
    """One message could not be sent; its row records the error (the job is retried)."""


def _candidate(now: datetime) -> int | None:
    query = (
        select(OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(1)
    )
    if db.engine.dialect.name == "postgresql":
        # Concurrent senders pass over a row another holds instead of queueing behind it.
        query = query.with_for_update(skip_locked=True)
    return db.session.scalar(query)


def _claim(message_id: int) -> OutboxMessage | None:
    """Take ``message_id`` for this transaction if it is still unsent, counting the attempt.

    The update locks the row until commit (PostgreSQL row lock; SQLite's write lock) and is
    re-checked after any wait, so a sender that lost the race finds it sent and claims nothing.
    """
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None))
        .values(attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return None
    return db.session.get(OutboxMessage, message_id, populate_existing=True)


def _send_claimed(transport: Transport, message: OutboxMessage, now: datetime) -> bool:
    """Send a claimed message and record the outcome in one commit; True when it was sent."""
    try:
        transport.send(outgoing(message))
    except (OSError, smtplib.SMTPException, SealedLinkError) as error:
        message.next_attempt_at = now + backoff(message.attempts)  # no longer due this run
        message.last_error = f"{type(error).__name__}: {error}"[:500]
        sent = False
    else:
        message.sent_at = now
        message.last_error = None
        message.sealed_link = None  # delivered: the live link is kept nowhere now
        sent = True
    db.session.commit()
    return sent


def deliver_one(transport: Transport, message_id: int, now: datetime | None = None) -> bool:
    """Send one message whatever its back-off says (the job's own retries pace it).

    False when it was already sent (or no longer exists); DeliveryFailed when sending failed.
    Commits (a job-owned transaction)."""
    now = now or utcnow()
    message = _claim(message_id)
    if message is None:
        return False
    if not _send_claimed(transport, message, now):
        raise DeliveryFailed(message.last_error or "delivery failed")
    return True


def deliver_due(
    transport: Transport, now: datetime | None = None, limit: int = 100
) -> DeliveryReport:
    """Send every message that is due. Commits after each one (a CLI-owned transaction)."""
    now = now or utcnow()
    report = DeliveryReport()
    for _ in range(limit):
        message_id = _candidate(now)
        if message_id is None:
            break
        message = _claim(message_id)
        if message is None:
            continue  # another sender took it between our look and our claim
        if _send_claimed(transport, message, now):
            report.sent += 1
        else:
            report.failed += 1
    return report
