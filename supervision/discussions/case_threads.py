"""A case's own discussion thread: opened when the case is first shared, scrubbed when a passage
of the case is redacted. Importing this module registers both hooks."""

from __future__ import annotations

from sqlalchemy import select

from supervision.cases.gate import register_share_hook
from supervision.cases.privacy import REDACTED, register_redaction_hook
from supervision.discussions.mentions import render_post
from supervision.discussions.services import quote_of
from supervision.extensions import db
from supervision.models import Case, CaseRevision, Post, Thread
from supervision.models.types import utcnow

CASE_THREAD_TITLE = "Case discussion"


def case_thread(case: Case) -> Thread | None:
    return db.session.scalar(select(Thread).where(Thread.case_id == case.id))


def open_case_thread(case: Case) -> Thread:
    """The case's own discussion thread (created once; the case's author starts it).

    Its title is not a copy of the case's (pages show the case's own, current title), so a
    redaction of the case never has to chase it."""
    thread = case_thread(case)
    if thread is None:
        thread = Thread(
            group_id=case.group_id,
            case_id=case.id,
            title=CASE_THREAD_TITLE,
            author_id=case.author_id,
            last_post_at=utcnow(),
        )
        db.session.add(thread)
        db.session.flush()
    return thread


@register_share_hook
def _open_thread_on_first_share(case: Case, revision: CaseRevision, first_share: bool) -> None:
    if first_share:
        open_case_thread(case)


@register_redaction_hook
def redact_case_discussion(case: Case, passage: str) -> int:
    """Scrub a redacted passage from the case's own discussion: posts, their earlier versions
    and the quotes replies carry (a quote that was cut short is taken again from the scrubbed
    post, so no fragment of the passage survives its "…")."""
    thread = case_thread(case)
    if thread is None:
        return 0
    count = 0
    posts = list(db.session.scalars(select(Post).where(Post.thread_id == thread.id)))
    touched: set[int] = set()
    for post in posts:
        if passage in post.body:
            count += post.body.count(passage)
            post.body = post.body.replace(passage, REDACTED)
            post.body_html = render_post(thread, post.body)[0]
            touched.add(post.id)
        for edit in post.edits:
            if passage in edit.body:
                count += edit.body.count(passage)
                edit.body = edit.body.replace(passage, REDACTED)
                edit.body_html = render_post(thread, edit.body)[0]
    by_id = {post.id: post for post in posts}
    for post in posts:
        if passage in post.reply_quote:
            count += post.reply_quote.count(passage)
            post.reply_quote = post.reply_quote.replace(passage, REDACTED)
        parent = by_id.get(post.reply_to_id or 0)
        if post.reply_quote and parent is not None and parent.id in touched:
            post.reply_quote = quote_of(parent)
    db.session.flush()
    return count
