"""Group discussion threads (one per shared case, and free-standing ones), posts and their
edit history, and what each member has read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.extensions import db
from supervision.models.case import Case
from supervision.models.group import Group
from supervision.models.types import UTCDateTime, utcnow
from supervision.models.user import User

THREAD_TITLE_MAX = 160
POST_MAX = 20_000
HIDE_REASON_MAX = 500


class Thread(db.Model):
    __tablename__ = "threads"
    __table_args__ = (
        # The group's list: pinned first, then the latest activity (keyset pages walk it).
        Index("ix_threads_listing", "group_id", "is_pinned", "last_post_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    # Set for a case's own discussion thread (one per case).
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), unique=True
    )
    title: Mapped[str] = mapped_column(String(THREAD_TITLE_MAX))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    is_locked: Mapped[bool] = mapped_column(default=False, server_default=false())
    is_pinned: Mapped[bool] = mapped_column(default=False, server_default=false())
    # "Reply before you read": others' posts show only after one's own first post.
    reply_before_read: Mapped[bool] = mapped_column(default=False, server_default=false())
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Kept counters (supervision/discussions/counters.py recounts them): pages read these
    # instead of aggregating the thread's posts. post_count counts every post (removed and
    # hidden too: it numbers them); visible_post_count only those neither removed nor hidden.
    post_count: Mapped[int] = mapped_column(default=0, server_default="0")
    visible_post_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # The first post (a free thread's question). Not a foreign key: posts already point here.
    first_post_id: Mapped[int | None] = mapped_column(Integer)

    group: Mapped[Group] = relationship()
    case: Mapped[Case | None] = relationship()
    author: Mapped[User | None] = relationship()


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        # A thread's posts in order: keyset pages (?after=, ?before=) and "N new" walk this.
        Index("ix_posts_thread_id_id", "thread_id", "id"),
        # Numbered pages (?page=N, a link to a post) read a range of positions.
        Index("ix_posts_thread_id_number", "thread_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    # 1-based position in the thread, set on write from the thread's post_count (every post
    # counts, removed and hidden too, so numbers never shift).
    number: Mapped[int] = mapped_column(default=0, server_default="0")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The post this one answers (one level, as on Discourse); its quote is taken at reply time.
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), index=True
    )
    reply_quote: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    edit_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Removed by its author: kept as "removed by its author" so replies keep their sense.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Hidden by a facilitator, with a reason; hidden posts never show in any list or mail.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    hidden_reason: Mapped[str] = mapped_column(String(HIDE_REASON_MAX), default="")

    thread: Mapped[Thread] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    reply_to: Mapped[Post | None] = relationship(remote_side=[id])
    edits: Mapped[list[PostEdit]] = relationship(
        back_populates="post", cascade="all, delete-orphan", order_by="PostEdit.id"
    )

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None


class PostEdit(db.Model):
    """The text a post had before an edit: every edit is kept and visible to the group."""

    __tablename__ = "post_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    post: Mapped[Post] = relationship(back_populates="edits")


class ThreadRead(db.Model):
    """How far a member has read a thread (for "N new" counts)."""

    __tablename__ = "thread_reads"
    __table_args__ = (UniqueConstraint("thread_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    last_read_post_id: Mapped[int] = mapped_column(Integer, default=0)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
