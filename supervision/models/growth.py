"""A supervisee's choice of who may read their growth page."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.extensions import db
from supervision.models.group import Group
from supervision.models.types import UTCDateTime, utcnow
from supervision.models.user import User


class GrowthShare(db.Model):
    """``supervisee`` lets ``supervisor`` read their growth page, for the cases of ``group``:
    per supervisor and group, revoked by deleting the row. It counts only while the supervisor
    still reviews in that group."""

    __tablename__ = "growth_shares"
    __table_args__ = (UniqueConstraint("supervisee_id", "supervisor_id", "group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supervisee_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    supervisor_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    supervisee: Mapped[User] = relationship(foreign_keys=[supervisee_id])
    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id])
    group: Mapped[Group] = relationship()
