"""Editing (history, 409 on concurrent edits), removing, hiding with a reason, locking and
pinning: what each member then sees, in the thread, the list and their notifications."""

from __future__ import annotations

from typing import Any

import pytest
from discussion_support import (
    Browser,
    fresh,
    in_request,
    make_world,
    new_thread,
    notifications_of,
    reply,
)
from flask import Flask
from sqlalchemy import select, update

from supervision.discussions import services
from supervision.extensions import db
from supervision.models import Post, PostEdit, Thread

SECRET = "My client's brother works at the corner bakery."


def _opening(thread: Thread) -> Post:
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id).order_by(Post.id))


# -- editing ------------------------------------------------------------------------------------


def test_an_author_edits_and_the_group_can_read_every_version(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author, body="First wording of my question.")
    post = _opening(thread)
    alex = Browser(app, w.author)
    form = alex.text(f"/discussions/posts/{post.id}/edit")
    assert "First wording of my question." in form
    assert 'name="edit_version" type="hidden" value="1"' in form
    response = alex.post(
        f"/discussions/posts/{post.id}/edit",
        {"body": "Second, clearer wording.", "edit_version": 1},
    )
    assert response.status_code == 302
    edited = fresh(Post, post.id)
    assert edited.body == "Second, clearer wording." and edited.edit_version == 2
    assert [e.body for e in edited.edits] == ["First wording of my question."]

    robin = Browser(app, w.reader)
    page = robin.text(f"/discussions/{thread.id}")
    assert "Second, clearer wording." in page and "First wording" not in page
    assert f'<a href="/discussions/posts/{post.id}/history">edited' in page
    history = robin.text(f"/discussions/posts/{post.id}/history")
    assert "First wording of my question." in history
    assert "Second, clearer wording." in history
    assert "Version 2 (current)" in history and "Version 1" in history


def test_a_concurrent_edit_is_refused_with_409_and_the_text_kept(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author, body="Original.")
    post = _opening(thread)
    alex = Browser(app, w.author)
    first = alex.post(
        f"/discussions/posts/{post.id}/edit", {"body": "From tab A.", "edit_version": 1}
    )
    assert first.status_code == 302
    second = alex.post(
        f"/discussions/posts/{post.id}/edit",
        {"body": "From tab B, long thought.", "edit_version": 1},
    )
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "changed elsewhere after you opened it" in page
    assert "From tab B, long thought." in page  # what they typed
    assert "From tab A." in page  # what the post now says
    assert fresh(Post, post.id).body == "From tab A."


def test_the_edit_service_is_a_compare_and_set(app: Flask, make_user: Any, make_group: Any) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author, body="Original.")
    post = _opening(thread)
    assert post.edit_version == 1
    # Another request saves first: the row moves on while this request still holds version 1.
    db.session.execute(
        update(Post)
        .where(Post.id == post.id)
        .values(edit_version=2, body="Saved elsewhere.")
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(services.PostConflict):
        in_request(lambda: services.edit_post(post, w.author, "Edited here.", 1))
    db.session.rollback()
    assert fresh(Post, post.id).body == "Original."


def test_only_the_author_edits_or_removes(app: Flask, make_user: Any, make_group: Any) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author)
    post = _opening(thread)
    for user in (w.reader, w.facilitator):
        browser = Browser(app, user)
        assert browser.status(f"/discussions/posts/{post.id}/edit") == 403
        data = {"body": "Not mine", "edit_version": 1}
        assert browser.post(f"/discussions/posts/{post.id}/edit", data).status_code == 403
        assert browser.post(f"/discussions/posts/{post.id}/delete").status_code == 403
    assert fresh(Post, post.id).deleted_at is None


# -- removing -----------------------------------------------------------------------------------


def test_a_removed_post_stays_as_a_marker_and_replies_keep_their_place(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author)
    post = reply(thread, w.reader, "I regret writing this.")
    in_request(lambda: services.edit_post(post, w.reader, "I regret writing this, edited.", 1))
    answer = reply(thread, w.author, "I see what you mean.", to=post)
    assert notifications_of(w.reader)  # told of the reply
    assert [n.subject_id for n in notifications_of(w.author)] == [post.id]  # told of the post
    robin = Browser(app, w.reader)
    response = robin.post(f"/discussions/posts/{post.id}/delete")
    assert response.status_code == 302
    removed = fresh(Post, post.id)
    assert removed.deleted_at is not None and removed.body == "" and removed.edits == []
    assert db.session.scalar(select(PostEdit).where(PostEdit.post_id == post.id)) is None
    assert fresh(Post, answer.id).reply_quote == ""

    for user in (w.author, w.facilitator):
        page = Browser(app, user).text(f"/discussions/{thread.id}")
        assert "Removed by its author." in page
        assert "I regret writing this" not in page
        assert "I see what you mean." in page  # the reply is intact
        assert "That post was removed by its author." in page
    assert robin.status(f"/discussions/posts/{post.id}/history") == 403
    assert robin.post(f"/discussions/posts/{post.id}/delete").status_code == 403
    assert all(n.subject_id != post.id for n in notifications_of(w.author))  # withdrawn


# -- hiding -------------------------------------------------------------------------------------


def test_a_hidden_post_is_gone_from_pages_lists_and_notifications(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author, body=f"Question for @Robin Reader: {SECRET}")
    post = _opening(thread)
    answer = reply(thread, w.reader, "Careful, that may identify them.", to=post)
    assert any(n.subject_id == post.id for n in notifications_of(w.reader))  # the mention

    fran = Browser(app, w.facilitator)
    form = fran.text(f"/discussions/posts/{post.id}/hide")
    assert SECRET in form
    response = fran.post(f"/discussions/posts/{post.id}/hide", {"reason": " "})
    assert response.status_code == 400
    assert "Say why the post is hidden" in response.get_data(as_text=True)
    response = fran.post(
        f"/discussions/posts/{post.id}/hide", {"reason": "It could identify a client's family."}
    )
    assert response.status_code == 302
    hidden = fresh(Post, post.id)
    assert hidden.hidden_at is not None and hidden.hidden_by_id == w.facilitator.id
    assert all(n.subject_id != post.id for n in notifications_of(w.reader))

    for user in (w.reader, w.supervisor, w.author):  # the author too: facilitators only
        browser = Browser(app, user)
        page = browser.text(f"/discussions/{thread.id}")
        assert "Hidden by a facilitator: It could identify a client&#39;s family." in page
        assert "corner bakery" not in page
        assert "Careful, that may identify them." in page
        assert "That post is hidden by a facilitator." in page
        index = browser.text(f"/groups/{w.group.id}/discussions")
        assert "corner bakery" not in index
        assert "The opening post is hidden by a facilitator." in index
        assert browser.status(f"/discussions/posts/{post.id}/history") == 403
        assert browser.status(f"/discussions/posts/{post.id}/hide") == 403
    page = fran.text(f"/discussions/{thread.id}")
    assert "corner bakery" in page and "Only facilitators see this text." in page
    assert fresh(Post, answer.id).reply_quote.startswith("Question for")  # kept, for unhiding

    response = fran.post(f"/discussions/posts/{post.id}/unhide")
    assert response.status_code == 302
    assert "corner bakery" in Browser(app, w.reader).text(f"/discussions/{thread.id}")


def test_a_hidden_post_stays_out_of_later_notifications(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author)
    post = reply(thread, w.reader, "Something that should go.")
    in_request(lambda: services.hide_post(post, w.facilitator, "Off topic."))
    response = Browser(app, w.author).post(
        f"/discussions/{thread.id}/posts", {"body": "Answering it", "reply_to": post.id}
    )
    assert response.status_code == 400  # a hidden post cannot be answered
    assert "no longer available" in response.get_data(as_text=True)
    assert notifications_of(w.reader) == []


def test_members_cannot_hide_lock_or_pin(app: Flask, make_user: Any, make_group: Any) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author)
    post = _opening(thread)
    for user in (w.author, w.supervisor):
        browser = Browser(app, user)
        assert browser.status(f"/discussions/posts/{post.id}/hide") == 403
        assert (
            browser.post(f"/discussions/posts/{post.id}/hide", {"reason": "x"}).status_code == 403
        )
        assert browser.post(f"/discussions/{thread.id}/lock", {"state": "on"}).status_code == 403
        assert browser.post(f"/discussions/{thread.id}/pin", {"state": "on"}).status_code == 403
    thread = fresh(Thread, thread.id)
    assert not thread.is_locked and not thread.is_pinned


# -- locking and pinning ------------------------------------------------------------------------


def test_a_locked_thread_refuses_posts_and_keeps_the_text(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author)
    robin_post = reply(thread, w.reader, "Before the lock.")
    fran = Browser(app, w.facilitator)
    assert fran.post(f"/discussions/{thread.id}/lock", {"state": "on"}).status_code == 302
    assert fresh(Thread, thread.id).is_locked

    robin = Browser(app, w.reader)
    page = robin.text(f"/discussions/{thread.id}")
    assert "A facilitator locked this thread" in page
    assert f'action="/discussions/{thread.id}/posts"' not in page
    response = robin.post(f"/discussions/{thread.id}/posts", {"body": "My late, careful reply."})
    assert response.status_code == 403
    refused = response.get_data(as_text=True)
    assert "This thread is locked: it takes no new posts." in refused
    assert "My late, careful reply." in refused
    response = robin.post(
        f"/discussions/posts/{robin_post.id}/edit", {"body": "Edited after lock", "edit_version": 1}
    )
    assert response.status_code == 403
    assert "Edited after lock" in response.get_data(as_text=True)
    assert fresh(Post, robin_post.id).body == "Before the lock."
    assert len(db.session.scalars(select(Post).where(Post.thread_id == thread.id)).all()) == 2

    assert fran.post(f"/discussions/{thread.id}/lock", {"state": "off"}).status_code == 302
    assert robin.post(f"/discussions/{thread.id}/posts", {"body": "Now open"}).status_code == 302


def test_a_switch_without_its_state_changes_nothing(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author)
    fran = Browser(app, w.facilitator)
    response = fran.post(f"/discussions/{thread.id}/lock", {"state": "maybe"})
    assert response.status_code == 302
    assert not fresh(Thread, thread.id).is_locked
    assert "could not be read" in fran.text(f"/discussions/{thread.id}")


def test_pinned_threads_come_first_then_recent_activity(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    old = new_thread(w.group, w.author, title="Old but important")
    middle = new_thread(w.group, w.author, title="Middle")
    recent = new_thread(w.group, w.author, title="Recent")
    reply(middle, w.reader, "Bumping the middle one.")
    assert (
        Browser(app, w.facilitator).post(f"/discussions/{old.id}/pin", {"state": "on"}).status_code
        == 302
    )
    index = Browser(app, w.reader).text(f"/groups/{w.group.id}/discussions")
    positions = [index.index(f'id="thread-{t.id}"') for t in (old, middle, recent)]
    assert positions == sorted(positions)
    assert "Pinned" in index[positions[0] : positions[1]]
