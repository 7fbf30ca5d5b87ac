"""Supervision agreements: a group's template, and each supervisor-supervisee pair's agreement
as numbered versions that both sign.

A version's text is locked once anyone has signed it (each party signs exactly the text they
read); a change is the next version, signed again by both. Every version is kept.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.extensions import db
from supervision.models.group import Group
from supervision.models.types import UTCDateTime, utcnow
from supervision.models.user import DISPLAY_NAME_MAX, User

# The sections of every agreement and template, in reading order (their labels and default
# wording live with the feature, supervision/agreements/sections.py).
AGREEMENT_SECTION_KEYS = (
    "goals",
    "meetings",
    "feedback",
    "confidentiality",
    "emergencies",
    "disagreements",
    "other",
)
AGREEMENT_SECTION_MAX = 6_000


class AgreementTemplate(db.Model):
    """A group's own wording of the template; until a facilitator saves one, the platform
    default is used."""

    __tablename__ = "agreement_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), unique=True)
    goals: Mapped[str] = mapped_column(Text, default="")
    meetings: Mapped[str] = mapped_column(Text, default="")
    feedback: Mapped[str] = mapped_column(Text, default="")
    confidentiality: Mapped[str] = mapped_column(Text, default="")
    emergencies: Mapped[str] = mapped_column(Text, default="")
    disagreements: Mapped[str] = mapped_column(Text, default="")
    other: Mapped[str] = mapped_column(Text, default="")
    edit_version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    group: Mapped[Group] = relationship()


class Agreement(db.Model):
    """One supervisor and one supervisee in one group; a supervisee with several supervisors
    has one agreement with each."""

    __tablename__ = "agreements"
    __table_args__ = (UniqueConstraint("group_id", "supervisor_id", "supervisee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    supervisor_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    supervisee_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    group: Mapped[Group] = relationship()
    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id])
    supervisee: Mapped[User] = relationship(foreign_keys=[supervisee_id])
    versions: Mapped[list[AgreementVersion]] = relationship(
        back_populates="agreement",
        cascade="all, delete-orphan",
        order_by="AgreementVersion.number",
    )

    @property
    def latest(self) -> AgreementVersion:
        return self.versions[-1]

    @property
    def in_force(self) -> AgreementVersion | None:
        """The newest version both have signed (the one that holds while a change is drafted)."""
        signed = [version for version in self.versions if version.is_signed_by_both]
        return signed[-1] if signed else None

    def party(self, user: User) -> str | None:
        """ "supervisor" or "supervisee" when ``user`` is one of the two, else None."""
        if user.id == self.supervisor_id:
            return "supervisor"
        if user.id == self.supervisee_id:
            return "supervisee"
        return None


class AgreementVersion(db.Model):
    __tablename__ = "agreement_versions"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreements.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    goals: Mapped[str] = mapped_column(Text, default="")
    meetings: Mapped[str] = mapped_column(Text, default="")
    feedback: Mapped[str] = mapped_column(Text, default="")
    confidentiality: Mapped[str] = mapped_column(Text, default="")
    emergencies: Mapped[str] = mapped_column(Text, default="")
    disagreements: Mapped[str] = mapped_column(Text, default="")
    other: Mapped[str] = mapped_column(Text, default="")
    # Bumped on every save of the draft; a form carrying an older value is a conflicting edit.
    edit_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    supervisor_signed_name: Mapped[str | None] = mapped_column(String(DISPLAY_NAME_MAX))
    supervisor_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    supervisee_signed_name: Mapped[str | None] = mapped_column(String(DISPLAY_NAME_MAX))
    supervisee_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    agreement: Mapped[Agreement] = relationship(back_populates="versions")

    def sections(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in AGREEMENT_SECTION_KEYS}

    def signed_at(self, party: str) -> datetime | None:
        return getattr(self, f"{party}_signed_at")

    @property
    def is_locked(self) -> bool:
        """Signed by anyone: the text no longer changes."""
        return self.supervisor_signed_at is not None or self.supervisee_signed_at is not None

    @property
    def is_signed_by_both(self) -> bool:
        return self.supervisor_signed_at is not None and self.supervisee_signed_at is not None
