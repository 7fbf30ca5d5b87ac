"""Threads and replies through the pages: starting, replying with a quote, pagination, errors
that keep what was typed, CSRF, XSS, and the 404 wall around other groups."""

from __future__ import annotations

from typing import Any

from discussion_support import (
    Browser,
    assert_no_script,
    fresh,
    make_world,
    new_thread,
    notifications_of,
    post_ids,
    reply,
)
from flask import Flask
from sqlalchemy import func, select

from supervision.extensions import db
from supervision.models import NotificationEvent, Post, Thread


def test_a_member_starts_a_thread_and_the_group_sees_it(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    alex = Browser(app, w.author)
    assert "Start a thread" in alex.text(f"/groups/{w.group.id}/discussions")
    response = alex.post(
        f"/groups/{w.group.id}/discussions/new",
        {"title": "  Ending well  ", "body": "How do you prepare a client for an ending?"},
    )
    assert response.status_code == 302
    thread = db.session.scalar(select(Thread))
    assert thread.title == "Ending well" and not thread.reply_before_read
    assert response.headers["Location"].endswith(f"/discussions/{thread.id}")

    robin = Browser(app, w.reader)
    index = robin.text(f"/groups/{w.group.id}/discussions")
    assert "Ending well" in index
    assert "How do you prepare a client for an ending?" in index  # the question's excerpt
    assert "Started by Alex Author" in index
    page = robin.text(f"/discussions/{thread.id}")
    assert "How do you prepare a client for an ending?" in page


def test_the_group_home_links_to_discussions(app: Flask, make_user: Any, make_group: Any) -> None:
    w = make_world(make_user, make_group)
    home = Browser(app, w.reader).text(f"/groups/{w.group.id}")
    assert f'href="/groups/{w.group.id}/discussions"' in home


def test_bad_input_is_answered_clearly_and_nothing_typed_is_lost(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    alex = Browser(app, w.author)
    response = alex.post(
        f"/groups/{w.group.id}/discussions/new",
        {"title": "   ", "body": "A long thought I do not want to lose."},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Give the thread a title." in page
    assert "A long thought I do not want to lose." in page
    response = alex.post(
        f"/groups/{w.group.id}/discussions/new", {"title": "x" * 161, "body": "Body"}
    )
    assert response.status_code == 400
    assert "Keep the title under 160 characters." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Thread)) == 0

    thread = new_thread(w.group, w.author)
    response = alex.post(f"/discussions/{thread.id}/posts", {"body": " \n "})
    assert response.status_code == 400
    assert "Write something first: the post is empty." in response.get_data(as_text=True)
    response = alex.post(f"/discussions/{thread.id}/posts", {"body": "y" * 20_001})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Keep a post under 20,000 characters." in page
    assert "y" * 20_001 in page  # the composer gives the text back


def test_a_reply_names_and_quotes_the_post_it_answers_and_tells_its_author(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author, body="I stayed silent for two minutes and it felt long.")
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    robin = Browser(app, w.reader)
    composer = robin.text(f"/discussions/{thread.id}?reply_to={opening.id}")
    assert "Reply to Alex Author" in composer
    assert f'name="reply_to" value="{opening.id}"' in composer
    response = robin.post(
        f"/discussions/{thread.id}/posts",
        {
            "body": "Two minutes is a long time to hold. What did you notice?",
            "reply_to": opening.id,
        },
    )
    assert response.status_code == 302
    answer = db.session.scalar(select(Post).where(Post.reply_to_id == opening.id))
    assert answer.reply_quote == "I stayed silent for two minutes and it felt long."
    assert response.headers["Location"].endswith(f"/discussions/{thread.id}#post-{answer.id}")
    page = robin.text(f"/discussions/{thread.id}")
    assert f'In reply to <a href="#post-{opening.id}">Alex Author</a>' in page
    assert '<blockquote class="post__quote">I stayed silent' in page

    (note,) = notifications_of(w.author)
    assert note.event is NotificationEvent.POST_REPLY
    assert note.text == "Robin Reader replied to your post in Tuesday supervision"
    assert note.url == f"/discussions/posts/{answer.id}"
    assert note.subject_type == "post" and note.subject_id == answer.id
    assert notifications_of(w.reader) == []  # never the actor


def test_a_long_post_is_quoted_briefly(app: Flask, make_user: Any, make_group: Any) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author, body=" ".join(["word"] * 200))
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    answer = reply(thread, w.reader, "Yes.", to=opening)
    assert len(answer.reply_quote) <= 200 and answer.reply_quote.endswith("…")


def test_a_post_to_the_thread_tells_its_starter(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author)
    reply(thread, w.supervisor, "A thought.")
    (note,) = notifications_of(w.author)
    assert note.text == "Sam Supervisor posted in your thread in Tuesday supervision"
    assert "A thought" not in note.text


def test_replying_to_a_post_of_another_thread_is_refused_with_the_text_kept(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    first = new_thread(w.group, w.author)
    second = new_thread(w.group, w.author, title="Another")
    elsewhere = db.session.scalar(select(Post).where(Post.thread_id == second.id))
    response = Browser(app, w.reader).post(
        f"/discussions/{first.id}/posts", {"body": "My careful answer.", "reply_to": elsewhere.id}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The post you were answering is no longer available." in page
    assert "My careful answer." in page


def test_long_threads_paginate_and_a_parent_link_works_across_pages(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author, body="Post number 1")
    for number in range(2, 25):
        reply(thread, w.reader if number % 2 else w.supervisor, f"Post number {number}")
    first = db.session.scalar(select(Post).where(Post.thread_id == thread.id).order_by(Post.id))
    answer = reply(thread, w.reader, "Back to the very first question.", to=first)  # number 25
    alex = Browser(app, w.author)

    page_one = alex.text(f"/discussions/{thread.id}")
    assert len(post_ids(page_one)) == 20
    assert f'href="/discussions/{thread.id}?page=2"' in page_one
    page_two = alex.text(f"/discussions/{thread.id}?page=2")
    assert post_ids(page_two)[-1] == answer.id and len(post_ids(page_two)) == 5
    assert f'In reply to <a href="/discussions/posts/{first.id}">Alex Author</a>' in page_two
    assert "Post number 1" in page_two  # the quote

    response = alex.get(f"/discussions/posts/{first.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/discussions/{thread.id}#post-{first.id}")
    response = alex.get(f"/discussions/posts/{answer.id}")
    assert response.headers["Location"].endswith(f"?page=2#post-{answer.id}")
    assert alex.status(f"/discussions/{thread.id}?page=3") == 404
    assert alex.status(f"/discussions/{thread.id}?page=-1") == 200


def test_xss_in_a_post_and_a_title_is_sanitized(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    alex = Browser(app, w.author)
    payload = (
        '<script>alert("x")</script><img src=x onerror=alert(1)> '
        "[click](javascript:alert(1)) <a href='javascript:alert(2)'>a</a>"
    )
    response = alex.post(
        f"/groups/{w.group.id}/discussions/new",
        {"title": "<script>alert('t')</script>", "body": payload},
    )
    assert response.status_code == 302
    thread = db.session.scalar(select(Thread))
    for path in (f"/discussions/{thread.id}", f"/groups/{w.group.id}/discussions"):
        page = Browser(app, w.reader).text(path)
        assert_no_script(page)
        assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in page  # the title, as text


def test_post_routes_need_csrf_and_get_changes_nothing(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author)
    alex = Browser(app, w.author)
    response = alex.client.post(f"/discussions/{thread.id}/posts", data={"body": "No token"})
    assert response.status_code == 400
    assert alex.get(f"/discussions/{thread.id}/lock").status_code == 405
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    assert alex.get(f"/discussions/posts/{opening.id}/delete").status_code == 405
    assert alex.status(f"/discussions/posts/{opening.id}/edit") == 200
    assert fresh(Post, opening.id).deleted_at is None
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1


def test_other_groups_threads_are_not_found(app: Flask, make_user: Any, make_group: Any) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author)
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    outsider = Browser(app, w.outsider)
    for path in (
        f"/groups/{w.group.id}/discussions",
        f"/groups/{w.group.id}/discussions/new",
        f"/discussions/{thread.id}",
        f"/discussions/posts/{opening.id}",
        f"/discussions/posts/{opening.id}/history",
        f"/discussions/posts/{opening.id}/edit",
        f"/discussions/posts/{opening.id}/hide",
    ):
        assert outsider.status(path) == 404, path
    response = outsider.post(f"/discussions/{thread.id}/posts", {"body": "Hello"})
    assert response.status_code == 404
    assert outsider.get("/discussions/999999").status_code == 404
