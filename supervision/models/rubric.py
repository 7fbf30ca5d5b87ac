"""Rubrics and their immutable published versions (after Open edX ORA2's rubric snapshots)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.extensions import db
from supervision.models.types import UTCDateTime, enum_column, utcnow

LEVELS = (1, 2, 3, 4, 5)
RUBRIC_NAME_MAX = 120
CRITERION_KEY_MAX = 40
CRITERION_TITLE_MAX = 120
CRITERION_TEXT_MAX = 2_000
DESCRIPTOR_MAX = 1_000


class VersionStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Rubric(db.Model):
    """A rubric's identity across versions. ``group_id`` None: shipped with the platform."""

    __tablename__ = "rubrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(RUBRIC_NAME_MAX))
    slug: Mapped[str | None] = mapped_column(String(60), unique=True)  # built-in rubrics only
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    versions: Mapped[list[RubricVersion]] = relationship(
        back_populates="rubric", cascade="all, delete-orphan", order_by="RubricVersion.number"
    )


class RubricVersion(db.Model):
    """One version. Once published it never changes; editing makes a new draft version."""

    __tablename__ = "rubric_versions"
    __table_args__ = (UniqueConstraint("rubric_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubrics.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[VersionStatus] = mapped_column(
        enum_column(VersionStatus), default=VersionStatus.DRAFT
    )
    name: Mapped[str] = mapped_column(String(RUBRIC_NAME_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    # Labels of the 1-5 scale points, e.g. {"1": "Counter-therapeutic", ...}.
    scale_labels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    based_on_id: Mapped[int | None] = mapped_column(
        ForeignKey("rubric_versions.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped on every save of a draft; a form carrying an older value is a conflicting edit.
    edit_version: Mapped[int] = mapped_column(default=1)

    rubric: Mapped[Rubric] = relationship(back_populates="versions")
    criteria: Mapped[list[RubricCriterion]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="RubricCriterion.position"
    )

    @property
    def is_published(self) -> bool:
        return self.status is VersionStatus.PUBLISHED


class RubricCriterion(db.Model):
    __tablename__ = "rubric_criteria"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_versions.id", ondelete="CASCADE"), index=True
    )
    # Stable across versions: trends and agreement statistics are computed per key.
    key: Mapped[str] = mapped_column(String(CRITERION_KEY_MAX))
    title: Mapped[str] = mapped_column(String(CRITERION_TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    guidance: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer)
    experimental: Mapped[bool] = mapped_column(default=False)
    # Descriptor for each level, {"1": "...", ..., "5": "..."}.
    levels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    version: Mapped[RubricVersion] = relationship(back_populates="criteria")

    def descriptor(self, level: int | None) -> str:
        return self.levels.get(str(level), "") if level is not None else ""
