"""Calibration of raters: the agreed (gold) level of each criterion of a calibration vignette."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.extensions import db
from supervision.models.case import Case
from supervision.models.rubric import CRITERION_KEY_MAX, RubricVersion
from supervision.models.types import UTCDateTime, utcnow
from supervision.models.user import User

RATIONALE_MAX = 4_000


class GoldLevel(db.Model):
    """The level a facilitator recorded as agreed for one criterion, with why. ``level`` None:
    the criterion is agreed "not visible in this vignette" (no score, left out of agreement)."""

    __tablename__ = "calibration_gold_levels"
    __table_args__ = (UniqueConstraint("case_id", "criterion_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    criterion_key: Mapped[str] = mapped_column(String(CRITERION_KEY_MAX))
    # The rubric version the facilitator scored against (descriptors come from raters' own).
    rubric_version_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_versions.id", ondelete="RESTRICT"), index=True
    )
    level: Mapped[int | None] = mapped_column(Integer)
    rationale: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship()
    rubric_version: Mapped[RubricVersion] = relationship()
    recorded_by: Mapped[User | None] = relationship()
