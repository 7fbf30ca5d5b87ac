"""Case vignettes, their revisions, and the records of the anonymization gate."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.extensions import db
from supervision.models.group import Group
from supervision.models.types import UTCDateTime, enum_column, utcnow
from supervision.models.user import User

TITLE_MAX = 120
SECTION_MAX = 20_000
NOTE_MAX = 2_000
REASON_MAX = 500


class CaseStatus(enum.StrEnum):
    DRAFT = "draft"  # the author only
    PENDING = "pending_approval"  # passed the gate; waits for a facilitator
    SHARED = "shared"  # visible to the group
    CLOSED = "closed"  # read-only

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "pending_approval": "Awaiting approval",
            "shared": "Shared",
            "closed": "Closed",
        }[self.value]


class Case(db.Model):
    __tablename__ = "cases"
    # The lists, newest first by (updated_at, id): a group's (also by status) and an author's.
    __table_args__ = (
        Index("ix_cases_group_updated", "group_id", "updated_at", "id"),
        Index("ix_cases_group_status_updated", "group_id", "status", "updated_at", "id"),
        Index("ix_cases_author_updated", "author_id", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus), default=CaseStatus.DRAFT)
    # The title lists show: the published revision's, or the draft's before the first share.
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    # The revision the group sees: the newest one that passed the gate (None before sharing).
    published_number: Mapped[int | None] = mapped_column(Integer)
    # Bumped on every save; a form carrying an older value is a conflicting edit.
    edit_version: Mapped[int] = mapped_column(default=1)
    is_demo: Mapped[bool] = mapped_column(default=False)
    # The author decides whether the group sees the scores of released reviews.
    scores_visible_to_group: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A calibration vignette (often invented) that raters score to compare with agreed gold
    # levels: not a supervisee's own case, so growth and other personal views leave it out.
    is_calibration: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    group: Mapped[Group] = relationship()
    author: Mapped[User] = relationship()
    revisions: Mapped[list[CaseRevision]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseRevision.number"
    )
    flags: Mapped[list[CaseFlag]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseFlag.id"
    )
    resolutions: Mapped[list[FindingResolution]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )


class CaseRevision(db.Model):
    """One version of the vignette. Once it passed the gate (cleared_at) it never changes,
    except by redaction."""

    __tablename__ = "case_revisions"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    context: Mapped[str] = mapped_column(Text, default="")
    client: Mapped[str] = mapped_column(Text, default="")
    moment: Mapped[str] = mapped_column(Text, default="")
    reactions: Mapped[str] = mapped_column(Text, default="")
    question: Mapped[str] = mapped_column(Text, default="")
    # Sanitized HTML, rendered once on write by supervision.rendering.
    context_html: Mapped[str] = mapped_column(Text, default="")
    client_html: Mapped[str] = mapped_column(Text, default="")
    moment_html: Mapped[str] = mapped_column(Text, default="")
    reactions_html: Mapped[str] = mapped_column(Text, default="")
    question_html: Mapped[str] = mapped_column(Text, default="")
    altered_note: Mapped[str] = mapped_column(Text, default="")
    checklist: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cleared_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    case: Mapped[Case] = relationship(back_populates="revisions")


class FindingResolution(db.Model):
    """The author's answer to one scanner finding: "not identifying", with a reason.

    Keyed by section, kind and the flagged text, so it carries over to later revisions for as
    long as that text is unchanged.
    """

    __tablename__ = "finding_resolutions"
    __table_args__ = (UniqueConstraint("case_id", "section", "kind", "text"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(String(REASON_MAX))
    revision_number: Mapped[int] = mapped_column(Integer)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    resolved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="resolutions")
    resolved_by: Mapped[User | None] = relationship()


class CaseFlag(db.Model):
    """A reader's report that a passage (or the whole case) may identify the client.

    While any flag is open the case is hidden from everyone but its author and facilitators.
    """

    __tablename__ = "case_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    revision_number: Mapped[int] = mapped_column(Integer)
    passage: Mapped[str] = mapped_column(Text, default="")  # empty: the whole case
    reason: Mapped[str] = mapped_column(String(REASON_MAX))
    flagged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # "cleared" (a facilitator found it fine), "revised" (the author revised), "redacted".
    closed_how: Mapped[str | None] = mapped_column(String(20))

    case: Mapped[Case] = relationship(back_populates="flags")
    flagged_by: Mapped[User | None] = relationship(foreign_keys=[flagged_by_id])


class Redaction(db.Model):
    """That a passage was redacted, by whom and when. The passage itself is not kept."""

    __tablename__ = "redactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    redacted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    occurrences: Mapped[int] = mapped_column(Integer)
