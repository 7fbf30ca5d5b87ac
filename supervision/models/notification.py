"""In-app notifications and each person's choice of channel per event."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.extensions import db
from supervision.models.types import UTCDateTime, enum_column, utcnow
from supervision.models.user import User


class NotificationEvent(enum.StrEnum):
    CASE_SHARED = "case_shared"  # a case shared in my group
    REVIEW_RELEASED = "review_released"  # a review released on my case
    POST_REPLY = "post_reply"  # a reply to my post
    MENTION = "mention"
    ANNOTATION_REPLY = "annotation_reply"  # a reply or the author's answer to my annotation
    INVITATION = "invitation"
    DISCREPANCY = "discrepancy"  # on a case I reviewed
    CASE_WITH_REVIEWERS = "case_with_reviewers"  # my case reached its reviewers (an approval)
    ANNOTATION_REREVIEW = "annotation_rereview"  # a passage I annotated or cite was reworded
    TALK_REQUESTED = "talk_requested"  # a supervisee would like to talk about supervision
    AGREEMENT_TO_SIGN = "agreement_to_sign"  # a supervision agreement awaits my signature
    MEETING_TO_SIGN = "meeting_to_sign"  # a meeting entry awaits sign-off
    EVALUATION_DUE = "evaluation_due"  # an evaluation of (or by) me is due or awaits signing
    EMERGENCY_ACCESS = "emergency_access"  # a site admin opened emergency access to my group

    @property
    def label(self) -> str:
        return {
            "case_shared": "A case is shared in one of my groups",
            "review_released": "A review of my case is released",
            "post_reply": "Someone replies to my post",
            "mention": "Someone mentions me",
            "annotation_reply": "Someone replies to, or answers, my annotation",
            "invitation": "I am invited to a group",
            "discrepancy": "Reviews of a case I reviewed differ by two levels or more",
            "case_with_reviewers": "My case is approved and its reviewers can read it",
            "annotation_rereview": (
                "A revision rewords or removes a passage I annotated, or one my review cites"
            ),
            "talk_requested": "A supervisee would like to talk about how supervision is going",
            "agreement_to_sign": "A supervision agreement awaits my signature",
            "meeting_to_sign": "A supervision meeting entry awaits sign-off",
            "evaluation_due": "An evaluation is due or awaits my signature",
            "emergency_access": "A site admin opens emergency access to a group I facilitate",
        }[self.value]


class Channel(enum.StrEnum):
    IN_APP = "in_app"
    EMAIL = "email"  # in-app and email
    OFF = "off"

    @property
    def label(self) -> str:
        return {"in_app": "In the app", "email": "In the app and by email", "off": "Off"}[
            self.value
        ]


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        # One's list, newest first by (created_at, id).
        Index("ix_notifications_user_created", "user_id", "created_at", "id"),
        # The navigation's unread count on every page reads only this: the unread rows alone.
        Index(
            "ix_notifications_unread",
            "user_id",
            postgresql_where=text("read_at IS NULL"),
            sqlite_where=text("read_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    event: Mapped[NotificationEvent] = mapped_column(enum_column(NotificationEvent, 30))
    # Neutral wording only: no vignette, post or annotation text is ever stored here.
    text: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(500))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    # What it is about, so it disappears with it (a hidden post, a withdrawn case).
    subject_type: Mapped[str] = mapped_column(String(30), default="")
    subject_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class NotificationPreference(db.Model):
    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    event: Mapped[NotificationEvent] = mapped_column(enum_column(NotificationEvent, 30))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
