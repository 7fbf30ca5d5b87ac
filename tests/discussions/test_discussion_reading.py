"""Reply before you read, unread counts, and the bounded number of queries behind the lists."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from discussion_support import (
    Browser,
    fresh,
    in_request,
    make_world,
    new_thread,
    post_ids,
    reply,
)
from flask import Flask
from sqlalchemy import event, select

from supervision.discussions import services
from supervision.discussions.case_threads import case_thread
from supervision.extensions import db
from supervision.models import Post, Thread

QUESTION = "Would you accept a small gift at the last session?"
SAM_VIEW = "I would accept it and talk about what it means."
FRAN_VIEW = "It depends on the gift; I would wonder aloud with her first."


def _gated_thread(w: Any) -> Thread:
    thread = new_thread(w.group, w.author, title="A gift", body=QUESTION, reply_before_read=True)
    reply(thread, w.supervisor, SAM_VIEW)
    reply(thread, w.facilitator, FRAN_VIEW)
    return thread


def test_reply_before_read_shows_others_replies_only_after_ones_own(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = _gated_thread(w)
    robin = Browser(app, w.reader)
    page = robin.text(f"/discussions/{thread.id}")
    assert QUESTION in page  # the question stays visible
    assert SAM_VIEW not in page and FRAN_VIEW not in page
    assert "2 replies are waiting for you." in page
    index = robin.text(f"/groups/{w.group.id}/discussions")
    assert "1 post" in index and "2 more after you reply" in index
    assert SAM_VIEW not in index
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id).order_by(Post.id))
    sam_post = db.session.scalar(select(Post).where(Post.body == SAM_VIEW))
    assert robin.status(f"/discussions/posts/{sam_post.id}/history") == 403
    response = robin.post(
        f"/discussions/{thread.id}/posts", {"body": "Mine first", "reply_to": sam_post.id}
    )
    assert response.status_code == 400  # cannot answer what one may not read yet
    assert "Mine first" in response.get_data(as_text=True)

    response = robin.post(f"/discussions/{thread.id}/posts", {"body": "My own view, unbiased."})
    assert response.status_code == 302
    page = robin.text(f"/discussions/{thread.id}")
    assert SAM_VIEW in page and FRAN_VIEW in page and QUESTION in page
    assert len(post_ids(page)) == 4 and post_ids(page)[0] == opening.id


def test_the_starter_and_facilitators_always_see_every_reply(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.supervisor, body=QUESTION, reply_before_read=True)
    reply(thread, w.reader, SAM_VIEW)
    for user in (w.supervisor, w.facilitator):
        page = Browser(app, user).text(f"/discussions/{thread.id}")
        assert SAM_VIEW in page and "waiting for you" not in page
    assert SAM_VIEW not in Browser(app, w.author).text(f"/discussions/{thread.id}")


def test_the_starter_or_a_facilitator_turns_reply_before_read_on_and_off(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author, body=QUESTION)
    reply(thread, w.supervisor, SAM_VIEW)
    robin = Browser(app, w.reader)
    assert (
        robin.post(f"/discussions/{thread.id}/settings", {"reply_before_read": "y"}).status_code
        == 403
    )
    settings_form = f'action="/discussions/{thread.id}/settings"'
    assert settings_form not in robin.text(f"/discussions/{thread.id}")
    alex = Browser(app, w.author)
    assert (
        alex.post(f"/discussions/{thread.id}/settings", {"reply_before_read": "y"}).status_code
        == 302
    )
    assert fresh(Thread, thread.id).reply_before_read
    assert SAM_VIEW not in robin.text(f"/discussions/{thread.id}")
    fran = Browser(app, w.facilitator)
    assert fran.post(f"/discussions/{thread.id}/settings", {}).status_code == 302
    assert not fresh(Thread, thread.id).reply_before_read
    assert SAM_VIEW in robin.text(f"/discussions/{thread.id}")


def _new_count(index: str, thread: Thread) -> int:
    match = re.search(rf'id="thread-{thread.id}".*?</li>', index, re.DOTALL)
    assert match, index
    found = re.search(r"(\d+) new<span", match.group(0))
    return int(found.group(1)) if found else 0


def test_unread_counts_follow_what_each_member_has_read(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author)
    other = new_thread(w.group, w.supervisor, title="Other")
    reply(thread, w.supervisor, "One")
    hidden = reply(thread, w.facilitator, "Two")
    in_request(lambda: services.hide_post(hidden, w.facilitator, "Posted in the wrong thread."))
    robin = Browser(app, w.reader)
    index = robin.text(f"/groups/{w.group.id}/discussions")
    assert _new_count(index, thread) == 2  # the question and "One"; never a hidden post
    assert _new_count(index, other) == 1
    first_new = db.session.scalar(select(Post).where(Post.thread_id == thread.id).order_by(Post.id))
    assert f'href="/discussions/posts/{first_new.id}"' in index

    page = robin.text(f"/discussions/{thread.id}")
    assert page.count("post--new") == 2
    index = robin.text(f"/groups/{w.group.id}/discussions")
    assert _new_count(index, thread) == 0 and _new_count(index, other) == 1

    reply(thread, w.author, "Three")
    robin.post(f"/discussions/{thread.id}/posts", {"body": "Mine does not count"})
    assert _new_count(robin.text(f"/groups/{w.group.id}/discussions"), thread) == 1
    assert _new_count(Browser(app, w.author).text(f"/groups/{w.group.id}/discussions"), thread) == 2


def test_a_page_marks_read_only_what_it_showed(app: Flask, make_user: Any, make_group: Any) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author, body="Post 1")
    for number in range(2, 26):
        reply(thread, w.supervisor, f"Post {number}")
    robin = Browser(app, w.reader)
    robin.text(f"/discussions/{thread.id}")  # page 1 of 2
    assert _new_count(robin.text(f"/groups/{w.group.id}/discussions"), thread) == 5
    robin.text(f"/discussions/{thread.id}?page=1")  # reading back does not move the mark back
    robin.text(f"/discussions/{thread.id}?page=2")
    assert _new_count(robin.text(f"/groups/{w.group.id}/discussions"), thread) == 0


def _count_queries(action: Callable[[], Any]) -> int:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_the_list_costs_the_same_queries_for_3_or_30_threads(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    from discussion_support import shared_case

    w = make_world(make_user, make_group)
    robin = Browser(app, w.reader)
    path = f"/groups/{w.group.id}/discussions"

    def add_threads(count: int) -> None:
        for number in range(count):
            if number % 3 == 0:  # a case's thread, with the case's own visibility rule
                thread = case_thread(shared_case(w.group, w.author, f"Case {number}"))
            else:
                thread = new_thread(
                    w.group, w.author, title=f"T{number}", reply_before_read=number % 3 == 2
                )
            reply(thread, w.supervisor, "A reply")
            if number % 5 == 0:
                robin.text(f"/discussions/{thread.id}")

    add_threads(3)
    robin.text(path)
    few = _count_queries(lambda: robin.text(path))
    add_threads(27)
    many = _count_queries(lambda: robin.text(path))
    assert robin.text(path).count('class="card thread-row"') == 30
    assert many == few, (few, many)


def test_a_thread_page_costs_the_same_queries_for_few_or_many_posts(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author)
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    robin = Browser(app, w.reader)
    for number in range(2):
        reply(thread, w.supervisor, f"Reply {number}", to=opening)
    robin.text(f"/discussions/{thread.id}")
    few = _count_queries(lambda: robin.text(f"/discussions/{thread.id}"))
    for number in range(15):
        reply(thread, w.author if number % 2 else w.supervisor, f"More {number}", to=opening)
    many = _count_queries(lambda: robin.text(f"/discussions/{thread.id}"))
    assert many <= few + 1, (few, many)  # +1: the read mark now moves (an UPDATE)


def test_locking_a_reply_before_read_thread_opens_it_to_everyone(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = _gated_thread(w)
    robin = Browser(app, w.reader)
    assert SAM_VIEW not in robin.text(f"/discussions/{thread.id}")
    in_request(lambda: services.set_locked(thread, True))
    page = robin.text(f"/discussions/{thread.id}")  # no one can reply now: nothing to guard
    assert SAM_VIEW in page and FRAN_VIEW in page and "waiting for you" not in page
