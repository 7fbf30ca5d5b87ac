"""Scrub a redacted passage from the outbox: queued and delivered mail alike (a delivered
message's stored copy is still a copy). Only the mail of one group: account mail and other
groups' mail are never touched. The caller (a redaction hook) says what replaces the passage."""

from __future__ import annotations

from sqlalchemy import or_, select

from supervision.extensions import db
from supervision.models import OutboxMessage

SUBJECT_MAX = OutboxMessage.__table__.c.subject.type.length


def redact_outbox(group_id: int, passage: str, replacement: str) -> int:
    """Replace ``passage`` in the subject and body of the group's mail; returns occurrences."""
    count = 0
    messages = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.group_id == group_id,
            or_(
                OutboxMessage.subject.contains(passage, autoescape=True),
                OutboxMessage.body.contains(passage, autoescape=True),
            ),
        )
    )
    for message in messages:
        count += message.subject.count(passage) + message.body.count(passage)
        message.subject = message.subject.replace(passage, replacement)[:SUBJECT_MAX]
        message.body = message.body.replace(passage, replacement)
    db.session.flush()
    return count
