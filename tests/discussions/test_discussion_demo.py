"""The demo workspace's discussions: lively threads in both groups, with everything the feature
does on show, and the hidden post's text nowhere a member could read it."""

from __future__ import annotations

from typing import Any

from discussion_support import Browser
from flask import Flask
from sqlalchemy import select

from supervision.demo.discussions import DEMO_THREADS
from supervision.demo.workspace import build_workspace, demo_email
from supervision.extensions import db
from supervision.models import Notification, NotificationEvent, Post, Thread, User

HIDDEN_DETAIL = "primary school on the corner"


def _login(app: Flask, handle: str) -> Browser:
    user = db.session.scalar(select(User).where(User.email == demo_email(handle)))
    user.password_hash = db.session.scalar(  # the suite's fast hash, not the demo's
        select(User.password_hash).where(User.email == "probe@example.org")
    )
    db.session.commit()
    return Browser(app, user)


def test_the_demo_has_lively_discussions_in_both_groups(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    workspace = build_workspace()
    db.session.commit()
    make_user("Probe", "probe@example.org")
    threads = list(db.session.scalars(select(Thread).where(Thread.is_demo.is_(True))))
    assert len(threads) == len(DEMO_THREADS)
    for group in workspace.groups:
        mine = [t for t in threads if t.group_id == group.id]
        assert any(t.case_id for t in mine), group.name  # a case's own discussion
        assert any(t.reply_before_read for t in mine), group.name
    assert any(t.is_pinned for t in threads)
    posts = list(db.session.scalars(select(Post)))
    assert any(p.edits for p in posts)
    hidden = [p for p in posts if p.hidden_at is not None]
    assert len(hidden) == 1 and hidden[0].hidden_reason
    assert any('class="mention"' in p.body_html for p in posts)
    assert any(p.reply_to_id for p in posts)
    assert all(t.last_post_at <= max(p.created_at for p in posts) for t in threads)

    notes = list(db.session.scalars(select(Notification)))
    assert {n.event for n in notes} >= {NotificationEvent.MENTION, NotificationEvent.POST_REPLY}
    # Ids are per kind of subject: only a notification about a post can be about the hidden one.
    assert all((n.subject_type, n.subject_id) != ("post", hidden[0].id) for n in notes)
    assert all(HIDDEN_DETAIL not in n.text for n in notes)

    jun = _login(app, "jun")  # a supervisee in one group, a peer in the other
    supervision, peer = workspace.groups
    index = jun.text(f"/groups/{supervision.id}/discussions")
    assert "How we use this space" in index and "Pinned" in index
    assert "She went quiet after I linked her manager" in index
    assert HIDDEN_DETAIL not in index
    fix = next(t for t in threads if t.title.startswith("The urge to fix"))
    page = jun.text(f"/discussions/{fix.id}")
    assert HIDDEN_DETAIL not in page and "Hidden by a facilitator: This gave details" in page
    gated = next(t for t in threads if t.title.startswith("Before Thursday"))
    page = jun.text(f"/discussions/{gated.id}")
    assert "replies are waiting for you" in page and "slower breath" not in page
    assert "Reading together" in jun.text(f"/groups/{peer.id}/discussions")

    rosa = _login(app, "rosa")  # the facilitator sees what she hid, marked as such
    page = rosa.text(f"/discussions/{fix.id}")
    assert HIDDEN_DETAIL in page and "Only facilitators see this text." in page
