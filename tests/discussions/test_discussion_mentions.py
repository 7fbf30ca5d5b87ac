"""@Full Name mentions: linked to the member's row on the group page, notified once, with neutral
text; never for non-members; the composer offers the names (with and without JavaScript)."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

from discussion_support import (
    Browser,
    in_request,
    make_world,
    new_thread,
    notifications_of,
    reply,
)
from flask import Flask
from sqlalchemy import select

from supervision.discussions import services
from supervision.extensions import db
from supervision.models import Channel, NotificationEvent, Post
from supervision.notifications.services import set_preferences


def test_a_mention_links_to_the_member_and_notifies_them(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    robin_row = w.membership(w.reader)
    alex = Browser(app, w.author)
    response = alex.post(
        f"/groups/{w.group.id}/discussions/new",
        {
            "title": "Silence",
            "body": "@Robin Reader, you wrote about silence. @Olu Outsider too. `@Sam Supervisor`",
        },
    )
    assert response.status_code == 302
    post = db.session.scalar(select(Post))
    page = Browser(app, w.reader).text(response.headers["Location"])
    href = f"/groups/{w.group.id}#member-{robin_row.id}"
    assert f'<a class="mention" href="{href}">@Robin Reader</a>' in page
    assert "@Olu Outsider too" in page  # not a member: plain text
    assert "<code>@Sam Supervisor</code>" in page
    home = Browser(app, w.reader).text(f"/groups/{w.group.id}")
    assert f'<tr id="member-{robin_row.id}">' in home

    (note,) = notifications_of(w.reader)
    assert note.event is NotificationEvent.MENTION
    assert note.text == "Alex Author mentioned you in a discussion in Tuesday supervision"
    assert "silence" not in note.text
    assert notifications_of(w.outsider) == [] and notifications_of(w.supervisor) == []
    assert note.subject_type == "post" and note.subject_id == post.id


def test_mentioning_the_person_one_answers_notifies_once(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author)
    answered = reply(thread, w.reader, "Here is my view.")
    reply(thread, w.author, "Thank you @Robin Reader, and @Alex Author (me).", to=answered)
    # Answered and mentioned: one notification; with equal choices, the mention says more.
    assert [n.event for n in notifications_of(w.reader)] == [NotificationEvent.MENTION]
    assert [n.event for n in notifications_of(w.author)] == [NotificationEvent.POST_REPLY]


def test_answered_and_mentioned_follows_the_choice_that_reaches_further(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author)
    set_preferences(w.reader, {NotificationEvent.MENTION: Channel.OFF})
    answered = reply(thread, w.reader, "Here is my view.")
    reply(thread, w.author, "Thank you @Robin Reader.", to=answered)
    assert [n.event for n in notifications_of(w.reader)] == [NotificationEvent.POST_REPLY]

    set_preferences(w.reader, {NotificationEvent.POST_REPLY: Channel.OFF})
    set_preferences(w.reader, {NotificationEvent.MENTION: Channel.IN_APP})
    reply(thread, w.author, "And again, @Robin Reader.", to=answered)
    assert [n.event for n in notifications_of(w.reader)] == [
        NotificationEvent.POST_REPLY,
        NotificationEvent.MENTION,
    ]


def test_an_edit_notifies_only_the_newly_mentioned(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.supervisor, body="@Robin Reader what do you think?")
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    in_request(
        lambda: services.edit_post(
            post, w.supervisor, "@Robin Reader and @Alex Author, what do you think?", 1
        )
    )
    assert len(notifications_of(w.reader)) == 1
    (note,) = notifications_of(w.author)
    assert note.event is NotificationEvent.MENTION


def test_the_composer_offers_the_members_who_can_read(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author)
    page = Browser(app, w.reader).text(f"/discussions/{thread.id}")
    match = re.search(r'data-mention-members="([^"]*)"', page)
    assert match
    people = json.loads(unescape(match.group(1)))
    names = [person["name"] for person in people]
    assert names == ["Alex Author", "Fran Facilitator", "Sam Supervisor"]  # not oneself
    assert {person["id"] for person in people} == {
        w.membership(u).id for u in (w.author, w.facilitator, w.supervisor)
    }
    assert "/static/js/mentions.js" in page
    assert "Who you can mention" in page and "@Sam Supervisor" in page  # without JavaScript
    new_page = Browser(app, w.reader).text(f"/groups/{w.group.id}/discussions/new")
    assert "data-mention-members=" in new_page
