"""That a reminder (an unsigned meeting entry, an evaluation due, an agreement to sign) was
delivered to one person: each key reaches each person once, however often the sources ask."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from supervision.extensions import db
from supervision.models.notification import NotificationEvent
from supervision.models.types import UTCDateTime, enum_column, utcnow

REMINDER_KEY_MAX = 200


class ReminderDelivery(db.Model):
    __tablename__ = "reminder_deliveries"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(REMINDER_KEY_MAX))  # "meeting:41:sign"
    event: Mapped[NotificationEvent] = mapped_column(enum_column(NotificationEvent, 30))
    delivered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
