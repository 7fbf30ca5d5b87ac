"""The discussion rules in supervision.permissions: the SQL twins agree with the predicates, for
every kind of member and every state of a case."""

from __future__ import annotations

from typing import Any

from discussion_support import in_request, make_world, new_thread, reply, shared_case
from flask import Flask
from sqlalchemy import select

from supervision.cases.privacy import flag_case
from supervision.cases.services import close_case, create_case
from supervision.discussions import services
from supervision.discussions.case_threads import case_thread
from supervision.extensions import db
from supervision.models import Membership, Post, Role, Thread
from supervision.permissions import (
    Permission,
    can,
    forget_posts,
    forget_roles,
    thread_audience,
    visible_threads,
)


def _threads(w: Any) -> list[Thread]:
    free = new_thread(w.group, w.author)
    cases = [shared_case(w.group, w.author, title) for title in ("Open", "Closed", "Flagged")]
    close_case(cases[1])
    flag_case(cases[2], w.reader, "", "Too specific.")
    w.group.require_case_approval = True
    pending = shared_case(w.group, w.author, "Pending")
    db.session.commit()
    create_case(w.group, w.author, "Draft", {"moment": "x"})  # no thread until shared
    db.session.commit()
    return [free, *(case_thread(c) for c in (*cases, pending))]


def test_visible_threads_and_thread_audience_agree_with_thread_view(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    threads = _threads(w)
    people = [w.facilitator, w.supervisor, w.author, w.reader, w.outsider]
    with app.test_request_context():
        for user in people:
            forget_roles()
            listed = set(db.session.scalars(visible_threads(user, w.group)))
            allowed = {t for t in threads if can(user, Permission.THREAD_VIEW, t)}
            assert listed == allowed, user.display_name
        for thread in threads:
            readers = {m.user_id for m in db.session.scalars(thread_audience(thread))}
            assert readers == {u.id for u in people if can(u, Permission.THREAD_VIEW, thread)}, (
                thread.title
            )
    titles = {
        t.case.title if t.case else t.title
        for t in threads
        if can(w.reader, Permission.THREAD_VIEW, t)
    }
    assert titles == {"Holding silence", "Open", "Closed"}


def test_who_may_do_what_in_a_thread(app: Flask, make_user: Any, make_group: Any) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author, reply_before_read=True)
    robins = reply(thread, w.reader, "Mine.")
    sams = reply(thread, w.supervisor, "Sam's.")
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id).order_by(Post.id))
    with app.test_request_context():
        assert can(w.reader, Permission.THREAD_CREATE, w.group)
        assert not can(w.outsider, Permission.THREAD_CREATE, w.group)
        for permission in (Permission.THREAD_LOCK, Permission.THREAD_PIN):
            assert [can(u, permission, thread) for u in (w.facilitator, w.author, w.reader)] == [
                True,
                False,
                False,
            ]
        assert can(w.author, Permission.THREAD_SETTINGS, thread)
        assert not can(w.supervisor, Permission.THREAD_SETTINGS, thread)
        assert can(w.reader, Permission.POST_EDIT, robins)
        assert not can(w.reader, Permission.POST_EDIT, sams)
        assert not can(w.facilitator, Permission.POST_EDIT, robins)
        assert can(w.facilitator, Permission.POST_HIDE, robins)
        assert not can(w.author, Permission.POST_HIDE, robins)
        # Reply before you read: the question always; others' replies after one's own.
        assert can(w.facilitator, Permission.POST_READ, sams)  # facilitators always read
        assert can(w.reader, Permission.POST_READ, sams)  # Robin has posted
        forget_posts()
    fresh_member = make_user("Nia New")
    db.session.add(Membership(group_id=w.group.id, user_id=fresh_member.id, role=Role.SUPERVISEE))
    db.session.commit()
    with app.test_request_context():
        assert can(fresh_member, Permission.POST_READ, opening)
        assert not can(fresh_member, Permission.POST_READ, sams)
        assert not can(fresh_member, Permission.THREAD_READ_REPLIES, thread)
        assert can(fresh_member, Permission.POST_CREATE, thread)
    in_request(lambda: services.set_locked(thread, True))
    with app.test_request_context():
        assert not can(fresh_member, Permission.POST_CREATE, thread)
        assert not can(w.reader, Permission.POST_EDIT, robins)
        assert can(w.reader, Permission.POST_DELETE, robins)
    in_request(lambda: services.hide_post(sams, w.facilitator, "Off topic"))
    with app.test_request_context():
        assert not can(w.reader, Permission.POST_READ, sams)
        assert not can(w.supervisor, Permission.POST_READ, sams)  # its author neither
        assert can(w.facilitator, Permission.POST_READ, sams)
