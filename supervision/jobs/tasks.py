"""What the worker runs. Each job owns its transaction and leaves a clean session behind."""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError

from supervision.extensions import db
from supervision.mail.services import deliver_due as deliver_due_mail
from supervision.mail.services import deliver_one, transport_from_config
from supervision.models.types import utcnow
from supervision.reminders.services import deliver_due as deliver_due_reminders

log = logging.getLogger(__name__)


def deliver_mail(outbox_id: int) -> bool:
    """Send one outbox message; raises DeliveryFailed (so RQ retries) when sending fails."""
    try:
        return deliver_one(transport_from_config(), outbox_id)
    finally:
        db.session.remove()


def tick() -> dict[str, int]:
    """The periodic round: reminders that are due, then any mail still due (a job that was
    lost, or one whose retries ran out and whose back-off has passed)."""
    try:
        try:
            reminders = deliver_due_reminders(utcnow())
            db.session.commit()
        except IntegrityError:
            # A cron run delivered the same reminders at the same moment: it wins.
            db.session.rollback()
            reminders = 0
        report = deliver_due_mail(transport_from_config())
    finally:
        db.session.remove()
    log.info("tick: %d reminders, %d mail sent, %d failed", reminders, report.sent, report.failed)
    return {"reminders": reminders, "sent": report.sent, "failed": report.failed}
