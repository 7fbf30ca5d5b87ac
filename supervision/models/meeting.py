"""Supervision meetings: the log of hours a board asks for.

An entry is drafted by the supervisor or an attending supervisee and signed by the supervisor
(typed name and password, ``auth/reauth.py``). A signed entry is locked; a correction is a new
entry whose ``corrects_id`` names it, and once the correction is signed it counts instead.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.extensions import db
from supervision.models.case import Case
from supervision.models.group import Group
from supervision.models.types import UTCDateTime, enum_column, utcnow
from supervision.models.user import DISPLAY_NAME_MAX, User

MEETING_TEXT_MAX = 10_000
DURATION_MIN = 5
DURATION_MAX = 600


class MeetingFormat(enum.StrEnum):
    INDIVIDUAL = "individual"
    TRIADIC = "triadic"
    GROUP = "group"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class MeetingModality(enum.StrEnum):
    IN_PERSON = "in_person"
    VIDEO = "video"
    PHONE = "phone"

    @property
    def label(self) -> str:
        return {"in_person": "In person", "video": "Video", "phone": "Phone"}[self.value]


class ReviewedWork(enum.StrEnum):
    NONE = "none"
    LIVE = "live"
    RECORDED = "recorded"

    @property
    def label(self) -> str:
        return {"none": "None", "live": "Live work", "recorded": "Recorded work"}[self.value]


class Meeting(db.Model):
    __tablename__ = "meetings"
    # The group's list and a supervisor's hours: by day, newest first.
    __table_args__ = (
        Index("ix_meetings_group_held", "group_id", "held_on", "id"),
        Index("ix_meetings_supervisor_held", "supervisor_id", "held_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    held_on: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    format: Mapped[MeetingFormat] = mapped_column(enum_column(MeetingFormat))
    modality: Mapped[MeetingModality] = mapped_column(enum_column(MeetingModality))
    reviewed_work: Mapped[ReviewedWork] = mapped_column(
        enum_column(ReviewedWork), default=ReviewedWork.NONE
    )
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    notes: Mapped[str] = mapped_column(Text, default="")
    notes_html: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[str] = mapped_column(Text, default="")
    follow_up_html: Mapped[str] = mapped_column(Text, default="")
    drafted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The signed entry this one corrects; it counts instead of that one once signed.
    corrects_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    edit_version: Mapped[int] = mapped_column(default=1)
    signed_name: Mapped[str | None] = mapped_column(String(DISPLAY_NAME_MAX))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[Group] = relationship()
    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id])
    drafted_by: Mapped[User | None] = relationship(foreign_keys=[drafted_by_id])
    corrects: Mapped[Meeting | None] = relationship(remote_side=[id])
    attendees: Mapped[list[MeetingAttendee]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingAttendee.id"
    )
    cases: Mapped[list[MeetingCase]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingCase.id"
    )

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def attendee_ids(self) -> set[int]:
        return {attendee.user_id for attendee in self.attendees}

    def __repr__(self) -> str:
        return f"<Meeting {self.id} {self.held_on}>"


class MeetingAttendee(db.Model):
    """A supervisee who attended."""

    __tablename__ = "meeting_attendees"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")
    user: Mapped[User] = relationship()


class MeetingCase(db.Model):
    """A case of the group discussed at the meeting."""

    __tablename__ = "meeting_cases"
    __table_args__ = (UniqueConstraint("meeting_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)

    meeting: Mapped[Meeting] = relationship(back_populates="cases")
    case: Mapped[Case] = relationship()
