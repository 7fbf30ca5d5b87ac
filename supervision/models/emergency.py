"""Emergency access: a site admin's time-boxed, read-only access to one group, with a reason.

A grant is open from ``opened_at`` until ``expires_at`` or until someone ends it
(``ended_at``); whether it is open is decided at each use against these columns, so it ends by
itself without a job.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.extensions import db
from supervision.models.group import Group
from supervision.models.types import UTCDateTime, utcnow
from supervision.models.user import User

REASON_MIN = 20
REASON_MAX = 2000
HOURS_DEFAULT = 4
HOURS_MIN = 1
HOURS_MAX = 24


class EmergencyGrant(db.Model):
    __tablename__ = "emergency_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    admin_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    group: Mapped[Group] = relationship()
    admin: Mapped[User] = relationship(foreign_keys=[admin_id])
    ended_by: Mapped[User | None] = relationship(foreign_keys=[ended_by_id])

    __table_args__ = (
        # The admins' list, newest first; a group's list for its facilitators; an admin's open
        # grants, looked up on each request they make.
        Index("ix_emergency_grants_opened", "opened_at", "id"),
        Index("ix_emergency_grants_group_opened", "group_id", "opened_at"),
        Index("ix_emergency_grants_admin_expires", "admin_id", "expires_at"),
    )

    def is_open(self, now: datetime | None = None) -> bool:
        return self.ended_at is None and self.expires_at > (now or utcnow())
