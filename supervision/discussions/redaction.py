"""A redacted passage leaves every discussion of the case's group: thread titles, posts, their
earlier versions, the quotes replies carry and the reasons posts were hidden. Any thread of the
group, not only the case's own: members quote a case in free threads too. Never another
group's threads. Importing this module registers the hook."""

from __future__ import annotations

import re

from sqlalchemy import or_, select

from supervision.cases.privacy import register_redaction_hook, scrub
from supervision.discussions.mentions import render_post
from supervision.discussions.services import quote_of
from supervision.extensions import db
from supervision.models import Case, Post, PostEdit, Thread
from supervision.models.discussion import HIDE_REASON_MAX, THREAD_TITLE_MAX
from supervision.rendering import markdown_to_text

REPLY_QUOTE_MAX = Post.__table__.c.reply_quote.type.length


def _contains(column, passage: str):  # type: ignore[no-untyped-def]
    # A coarse filter (LIKE is case-blind on SQLite); the exact test is made in Python.
    return column.contains(passage, autoescape=True)


def _cue(passage: str) -> str:
    """The longest word of the passage: Markdown can split the passage (``**Kew** & Co``,
    ``\\<3``) but seldom a word, so posts without it cannot show the passage."""
    return max(re.findall(r"\w+", passage), key=len, default=passage)


def _scrubbed_post(body: str, passage: str) -> tuple[str, int] | None:
    """The post's source without the passage and how often it was there (None: not there).
    Where readers would still see it because the source spells it otherwise (emphasis,
    escapes), the post falls back to the plain text they see, scrubbed: formatting is lost,
    the passage is gone."""
    count = body.count(passage)
    body = scrub(body, passage)
    shown = markdown_to_text(body)
    if passage in shown:
        count += shown.count(passage)
        body = scrub(shown, passage)
    return (body, count) if count else None


@register_redaction_hook
def redact_group_discussions(case: Case, passage: str) -> int:
    """Scrub ``passage`` from the discussions of ``case``'s group; returns occurrences.

    Rendered HTML is made again from the scrubbed source (a passage with ``&`` or ``<`` is
    escaped in the HTML, so replacing inside the HTML could miss it), and a reply's quote of a
    scrubbed post is taken again, so no fragment of the passage survives its "…"."""
    count = 0
    threads = {
        thread.id: thread
        for thread in db.session.scalars(select(Thread).where(Thread.group_id == case.group_id))
    }
    if not threads:
        return 0
    for thread in threads.values():
        if passage in thread.title:
            count += thread.title.count(passage)
            thread.title = scrub(thread.title, passage, THREAD_TITLE_MAX)
    cue = _cue(passage)
    edited = select(PostEdit.post_id).where(_contains(PostEdit.body, cue))
    posts = list(
        db.session.scalars(
            select(Post).where(
                Post.thread_id.in_(list(threads)),
                or_(
                    _contains(Post.body, cue),
                    _contains(Post.reply_quote, passage),
                    _contains(Post.hidden_reason, passage),
                    Post.id.in_(edited),
                ),
            )
        )
    )
    touched: list[Post] = []
    for post in posts:
        thread = threads[post.thread_id]
        scrubbed = _scrubbed_post(post.body, passage)
        if scrubbed is not None:
            post.body, found = scrubbed
            post.body_html = render_post(thread, post.body)[0]
            post.edit_version += 1  # an edit form opened before must not bring it back
            count += found
            touched.append(post)
        for edit in post.edits:
            scrubbed = _scrubbed_post(edit.body, passage)
            if scrubbed is not None:
                edit.body, found = scrubbed
                edit.body_html = render_post(thread, edit.body)[0]
                count += found
        if passage in post.reply_quote:
            count += post.reply_quote.count(passage)
            post.reply_quote = scrub(post.reply_quote, passage, REPLY_QUOTE_MAX)
        if passage in post.hidden_reason:
            count += post.hidden_reason.count(passage)
            post.hidden_reason = scrub(post.hidden_reason, passage, HIDE_REASON_MAX)
    if touched:
        by_id = {post.id: post for post in touched}
        for reply in db.session.scalars(
            select(Post).where(Post.reply_to_id.in_(list(by_id)), Post.reply_quote != "")
        ):
            reply.reply_quote = quote_of(by_id[reply.reply_to_id])  # type: ignore[index]
    db.session.flush()
    return count
