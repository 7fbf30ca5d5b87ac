"""Discussion threads and posts: plain verbs that flush, never commit.

Post text is rendered once, on write, by ``supervision.rendering`` (with ``@Name`` mentions of
the people who can read the thread). Notifications say who did what, never what was written.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from supervision.discussions.mentions import audience, mentioned_users, render_post, site_url
from supervision.extensions import db
from supervision.models import (
    Channel,
    Group,
    NotificationEvent,
    Post,
    PostEdit,
    Thread,
    ThreadRead,
    User,
)
from supervision.models.discussion import HIDE_REASON_MAX, POST_MAX, THREAD_TITLE_MAX
from supervision.models.types import utcnow
from supervision.models.versioning import claim_edit_version
from supervision.notifications.services import channels_for, notify, withdraw_notifications
from supervision.permissions import forget_posts
from supervision.rendering import html_text_content

QUOTE_MAX = 200  # characters of the answered post a reply carries


class DiscussionError(ValueError):
    """A rule about discussions was broken; the message is safe to show to the user."""


class PostConflict(DiscussionError):
    """Someone saved the post after this form was opened."""


# -- text ---------------------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise DiscussionError("Write something first: the post is empty.")
    if len(body) > POST_MAX:
        raise DiscussionError(f"Keep a post under {POST_MAX:,} characters.")
    return body


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise DiscussionError("Give the thread a title.")
    if len(title) > THREAD_TITLE_MAX:
        raise DiscussionError(f"Keep the title under {THREAD_TITLE_MAX} characters.")
    return title


def quote_of(post: Post) -> str:
    """A short plain-text quote of a post, as a reply carries it."""
    text = " ".join(html_text_content(post.body_html).split())
    if len(text) <= QUOTE_MAX:
        return text
    cut = text[: QUOTE_MAX - 1]
    if " " in cut[QUOTE_MAX // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


def post_url(post: Post) -> str:
    return site_url("discussions.post_link", post_id=post.id)


# -- threads ------------------------------------------------------------------------------------


def create_thread(
    group: Group, author: User, title: str, body: str, *, reply_before_read: bool = False
) -> Thread:
    """A free-standing thread with its first post (the question)."""
    title = _clean_title(title)
    body = _clean_body(body)
    thread = Thread(
        group_id=group.id,
        title=title,
        author_id=author.id,
        reply_before_read=reply_before_read,
        last_post_at=utcnow(),
    )
    db.session.add(thread)
    db.session.flush()
    _write_post(thread, author, body, None)
    return thread


def set_locked(thread: Thread, locked: bool) -> None:
    thread.is_locked = locked
    db.session.flush()


def set_pinned(thread: Thread, pinned: bool) -> None:
    thread.is_pinned = pinned
    db.session.flush()


def set_reply_before_read(thread: Thread, on: bool) -> None:
    thread.reply_before_read = on
    db.session.flush()


def _refresh_last_post_at(thread: Thread) -> None:
    """A hidden or removed post does not count as activity. The latest visible post is the one
    with the highest id: a walk back along ``(thread_id, id)`` that stops at the first one."""
    latest = db.session.scalar(
        select(Post.created_at)
        .where(Post.thread_id == thread.id, Post.deleted_at.is_(None), Post.hidden_at.is_(None))
        .order_by(Post.id.desc())
        .limit(1)
    )
    thread.last_post_at = latest or thread.created_at


def _count_visible(thread: Thread, change: int) -> None:
    """Move the thread's kept count of visible posts in the database itself (``+ change``), so
    two requests changing it at once both count."""
    thread.visible_post_count = Thread.visible_post_count + change


# -- posts --------------------------------------------------------------------------------------


def add_post(thread: Thread, author: User, body: str, reply_to: Post | None = None) -> Post:
    """A post in the thread, answering ``reply_to`` if given (quoted briefly)."""
    if thread.is_locked:
        raise DiscussionError("This thread is locked: it takes no new posts.")
    body = _clean_body(body)
    if reply_to is not None:
        if reply_to.thread_id != thread.id:
            raise DiscussionError("That post is in another thread.")
        if not reply_to.is_visible:
            raise DiscussionError(
                "The post you were answering was removed or hidden. Post to the thread instead."
            )
    return _write_post(thread, author, body, reply_to)


def _write_post(thread: Thread, author: User, body: str, reply_to: Post | None) -> Post:
    body_html, mentioned = render_post(thread, body)
    now = utcnow()
    # The counters move in the database (post_count + 1): the UPDATE locks the thread's row
    # until commit, so two posts written at once get consecutive numbers, never the same one.
    thread.post_count = Thread.post_count + 1
    _count_visible(thread, +1)
    thread.last_post_at = now
    db.session.flush()
    post = Post(
        thread_id=thread.id,
        number=thread.post_count,  # read back after the UPDATE
        author_id=author.id,
        body=body,
        body_html=body_html,
        reply_to_id=reply_to.id if reply_to else None,
        reply_quote=quote_of(reply_to) if reply_to else "",
        created_at=now,
    )
    db.session.add(post)
    db.session.flush()
    if thread.first_post_id is None:
        thread.first_post_id = post.id
    forget_posts()
    _notify_new_post(thread, post, author, reply_to, mentioned)
    return post


def _notify_new_post(
    thread: Thread, post: Post, author: User, reply_to: Post | None, mentioned: list[User]
) -> None:
    """The answered post's author (or the thread's starter) hears of a reply; the people it
    mentions hear of that. Only people who may read the thread, and never the author."""
    group = _group_of(thread)
    readers = {m.user_id: m.user for m in audience(thread)}
    if reply_to is not None:
        answered, text = reply_to.author_id, f"{author.display_name} replied to your post"
    else:
        what = "the discussion of your case" if thread.case_id else "your thread"
        answered, text = thread.author_id, f"{author.display_name} posted in {what}"
    notified: set[int] = set()
    if answered in readers and answered != author.id:
        person = readers[answered]
        # Answered and mentioned at once: one notification, by whichever of the two choices
        # reaches them more (a tie goes to the mention, which says more).
        if not (
            any(user.id == answered for user in mentioned)
            and _reach(person, NotificationEvent.MENTION)
            >= _reach(person, NotificationEvent.POST_REPLY)
        ):
            notified.add(answered)
            _send(NotificationEvent.POST_REPLY, [person], f"{text} in {group.name}", post)
    _send_mentions([user for user in mentioned if user.id not in notified], post, author)


_REACH = {Channel.OFF: 0, Channel.IN_APP: 1, Channel.EMAIL: 2}


def _reach(user: User, event: NotificationEvent) -> int:
    return _REACH[channels_for([user], event)[user.id]]


def _group_of(thread: Thread) -> Group:
    group = db.session.get(Group, thread.group_id)
    assert group is not None
    return group


def _send(event: NotificationEvent, users: Iterable[User], text: str, post: Post) -> None:
    notify(
        event,
        users,
        text=text,
        url=post_url(post),
        actor=db.session.get(User, post.author_id) if post.author_id else None,
        group=_group_of(post.thread),
        subject=("post", post.id),
    )


def _send_mentions(users: list[User], post: Post, actor: User) -> None:
    if users:
        group = _group_of(post.thread)
        text = f"{actor.display_name} mentioned you in a discussion in {group.name}"
        _send(NotificationEvent.MENTION, users, text, post)


def edit_post(post: Post, editor: User, body: str, edit_version: int) -> Post:
    """Replace the post's text, keeping the previous text in its history.

    The version check is a compare-and-set in the database, so of two saves made from the same
    version exactly one wins and the other is answered with ``PostConflict``.
    """
    if not post.is_visible:
        raise DiscussionError("This post was removed or hidden; it can no longer be edited.")
    if post.thread.is_locked:
        raise DiscussionError("This thread is locked: its posts can no longer be edited.")
    body = _clean_body(body)
    if edit_version != post.edit_version:
        raise _conflict()
    if body == post.body:
        return post
    before = mentioned_users(post.thread, post.body_html)
    previous_body, previous_html = post.body, post.body_html
    if not claim_edit_version(post, edit_version):
        raise _conflict()
    now = utcnow()
    body_html, mentioned = render_post(post.thread, body)
    post.edits.append(PostEdit(body=previous_body, body_html=previous_html, replaced_at=now))
    post.body, post.body_html = body, body_html
    post.edited_at = now
    db.session.flush()
    _send_mentions([u for u in mentioned if u.id not in before], post, editor)
    return post


def _conflict() -> PostConflict:
    return PostConflict(
        "This post was changed elsewhere after you opened it (another tab or device). Your text "
        "is still in the form: copy what you need, reload the post, and apply it again."
    )


def remove_post(post: Post) -> None:
    """The author removes their post: its text and history go, a marker stays in the thread so
    replies keep their place, and the quotes replies carried of it go too."""
    if post.deleted_at is not None:
        raise DiscussionError("This post was already removed.")
    if post.hidden_at is None:  # a hidden post was already out of the visible count
        _count_visible(post.thread, -1)
    post.deleted_at = utcnow()
    post.body = ""
    post.body_html = ""
    post.edits.clear()
    db.session.execute(
        update(Post)
        .where(Post.reply_to_id == post.id)
        .values(reply_quote="")
        .execution_options(synchronize_session=False)
    )
    _refresh_last_post_at(post.thread)
    db.session.flush()
    withdraw_notifications("post", post.id)


def hide_post(post: Post, facilitator: User, reason: str) -> None:
    """A facilitator hides a post, saying why; notifications about it are withdrawn."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise DiscussionError("Say why the post is hidden: the group sees the reason.")
    if len(reason) > HIDE_REASON_MAX:
        raise DiscussionError(f"Keep the reason under {HIDE_REASON_MAX} characters.")
    if post.deleted_at is not None:
        raise DiscussionError("This post was removed by its author; there is nothing to hide.")
    if post.hidden_at is None:  # hiding it again only changes the reason
        _count_visible(post.thread, -1)
    post.hidden_at = post.hidden_at or utcnow()
    post.hidden_by_id = facilitator.id
    post.hidden_reason = reason
    _refresh_last_post_at(post.thread)
    db.session.flush()
    withdraw_notifications("post", post.id)


def unhide_post(post: Post) -> None:
    if post.hidden_at is None:
        raise DiscussionError("This post is not hidden.")
    if post.deleted_at is None:  # removed by its author meanwhile: it stays out of the count
        _count_visible(post.thread, +1)
    post.hidden_at = None
    post.hidden_by_id = None
    post.hidden_reason = ""
    _refresh_last_post_at(post.thread)
    db.session.flush()


# -- reading ------------------------------------------------------------------------------------


def mark_read(thread: Thread, user: User, up_to_post_id: int, known: int | None = None) -> bool:
    """Remember how far the user has read (never moving back); whether anything changed.

    ``known`` is the user's read mark the caller already looked up this request: a page read
    again (the common case) then costs no statement at all."""
    if up_to_post_id <= 0 or (known is not None and up_to_post_id <= known):
        return False
    if known:  # the mark exists: move it forward in one statement (never back, if raced)
        moved = db.session.execute(
            update(ThreadRead)
            .where(
                ThreadRead.thread_id == thread.id,
                ThreadRead.user_id == user.id,
                ThreadRead.last_read_post_id < up_to_post_id,
            )
            .values(last_read_post_id=up_to_post_id, read_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return bool(moved.rowcount)  # type: ignore[attr-defined]
    mark = db.session.scalar(
        select(ThreadRead).where(ThreadRead.thread_id == thread.id, ThreadRead.user_id == user.id)
    )
    if mark is None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    ThreadRead(
                        thread_id=thread.id,
                        user_id=user.id,
                        last_read_post_id=up_to_post_id,
                        read_at=utcnow(),
                    )
                )
            return True
        except IntegrityError:  # the same reader in another tab, a moment earlier
            mark = db.session.scalar(
                select(ThreadRead).where(
                    ThreadRead.thread_id == thread.id, ThreadRead.user_id == user.id
                )
            )
            assert mark is not None
    if up_to_post_id <= mark.last_read_post_id:
        return False
    mark.last_read_post_id = up_to_post_id
    mark.read_at = utcnow()
    db.session.flush()
    return True


def post_position(post: Post) -> int:
    """1-based position of the post in its thread (every post counts, removed and hidden too):
    kept on the post as it is written."""
    return post.number or 1
