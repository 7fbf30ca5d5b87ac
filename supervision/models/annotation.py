"""Inline annotations on case text (after the W3C Web Annotation model), their anchors in each
revision, replies, the author's answers, and review scores citing them as evidence."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.extensions import db
from supervision.models.case import Case
from supervision.models.review import ReviewScore
from supervision.models.types import UTCDateTime, enum_column, utcnow
from supervision.models.user import User

ANNOTATION_BODY_MAX = 4_000
QUOTE_MAX = 2_000
CONTEXT_CHARS = 32


class AnnotationVisibility(enum.StrEnum):
    PRIVATE = "private"  # only me
    REVIEWERS = "reviewers"  # reviewers and facilitators
    SUPERVISEE = "supervisee"  # reviewers, facilitators and the case author
    GROUP = "group"  # everyone who can read the case

    @property
    def label(self) -> str:
        return {
            "private": "Only me",
            "reviewers": "Reviewers",
            "supervisee": "Reviewers and the author",
            "group": "The whole group",
        }[self.value]


class AnchorStatus(enum.StrEnum):
    CREATED = "created"  # the revision it was made on
    CARRIED = "carried"
    MOVED = "moved"
    CHANGED = "changed"  # "text changed"
    ORPHANED = "orphaned"

    @property
    def label(self) -> str:
        return {
            "created": "Original",
            "carried": "Carried forward",
            "moved": "Moved",
            "changed": "Text changed",
            "orphaned": "Passage gone",
        }[self.value]


class ResponseKind(enum.StrEnum):
    ACKNOWLEDGED = "acknowledged"
    QUESTION = "question"
    DISAGREE = "disagree"
    ADDRESSED = "addressed"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def is_open(self) -> bool:
        """A question or a disagreement still needs the reviewer's attention."""
        return self in (ResponseKind.QUESTION, ResponseKind.DISAGREE)


class Annotation(db.Model):
    __tablename__ = "annotations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Where it was made: the revision and section, and the quote as it was then.
    revision_number: Mapped[int] = mapped_column(Integer)
    section: Mapped[str] = mapped_column(String(20))
    original_exact: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    criterion_key: Mapped[str | None] = mapped_column(String(40))
    visibility: Mapped[AnnotationVisibility] = mapped_column(enum_column(AnnotationVisibility))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped by every edit: a form opened on an older version is answered with a conflict.
    edit_version: Mapped[int] = mapped_column(default=1)

    case: Mapped[Case] = relationship()
    author: Mapped[User] = relationship()
    anchors: Mapped[list[AnnotationAnchor]] = relationship(
        back_populates="annotation",
        cascade="all, delete-orphan",
        order_by="AnnotationAnchor.revision_number",
    )
    replies: Mapped[list[AnnotationReply]] = relationship(
        back_populates="annotation", cascade="all, delete-orphan", order_by="AnnotationReply.id"
    )
    response: Mapped[AnnotationResponse | None] = relationship(
        back_populates="annotation", cascade="all, delete-orphan", uselist=False
    )


class AnnotationAnchor(db.Model):
    """Where an annotation sits in one revision: W3C position and quote selectors."""

    __tablename__ = "annotation_anchors"
    __table_args__ = (UniqueConstraint("annotation_id", "revision_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    revision_number: Mapped[int] = mapped_column(Integer)
    status: Mapped[AnchorStatus] = mapped_column(enum_column(AnchorStatus))
    section: Mapped[str | None] = mapped_column(String(20))  # None when orphaned
    start: Mapped[int | None] = mapped_column(Integer)  # offsets into the section's plain text
    end: Mapped[int | None] = mapped_column(Integer)
    exact: Mapped[str] = mapped_column(Text, default="")
    prefix: Mapped[str] = mapped_column(String(CONTEXT_CHARS * 4), default="")
    suffix: Mapped[str] = mapped_column(String(CONTEXT_CHARS * 4), default="")

    annotation: Mapped[Annotation] = relationship(back_populates="anchors")


class AnnotationReply(db.Model):
    """One level of replies under an annotation."""

    __tablename__ = "annotation_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    annotation: Mapped[Annotation] = relationship(back_populates="replies")
    author: Mapped[User] = relationship()


class AnnotationResponse(db.Model):
    """The case author's answer to an annotation: acknowledged, question, disagree, addressed."""

    __tablename__ = "annotation_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[ResponseKind] = mapped_column(enum_column(ResponseKind))
    responded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    responded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    annotation: Mapped[Annotation] = relationship(back_populates="response")


class ScoreEvidence(db.Model):
    """A review's criterion score citing an annotation as its evidence."""

    __tablename__ = "score_evidence"
    __table_args__ = (UniqueConstraint("score_id", "annotation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    score_id: Mapped[int] = mapped_column(
        ForeignKey("review_scores.id", ondelete="CASCADE"), index=True
    )
    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )

    score: Mapped[ReviewScore] = relationship()
    annotation: Mapped[Annotation] = relationship()
