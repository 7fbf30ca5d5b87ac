"""What the discussion pages show, decided once per viewer.

Every post's text passes ``can(user, POST_READ, post)`` (reply-before-read, hidden and removed
posts); lists come from ``visible_threads``. Counts come from grouped queries, so a page costs
the same few queries whether it lists three threads or thirty. Templates get ready values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from flask import abort, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from supervision.discussions.listing import (
    FORMER_MEMBER,
    PageLinks,
    display_name,
    thread_stats,
    thread_title,
)
from supervision.discussions.mentions import audience
from supervision.discussions.services import quote_of
from supervision.extensions import db
from supervision.models import Membership, Post, Thread, ThreadRead, User
from supervision.permissions import Permission, can

POSTS_PER_PAGE = 20


# -- one thread ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyRef:
    """What a reply answers: a link to the post and, when the viewer may read it, its quote."""

    author_name: str
    url: str
    quote: str
    note: str


@dataclass(frozen=True)
class PostView:
    id: int
    number: int
    author_name: str
    is_own: bool
    created_at: datetime
    is_new: bool
    state: str  # "shown", "removed" or "hidden"
    body_html: str  # sanitized on write by supervision.rendering: `|safe` in templates
    hidden_reason: str
    edited_at: datetime | None
    history_url: str | None
    reply: ReplyRef | None
    reply_url: str | None
    edit_url: str | None
    delete_url: str | None
    hide_url: str | None
    unhide_url: str | None


@dataclass(frozen=True)
class ReplyTarget:
    id: int
    author_name: str
    quote: str
    url: str


@dataclass(frozen=True)
class MentionCandidate:
    id: int  # membership id
    name: str
    role: str


def mention_candidates(memberships: list[Membership], user: User) -> list[MentionCandidate]:
    """The people the composer suggests: everyone who may read, but the writer."""
    people = sorted(
        (m for m in memberships if m.user_id != user.id), key=lambda m: m.user.display_name.lower()
    )
    return [MentionCandidate(m.id, m.user.display_name, m.role.label) for m in people]


def candidates_json(candidates: list[MentionCandidate]) -> str:
    """The candidates for mentions.js, as a plain string: the attribute it goes into escapes it."""
    return json.dumps(
        [{"id": c.id, "name": c.name, "role": c.role} for c in candidates], ensure_ascii=False
    )


@dataclass
class ThreadView:
    thread: Thread
    title: str
    case_url: str | None
    posts: list[PostView]
    links: PageLinks
    gated: bool
    waiting: int
    can_post: bool
    can_lock: bool
    can_pin: bool
    can_settings: bool
    members: list[MentionCandidate]
    members_json: str
    reply_target: ReplyTarget | None
    last_shown_id: int
    last_read_id: int  # the viewer's read mark before this view (0: none yet)


def _reply_ref(post: Post, parent: Post | None, on_page: set[int], user: User) -> ReplyRef | None:
    if post.reply_to_id is None:
        return None
    if parent is None:
        return ReplyRef(FORMER_MEMBER, "", "", "The post it answered no longer exists.")
    url = (
        f"#post-{parent.id}"
        if parent.id in on_page
        else url_for("discussions.post_link", post_id=parent.id)
    )
    name = display_name(parent.author)
    if parent.deleted_at is not None:
        return ReplyRef(name, url, "", "That post was removed by its author.")
    readable = can(user, Permission.POST_READ, parent)
    if parent.hidden_at is not None:
        quote = post.reply_quote if readable else ""
        return ReplyRef(name, url, quote, "That post is hidden by a facilitator.")
    return ReplyRef(name, url, post.reply_quote if readable else "", "")


def _post_view(
    post: Post, number: int, user: User, last_read: int, reply: ReplyRef | None, locked: bool
) -> PostView:
    readable = can(user, Permission.POST_READ, post)
    state = "removed" if post.deleted_at else "hidden" if post.hidden_at else "shown"
    own = post.author_id == user.id

    def link(endpoint: str, allowed: bool) -> str | None:
        return url_for(endpoint, post_id=post.id) if allowed else None

    return PostView(
        id=post.id,
        number=number,
        author_name=display_name(post.author),
        is_own=own,
        created_at=post.created_at,
        is_new=state == "shown" and not own and post.id > last_read,
        state=state,
        body_html=post.body_html if readable else "",
        hidden_reason=post.hidden_reason if state == "hidden" else "",
        edited_at=post.edited_at if readable else None,
        history_url=link("discussions.history", readable and post.edited_at is not None),
        reply=reply,
        reply_url=(
            url_for("discussions.show", thread_id=post.thread_id, reply_to=post.id) + "#composer"
            if state == "shown" and not locked and readable
            else None
        ),
        edit_url=link("discussions.edit", can(user, Permission.POST_EDIT, post)),
        delete_url=link("discussions.delete", can(user, Permission.POST_DELETE, post)),
        hide_url=link(
            "discussions.hide", state == "shown" and can(user, Permission.POST_HIDE, post)
        ),
        unhide_url=link(
            "discussions.unhide", state == "hidden" and can(user, Permission.POST_HIDE, post)
        ),
    )


def _last_read(thread: Thread, user: User) -> int:
    return (
        db.session.scalar(
            select(ThreadRead.last_read_post_id).where(
                ThreadRead.thread_id == thread.id, ThreadRead.user_id == user.id
            )
        )
        or 0
    )


def reply_target(thread: Thread, user: User, post_id: int | None) -> ReplyTarget | None:
    """The post the composer answers, if it is in this thread and the viewer may read it."""
    if not post_id:
        return None
    post = db.session.get(Post, post_id)
    if (
        post is None
        or post.thread_id != thread.id
        or not post.is_visible
        or not can(user, Permission.POST_READ, post)
    ):
        return None
    return ReplyTarget(post.id, display_name(post.author), quote_of(post), f"#post-{post.id}")


def last_page(thread: Thread) -> int:
    """The number of the thread's last page (where new posts land), from its kept count."""
    return max(1, -(-thread.post_count // POSTS_PER_PAGE))


def page_of(number: int) -> int:
    """The numbered page a post's position falls on."""
    return max(1, -(-number // POSTS_PER_PAGE))


def _thread_posts(
    thread: Thread, page_number: int, after: int | None, before: int | None
) -> list[Post]:
    """One page of posts, each a range read along an index: ``after``/``before`` a post id
    walk ``(thread_id, id)``; a numbered page reads its positions off ``(thread_id, number)``."""
    base = select(Post).options(joinedload(Post.author)).where(Post.thread_id == thread.id)
    if after is not None:
        return list(
            db.session.scalars(base.where(Post.id > after).order_by(Post.id).limit(POSTS_PER_PAGE))
        )
    if before is not None:
        newest_first = db.session.scalars(
            base.where(Post.id < before).order_by(Post.id.desc()).limit(POSTS_PER_PAGE)
        )
        return list(reversed(list(newest_first)))
    if page_number > 1 and page_number > last_page(thread):
        abort(404)
    start = (page_number - 1) * POSTS_PER_PAGE
    # The LIMIT changes no result (a page's range holds at most a page of posts) but the
    # plan: without it, PostgreSQL guesses a long thread's early range holds thousands of rows
    # (most threads are short, so low numbers are common) and chose a parallel bitmap scan
    # and a hash join over every user (37 ms); with it, an index range read (0.3 ms).
    page = base.where(Post.number > start, Post.number <= start + POSTS_PER_PAGE)
    return list(db.session.scalars(page.order_by(Post.number).limit(POSTS_PER_PAGE)))


def _post_links(thread: Thread, items: list[Post]) -> PageLinks:
    """First, older, newer and last: keyset links from the posts on the page and the counter."""
    if not items:
        return PageLinks(None, None, None, None)
    first, last = items[0], items[-1]
    at_end = last.number >= thread.post_count
    older = first.number > 1
    here = {"thread_id": thread.id}
    return PageLinks(
        first_url=url_for("discussions.show", **here) if older else None,
        prev_url=url_for("discussions.show", before=first.id, **here) if older else None,
        next_url=None if at_end else url_for("discussions.show", after=last.id, **here),
        last_url=None if at_end else url_for("discussions.show", page=last_page(thread), **here),
    )


def thread_view(
    thread: Thread,
    user: User,
    page_number: int,
    reply_to: int | None = None,
    *,
    after: int | None = None,
    before: int | None = None,
) -> ThreadView:
    last_read = _last_read(thread, user)
    gated = not can(user, Permission.THREAD_READ_REPLIES, thread)
    links = PageLinks(None, None, None, None)
    waiting = 0
    if gated:
        stats = thread_stats(user, [thread])[thread.id]
        opening = stats.opening if stats.posts else None
        items = [opening] if opening is not None else []
        waiting = stats.waiting
    else:
        items = _thread_posts(thread, page_number, after, before)
        links = _post_links(thread, items)
    parent_ids = {post.reply_to_id for post in items if post.reply_to_id}
    parents = (
        {
            parent.id: parent
            for parent in db.session.scalars(
                select(Post).options(joinedload(Post.author)).where(Post.id.in_(parent_ids))
            )
        }
        if parent_ids
        else {}
    )
    on_page = {post.id for post in items}
    posts = [
        _post_view(
            post,
            post.number,
            user,
            last_read,
            _reply_ref(post, parents.get(post.reply_to_id or 0), on_page, user),
            thread.is_locked,
        )
        for post in items
    ]
    can_post = can(user, Permission.POST_CREATE, thread)
    members = mention_candidates(audience(thread), user)
    return ThreadView(
        thread=thread,
        title=thread_title(thread),
        case_url=url_for("cases.show", case_id=thread.case_id) if thread.case_id else None,
        posts=posts,
        links=links,
        gated=gated,
        waiting=waiting,
        can_post=can_post,
        can_lock=can(user, Permission.THREAD_LOCK, thread),
        can_pin=can(user, Permission.THREAD_PIN, thread),
        can_settings=can(user, Permission.THREAD_SETTINGS, thread),
        members=members,
        members_json=candidates_json(members),
        reply_target=reply_target(thread, user, reply_to) if can_post else None,
        last_shown_id=max(on_page, default=0),
        last_read_id=last_read,
    )


# -- a post's history ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionView:
    number: int
    body_html: str  # sanitized on write: `|safe` in templates
    written_at: datetime
    replaced_at: datetime | None  # None for the current text


def post_history(post: Post) -> list[VersionView]:
    """Every text the post has had, newest first."""
    versions = []
    started = post.created_at
    for number, edit in enumerate(post.edits, start=1):
        versions.append(VersionView(number, edit.body_html, started, edit.replaced_at))
        started = edit.replaced_at
    versions.append(VersionView(len(post.edits) + 1, post.body_html, started, None))
    return list(reversed(versions))
