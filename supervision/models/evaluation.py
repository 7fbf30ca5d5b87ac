"""Periodic evaluations of a supervisee against a rubric (with their self-evaluation), and a
supervisee's short evaluation of a supervisor."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.extensions import db
from supervision.models.group import Group
from supervision.models.rubric import CRITERION_KEY_MAX, RubricCriterion, RubricVersion
from supervision.models.types import UTCDateTime, enum_column, utcnow
from supervision.models.user import DISPLAY_NAME_MAX, User

EVALUATION_LABEL_MAX = 80
EVALUATION_COMMENT_MAX = 8_000
CRITERION_COMMENT_MAX = 2_000
SUPERVISOR_COMMENT_MAX = 4_000
NOT_OBSERVED = "n/o"  # a form's choice of "no opportunity to observe"


class EvaluationKind(enum.StrEnum):
    MIDTERM = "midterm"
    FINAL = "final"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"midterm": "Mid-term", "final": "Final", "other": "Other"}[self.value]


class Evaluation(db.Model):
    """One evaluation of ``supervisee`` by ``evaluator`` over a period. Each side's part (levels
    and comments) is its author's alone until they mark it ready; both parties sign once both
    parts are ready, and after the first signature nothing changes."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    supervisee_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    evaluator_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    scheduled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[EvaluationKind] = mapped_column(enum_column(EvaluationKind))
    label: Mapped[str] = mapped_column(String(EVALUATION_LABEL_MAX), default="")
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    rubric_version_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_versions.id", ondelete="RESTRICT"), index=True
    )
    edit_version: Mapped[int] = mapped_column(default=1)
    evaluator_comments: Mapped[str] = mapped_column(Text, default="")
    evaluator_ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    self_comments: Mapped[str] = mapped_column(Text, default="")
    self_ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The supervisee's answer to the evaluator's part, once both parts are ready.
    supervisee_response: Mapped[str] = mapped_column(Text, default="")
    evaluator_signature: Mapped[str] = mapped_column(String(DISPLAY_NAME_MAX), default="")
    evaluator_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    supervisee_signature: Mapped[str] = mapped_column(String(DISPLAY_NAME_MAX), default="")
    supervisee_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[Group] = relationship()
    supervisee: Mapped[User] = relationship(foreign_keys=[supervisee_id])
    evaluator: Mapped[User] = relationship(foreign_keys=[evaluator_id])
    scheduled_by: Mapped[User | None] = relationship(foreign_keys=[scheduled_by_id])
    rubric_version: Mapped[RubricVersion] = relationship()
    scores: Mapped[list[EvaluationScore]] = relationship(
        back_populates="evaluation",
        cascade="all, delete-orphan",
        order_by="EvaluationScore.position",
    )

    @property
    def title(self) -> str:
        if self.kind is EvaluationKind.OTHER and self.label:
            return self.label
        return f"{self.kind.label} evaluation"

    @property
    def both_ready(self) -> bool:
        return self.evaluator_ready_at is not None and self.self_ready_at is not None

    @property
    def any_signed(self) -> bool:
        return self.evaluator_signed_at is not None or self.supervisee_signed_at is not None

    @property
    def is_signed(self) -> bool:
        """Signed by both: locked for good."""
        return self.evaluator_signed_at is not None and self.supervisee_signed_at is not None

    @property
    def status(self) -> str:
        if self.is_signed:
            return "signed"
        if self.any_signed:
            return "awaiting a signature"
        if self.both_ready:
            return "ready to sign"
        if self.evaluator_ready_at or self.self_ready_at:
            return "one part ready"
        return "in progress"


class EvaluationScore(db.Model):
    """One criterion: the evaluator's level and the supervisee's own. A level None with
    ``*_not_observed`` means "no opportunity to observe"; None without it, not chosen yet."""

    __tablename__ = "evaluation_scores"
    __table_args__ = (UniqueConstraint("evaluation_id", "criterion_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_criteria.id", ondelete="RESTRICT"), index=True
    )
    criterion_key: Mapped[str] = mapped_column(String(CRITERION_KEY_MAX))
    position: Mapped[int] = mapped_column(Integer)
    evaluator_level: Mapped[int | None] = mapped_column(Integer)
    evaluator_not_observed: Mapped[bool] = mapped_column(default=False)
    evaluator_comment: Mapped[str] = mapped_column(Text, default="")
    self_level: Mapped[int | None] = mapped_column(Integer)
    self_not_observed: Mapped[bool] = mapped_column(default=False)
    self_comment: Mapped[str] = mapped_column(Text, default="")

    evaluation: Mapped[Evaluation] = relationship(back_populates="scores")
    criterion: Mapped[RubricCriterion] = relationship()


# The supervisee's evaluation of a supervisor: (key, question) of each 1-5 item.
SUPERVISOR_ITEMS: tuple[tuple[str, str], ...] = (
    ("availability", "My supervisor was available when I needed them"),
    ("clarity", "Their feedback was clear and specific"),
    ("safety", "I felt safe bringing my mistakes"),
    ("goals", "They paid attention to my goals"),
    ("respect", "They showed respect for difference"),
)
SUPERVISOR_SCALE: dict[int, str] = {
    1: "Not at all",
    2: "Rarely",
    3: "Sometimes",
    4: "Mostly",
    5: "Fully",
}


class SupervisorEvaluation(db.Model):
    """Read by the group's facilitators, and by the supervisor only while ``shared``."""

    __tablename__ = "supervisor_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    supervisor_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    availability: Mapped[int] = mapped_column(Integer)
    clarity: Mapped[int] = mapped_column(Integer)
    safety: Mapped[int] = mapped_column(Integer)
    goals: Mapped[int] = mapped_column(Integer)
    respect: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    shared: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[Group] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id])

    def answers(self) -> list[tuple[str, int]]:
        return [(question, getattr(self, key)) for key, question in SUPERVISOR_ITEMS]
