"""An author's own scoring of their case revision, on the rubric its reviewers use. It is never
a review: it counts in no agreement between raters and the group never sees it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.extensions import db
from supervision.models.case import Case
from supervision.models.rubric import CRITERION_KEY_MAX, RubricCriterion, RubricVersion
from supervision.models.types import UTCDateTime, enum_column, utcnow
from supervision.models.user import User


class SelfAssessmentStatus(enum.StrEnum):
    DRAFT = "draft"  # the author is scoring: the released reviews of the revision wait
    SUBMITTED = "submitted"


class SelfAssessment(db.Model):
    __tablename__ = "self_assessments"
    __table_args__ = (UniqueConstraint("case_id", "revision_number", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    revision_number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rubric_version_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_versions.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[SelfAssessmentStatus] = mapped_column(
        enum_column(SelfAssessmentStatus), default=SelfAssessmentStatus.DRAFT
    )
    # False when the author could already read a released review of the revision on starting.
    blind: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship()
    author: Mapped[User] = relationship()
    rubric_version: Mapped[RubricVersion] = relationship()
    scores: Mapped[list[SelfAssessmentScore]] = relationship(
        back_populates="assessment",
        cascade="all, delete-orphan",
        order_by="SelfAssessmentScore.position",
    )


class SelfAssessmentScore(db.Model):
    """One criterion: a level, or "not visible in this vignette" (level None)."""

    __tablename__ = "self_assessment_scores"
    __table_args__ = (UniqueConstraint("assessment_id", "criterion_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("self_assessments.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_criteria.id", ondelete="RESTRICT"), index=True
    )
    criterion_key: Mapped[str] = mapped_column(String(CRITERION_KEY_MAX))
    position: Mapped[int] = mapped_column(Integer)
    level: Mapped[int | None] = mapped_column(Integer)

    assessment: Mapped[SelfAssessment] = relationship(back_populates="scores")
    criterion: Mapped[RubricCriterion] = relationship()
