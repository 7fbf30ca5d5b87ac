"""Groups, memberships (where roles live) and invitations."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.extensions import db
from supervision.models.types import UTCDateTime, enum_column, utcnow
from supervision.models.user import User

GROUP_NAME_MAX = 120
GROUP_DESCRIPTION_MAX = 2000


class GroupKind(enum.StrEnum):
    SUPERVISION = "supervision"
    PEER = "peer"

    @property
    def label(self) -> str:
        return {"supervision": "Supervision group", "peer": "Peer-consultation group"}[self.value]


class Role(enum.StrEnum):
    FACILITATOR = "facilitator"
    SUPERVISOR = "supervisor"
    SUPERVISEE = "supervisee"
    PEER = "peer"

    @property
    def label(self) -> str:
        return self.value.capitalize()


# Which roles make sense in which kind of group; facilitators run either kind.
ROLES_BY_KIND: dict[GroupKind, tuple[Role, ...]] = {
    GroupKind.SUPERVISION: (Role.FACILITATOR, Role.SUPERVISOR, Role.SUPERVISEE),
    GroupKind.PEER: (Role.FACILITATOR, Role.PEER),
}


class Group(db.Model):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(GROUP_NAME_MAX))
    kind: Mapped[GroupKind] = mapped_column(enum_column(GroupKind))
    description: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(default=False)
    # A facilitator approves each case before the group sees it.
    require_case_approval: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The rubric reviews use (its newest published version); None: the platform default.
    rubric_id: Mapped[int | None] = mapped_column(
        ForeignKey("rubrics.id", ondelete="SET NULL", use_alter=True), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="group", cascade="all, delete-orphan"
    )
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="group", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Group {self.id} {self.name!r}>"


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[Group] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class Invitation(db.Model):
    """A single-use invitation link; only the SHA-256 of the token is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    group: Mapped[Group] = relationship(back_populates="invitations")
    invited_by: Mapped[User | None] = relationship()
