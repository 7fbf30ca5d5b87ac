"""Queue mail in the outbox and deliver it with retries and back-off.

Mail is queued in the same transaction as the change that causes it, so a rolled-back change
sends nothing; delivery marks each message sent in its own commit so none goes out twice.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, Protocol

from flask import current_app, render_template
from sqlalchemy import select

from supervision.extensions import db
from supervision.models import OutboxMessage
from supervision.models.types import utcnow

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)


def queue_mail(recipient: str, subject: str, template: str, **context: Any) -> OutboxMessage:
    """Render ``templates/mail/<template>.txt`` and add it to the outbox (flushes, no commit)."""
    body = render_template(f"mail/{template}.txt", **context)
    message = OutboxMessage(recipient=recipient, subject=subject[:200], body=body)
    db.session.add(message)
    db.session.flush()
    return message


class Transport(Protocol):
    def send(self, message: OutboxMessage) -> None: ...


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

    def send(self, message: OutboxMessage) -> None:
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

    def send(self, message: OutboxMessage) -> None:
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


def _claim_next(now: datetime) -> OutboxMessage | None:
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(1)
    )
    if db.engine.dialect.name == "postgresql":
        # One row at a time, locked until its commit: concurrent senders never share a message.
        query = query.with_for_update(skip_locked=True)
    return db.session.scalar(query)


def deliver_due(
    transport: Transport, now: datetime | None = None, limit: int = 100
) -> DeliveryReport:
    """Send every message that is due. Commits after each one (a CLI-owned transaction)."""
    now = now or utcnow()
    report = DeliveryReport()
    for _ in range(limit):
        message = _claim_next(now)
        if message is None:
            break
        try:
            transport.send(message)
        except (OSError, smtplib.SMTPException) as error:
            message.attempts += 1
            message.next_attempt_at = now + backoff(message.attempts)  # no longer due this run
            message.last_error = f"{type(error).__name__}: {error}"[:500]
            report.failed += 1
        else:
            message.attempts += 1
            message.sent_at = now
            message.last_error = None
            report.sent += 1
        db.session.commit()
    return report
