"""The group's list of threads and the counts beside each thread, for one viewer.

Counts come from grouped queries, so the list costs the same few queries whether it shows three
threads or thirty; what a viewer may read follows ``permissions`` (reply-before-read included).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from supervision.discussions.case_threads import case_thread
from supervision.extensions import db
from supervision.models import Case, Group, Post, Thread, ThreadRead, User
from supervision.permissions import Permission, can, visible_threads
from supervision.rendering import html_text_content

THREADS_PER_PAGE = 30
EXCERPT_MAX = 180
FORMER_MEMBER = "A former member"


# -- counts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThreadStats:
    posts: int  # posts whose text the viewer may read
    new: int  # of those, posts by others the viewer has not seen yet
    first_new_id: int | None
    waiting: int  # replies held back until the viewer posts ("reply before you read")
    opening: Post | None  # a free thread's first post (its question)


def thread_stats(user: User, threads: list[Thread]) -> dict[int, ThreadStats]:
    """Counts for each thread in two queries, whatever the number of threads."""
    ids = [thread.id for thread in threads]
    if not ids:
        return {}
    last_read = func.coalesce(ThreadRead.last_read_post_id, 0)
    visible = and_(Post.deleted_at.is_(None), Post.hidden_at.is_(None))
    by_others = or_(Post.author_id.is_(None), Post.author_id != user.id)
    fresh = and_(visible, by_others, Post.id > last_read)
    rows = db.session.execute(
        select(
            Post.thread_id,
            func.sum(case((visible, 1), else_=0)),
            func.sum(case((fresh, 1), else_=0)),
            func.min(case((fresh, Post.id))),
            func.min(Post.id),
            func.max(last_read),
        )
        .outerjoin(
            ThreadRead, and_(ThreadRead.thread_id == Post.thread_id, ThreadRead.user_id == user.id)
        )
        .where(Post.thread_id.in_(ids))
        .group_by(Post.thread_id)
    ).all()
    raw = {row[0]: row[1:] for row in rows}
    free = {thread.id for thread in threads if thread.case_id is None}
    opening_ids = [values[3] for thread_id, values in raw.items() if thread_id in free]
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
        total, new, first_new, _first, read_up_to = raw.get(thread.id, (0, 0, None, None, 0))
        opening = openings.get(thread.id)
        if can(user, Permission.THREAD_READ_REPLIES, thread):
            stats[thread.id] = ThreadStats(total or 0, new or 0, first_new, 0, opening)
            continue
        # Reply before you read: only the question shows until the viewer has posted.
        shown = opening is not None and can(user, Permission.POST_READ, opening)
        fresh_opening = shown and opening.id > (read_up_to or 0) and opening.author_id != user.id
        stats[thread.id] = ThreadStats(
            posts=int(shown),
            new=int(fresh_opening),
            first_new_id=opening.id if fresh_opening and opening else None,
            waiting=(total or 0) - int(shown),
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
    new_url: str | None
    waiting: int
    last_post_at: datetime
    excerpt: str
    excerpt_note: str


def thread_title(thread: Thread) -> str:
    return thread.case.title if thread.case is not None else thread.title


def thread_rows(user: User, group: Group, page_number: int) -> tuple[list[ThreadRow], Pagination]:
    query = (
        visible_threads(user, group)
        .options(
            joinedload(Thread.author),
            joinedload(Thread.case).selectinload(Case.flags),
        )
        .order_by(Thread.is_pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
    )
    page = db.paginate(query, page=page_number, per_page=THREADS_PER_PAGE, error_out=False)
    threads = list(page.items)
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
    return rows, page


# -- the case page's link -----------------------------------------------------------------------


@dataclass(frozen=True)
class DiscussionLink:
    url: str
    posts: int
    new: int
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
        waiting=counts.waiting,
    )
