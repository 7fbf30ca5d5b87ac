"""The group's list of threads and the counts beside each thread, for one viewer.

Counts come from grouped queries, so the list costs the same few queries whether it shows three
threads or thirty; what a viewer may read follows ``permissions`` (reply-before-read included).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from sqlalchemy import and_, func, literal, or_, select, tuple_
from sqlalchemy.orm import aliased, joinedload

from supervision.discussions.case_threads import case_thread
from supervision.extensions import db
from supervision.models import Case, Group, Post, Thread, ThreadRead, User
from supervision.models.types import UTCDateTime
from supervision.permissions import Permission, can, visible_threads
from supervision.rendering import html_text_content

THREADS_PER_PAGE = 30
EXCERPT_MAX = 180
FORMER_MEMBER = "A former member"


# -- counts -------------------------------------------------------------------------------------


NEW_CAP = 99  # "99+ new": beyond this a count says "at least"
# "N new" reads the posts after the viewer's read mark, this many positions at most, so a
# thread of 20,000 unread posts costs what one of a hundred does.
NEW_WINDOW = NEW_CAP + 1


@dataclass(frozen=True)
class ThreadStats:
    posts: int  # posts whose text the viewer may read
    new: int  # of those, posts by others the viewer has not seen yet (within NEW_WINDOW)
    first_new_id: int | None
    waiting: int  # replies held back until the viewer posts ("reply before you read")
    opening: Post | None  # a free thread's first post (its question)
    more_new: bool = False  # posts past NEW_WINDOW were not looked at: "new" is "at least"

    @property
    def new_label(self) -> str:
        if self.new > NEW_CAP:
            return f"{NEW_CAP}+"
        return f"{self.new}+" if self.more_new else str(self.new)


def thread_stats(user: User, threads: list[Thread]) -> dict[int, ThreadStats]:
    """Counts for each thread in two queries, whatever the number of threads or of posts.

    Totals are the threads' kept counters. "New" reads the positions just after the viewer's
    read mark, at most NEW_WINDOW of them along ``(thread_id, number)``."""
    ids = [thread.id for thread in threads]
    if not ids:
        return {}
    marked = aliased(Post)
    read_number = func.coalesce(
        select(marked.number)
        .where(marked.id == func.coalesce(ThreadRead.last_read_post_id, 0))
        .correlate(ThreadRead)  # the outer query's read mark, at whatever depth it is used
        .scalar_subquery(),
        0,
    )
    fresh = and_(
        Post.thread_id == Thread.id,
        Post.number > read_number,
        Post.number <= read_number + NEW_WINDOW,
        Post.deleted_at.is_(None),
        Post.hidden_at.is_(None),
        or_(Post.author_id.is_(None), Post.author_id != user.id),
    )
    rows = db.session.execute(
        select(
            Thread.id,
            func.coalesce(ThreadRead.last_read_post_id, 0),
            read_number,
            select(func.count()).where(fresh).scalar_subquery(),
            # The first one, not min(): the walk stops there.
            select(Post.id).where(fresh).order_by(Post.number).limit(1).scalar_subquery(),
        )
        .outerjoin(
            ThreadRead, and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == user.id)
        )
        .where(Thread.id.in_(ids))
    ).all()
    raw = {row[0]: row[1:] for row in rows}
    opening_ids = [t.first_post_id for t in threads if t.case_id is None and t.first_post_id]
    openings = (
        {
            post.thread_id: post
            for post in db.session.scalars(
                select(Post).options(joinedload(Post.author)).where(Post.id.in_(opening_ids))
            )
        }
        if opening_ids  # a case's thread alone has no opening question to fetch
        else {}
    )
    stats = {}
    for thread in threads:
        read_up_to, read_number, new, first_new = raw.get(thread.id, (0, 0, 0, None))
        total = thread.visible_post_count
        opening = openings.get(thread.id)
        if can(user, Permission.THREAD_READ_REPLIES, thread):
            more = thread.post_count - (read_number or 0) > NEW_WINDOW
            stats[thread.id] = ThreadStats(total, new or 0, first_new, 0, opening, more)
            continue
        # Reply before you read: only the question shows until the viewer has posted.
        shown = opening is not None and can(user, Permission.POST_READ, opening)
        fresh_opening = shown and opening.id > (read_up_to or 0) and opening.author_id != user.id
        stats[thread.id] = ThreadStats(
            posts=int(shown),
            new=int(fresh_opening),
            first_new_id=opening.id if fresh_opening and opening else None,
            waiting=max(total - int(shown), 0),
            opening=opening,
        )
    return stats


def display_name(user: User | None) -> str:
    return user.display_name if user is not None else FORMER_MEMBER


def _excerpt(post: Post | None, user: User) -> tuple[str, str]:
    """The question's first words, or why they do not show: (excerpt, note)."""
    if post is None:
        return "", ""
    if post.deleted_at is not None:
        return "", "The opening post was removed by its author."
    if post.hidden_at is not None:
        return "", "The opening post is hidden by a facilitator."
    if not can(user, Permission.POST_READ, post):
        return "", ""
    text = " ".join(html_text_content(post.body_html).split())
    if len(text) > EXCERPT_MAX:
        text = text[: EXCERPT_MAX - 1].rsplit(" ", 1)[0] + "…"
    return text, ""


# -- the group's list of threads ----------------------------------------------------------------


@dataclass(frozen=True)
class ThreadRow:
    id: int
    title: str
    url: str
    is_case: bool
    author_name: str
    is_pinned: bool
    is_locked: bool
    reply_before_read: bool
    posts: int
    new: int
    new_label: str
    new_url: str | None
    waiting: int
    last_post_at: datetime
    excerpt: str
    excerpt_note: str


def thread_title(thread: Thread) -> str:
    return thread.case.title if thread.case is not None else thread.title


@dataclass(frozen=True)
class PageLinks:
    """Keyset page links: None where there is no such page."""

    first_url: str | None
    prev_url: str | None
    next_url: str | None
    last_url: str | None

    @property
    def any(self) -> bool:
        return any((self.first_url, self.prev_url, self.next_url, self.last_url))


def thread_rows(
    user: User, group: Group, after: int | None = None, before: int | None = None
) -> tuple[list[ThreadRow], PageLinks]:
    """A page of the group's threads: pinned first, then the latest activity. ``after`` (or
    ``before``) is a thread of the page before (or after): the page starts past it, walking
    ``ix_threads_listing``; no OFFSET, no count."""
    key = tuple_(Thread.is_pinned, Thread.last_post_at, Thread.id)
    query = visible_threads(user, group).options(
        joinedload(Thread.author), joinedload(Thread.case).selectinload(Case.flags)
    )
    mark_id = after or before
    mark = db.session.get(Thread, mark_id) if mark_id else None
    if mark is not None and mark.group_id == group.id:
        value = tuple_(literal(mark.is_pinned), literal(mark.last_post_at, UTCDateTime), mark.id)
        query = query.where(key < value if after else key > value)
    else:
        after = before = None
    descending = (Thread.is_pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
    ascending = (Thread.is_pinned, Thread.last_post_at, Thread.id)
    found = list(
        db.session.scalars(
            query.order_by(*(ascending if before else descending)).limit(THREADS_PER_PAGE + 1)
        ).unique()
    )
    more = len(found) > THREADS_PER_PAGE
    threads = found[:THREADS_PER_PAGE]
    if before:
        threads.reverse()
    here = {"group_id": group.id}
    links = PageLinks(
        first_url=url_for("discussions.index", **here) if (after or (before and more)) else None,
        prev_url=(
            url_for("discussions.index", before=threads[0].id, **here)
            if threads and (after or (before and more))
            else None
        ),
        next_url=(
            url_for("discussions.index", after=threads[-1].id, **here)
            if threads and (before or more)
            else None
        ),
        last_url=None,
    )
    stats = thread_stats(user, threads)
    rows = []
    for thread in threads:
        counts = stats[thread.id]
        excerpt, note = _excerpt(counts.opening, user)
        rows.append(
            ThreadRow(
                id=thread.id,
                title=thread_title(thread),
                url=url_for("discussions.show", thread_id=thread.id),
                is_case=thread.case_id is not None,
                author_name=display_name(thread.author),
                is_pinned=thread.is_pinned,
                is_locked=thread.is_locked,
                reply_before_read=thread.reply_before_read,
                posts=counts.posts,
                new=counts.new,
                new_label=counts.new_label,
                new_url=(
                    url_for("discussions.post_link", post_id=counts.first_new_id)
                    if counts.first_new_id
                    else None
                ),
                waiting=counts.waiting,
                last_post_at=thread.last_post_at,
                excerpt=excerpt,
                excerpt_note=note,
            )
        )
    return rows, links


# -- the case page's link -----------------------------------------------------------------------


@dataclass(frozen=True)
class DiscussionLink:
    url: str
    posts: int
    new: int
    new_label: str
    waiting: int


def case_discussion_link(shared_case: Case, user: User) -> DiscussionLink | None:
    thread = case_thread(shared_case)
    if thread is None or not can(user, Permission.THREAD_VIEW, thread):
        return None
    counts = thread_stats(user, [thread])[thread.id]
    return DiscussionLink(
        url=url_for("discussions.show", thread_id=thread.id),
        posts=counts.posts,
        new=counts.new,
        new_label=counts.new_label,
        waiting=counts.waiting,
    )
