"""The outbox: mail is written here in the same transaction as the change that causes it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from supervision.extensions import db
from supervision.models.types import UTCDateTime, utcnow


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # A link that carries a token (reset, invitation) never sits in the body: the body holds
    # mail.services.LINK_PLACEHOLDER, the link is kept here encrypted and cleared once delivered.
    sealed_link: Mapped[str | None] = mapped_column(Text)
    # The group whose news it carries (None: account mail), so a redaction there reaches it.
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Delivery bookkeeping: retried with back-off until sent; never deleted on failure.
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
