"""Reviews of a case revision against a rubric version, and reconciliation of discrepancies."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.extensions import db
from supervision.models.case import Case
from supervision.models.rubric import (
    CRITERION_KEY_MAX,
    CRITERION_TITLE_MAX,
    RubricCriterion,
    RubricVersion,
)
from supervision.models.types import UTCDateTime, enum_column, utcnow
from supervision.models.user import User

FEEDBACK_MAX = 20_000
COMMENT_MAX = 4_000
EVIDENCE_MAX = 4_000


class ReviewStatus(enum.StrEnum):
    DRAFT = "draft"  # the reviewer only
    SUBMITTED = "submitted"  # final for its revision; other reviewers' scores unblinded
    RELEASED = "released"  # the supervisee sees it

    @property
    def label(self) -> str:
        return {"draft": "Draft", "submitted": "Submitted", "released": "Released"}[self.value]


class Review(db.Model):
    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("case_id", "revision_number", "reviewer_id"),
        # One's reviews by state, newest first (the desk's drafts).
        Index("ix_reviews_reviewer_status_updated", "reviewer_id", "status", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    revision_number: Mapped[int] = mapped_column(Integer)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The exact rubric version the reviewer saw.
    rubric_version_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_versions.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[ReviewStatus] = mapped_column(
        enum_column(ReviewStatus), default=ReviewStatus.DRAFT
    )
    overall_feedback: Mapped[str] = mapped_column(Text, default="")
    overall_feedback_html: Mapped[str] = mapped_column(Text, default="")
    private_notes: Mapped[str] = mapped_column(Text, default="")
    edit_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship()
    reviewer: Mapped[User] = relationship()
    rubric_version: Mapped[RubricVersion] = relationship()
    scores: Mapped[list[ReviewScore]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewScore.position"
    )


class ReviewScore(db.Model):
    """One criterion of one review: a level, or "not visible in this vignette" (no score)."""

    __tablename__ = "review_scores"
    __table_args__ = (UniqueConstraint("review_id", "criterion_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_criteria.id", ondelete="RESTRICT"), index=True
    )
    criterion_key: Mapped[str] = mapped_column(String(CRITERION_KEY_MAX))
    position: Mapped[int] = mapped_column(Integer)
    level: Mapped[int | None] = mapped_column(Integer)
    not_visible: Mapped[bool] = mapped_column(default=False)
    comment: Mapped[str] = mapped_column(Text, default="")
    # Quoted passages of the vignette that are the evidence for this criterion, one per line.
    evidence: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review] = relationship(back_populates="scores")
    criterion: Mapped[RubricCriterion] = relationship()


class ReconciliationNote(db.Model):
    """Reviewers discussing a discrepancy on one criterion of one revision."""

    __tablename__ = "reconciliation_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    revision_number: Mapped[int] = mapped_column(Integer)
    criterion_key: Mapped[str] = mapped_column(String(CRITERION_KEY_MAX))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class ConsensusScore(db.Model):
    """The level the reviewers agreed on for a criterion, with an optional dissent."""

    __tablename__ = "consensus_scores"
    __table_args__ = (UniqueConstraint("case_id", "revision_number", "criterion_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    revision_number: Mapped[int] = mapped_column(Integer)
    criterion_key: Mapped[str] = mapped_column(String(CRITERION_KEY_MAX))
    level: Mapped[int | None] = mapped_column(Integer)  # None: agreed "not visible"
    dissent_note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped[User | None] = relationship()


class ReviewUnblinding(db.Model):
    """A reviewer's choice to read other reviews of a revision before scoring it blind. Their
    review of that revision, started before or after, is then not blind: it says so, and
    agreement between reviewers is measured without it."""

    __tablename__ = "review_unblindings"
    __table_args__ = (UniqueConstraint("user_id", "case_id", "revision_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    revision_number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewDiscrepancy(db.Model):
    """A criterion on which the blind submitted reviews of a revision lie two levels or more
    apart (``reviews.services.discrepancies``'s rule, consensus or not). Kept by
    ``reviews.discrepancy_rows`` when a review is submitted or a reviewer unblinded, so the
    desk reads a page of them by index instead of aggregating every score of every revision a
    supervisor reviewed."""

    __tablename__ = "review_discrepancies"
    # One row per criterion of a revision; the key finds a case's rows (the desk's join).
    __table_args__ = (UniqueConstraint("case_id", "revision_number", "criterion_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    revision_number: Mapped[int] = mapped_column(Integer)
    criterion_key: Mapped[str] = mapped_column(String(CRITERION_KEY_MAX))
    criterion_title: Mapped[str] = mapped_column(String(CRITERION_TITLE_MAX))
    spread: Mapped[int] = mapped_column(Integer)  # highest level less the lowest
