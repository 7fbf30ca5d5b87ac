"""The supervisee's relationship check: a few 1-7 answers about how supervision is going.

The answers are about the reviewer of a released review (later also a supervision meeting: the
``occasion``). They reach that supervisor only pooled (relationship/trend.py); the
moment of each answer is kept for ordering alone and is never shown to anyone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from supervision.extensions import db
from supervision.models.types import UTCDateTime, utcnow

NOTE_MAX = 2_000


class RelationshipCheck(db.Model):
    __tablename__ = "relationship_checks"
    # One answer per occasion and supervisee ("review" now; "meeting" once meetings exist).
    __table_args__ = (UniqueConstraint("occasion_type", "occasion_id", "supervisee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supervisee_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    supervisor_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # The group the occasion belonged to, so a redaction in that group reaches the note.
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), index=True
    )
    occasion_type: Mapped[str] = mapped_column(String(20))
    occasion_id: Mapped[int] = mapped_column(Integer)
    safety: Mapped[int] = mapped_column(Integer)
    goals: Mapped[int] = mapped_column(Integer)
    tasks: Mapped[int] = mapped_column(Integer)
    heard: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
