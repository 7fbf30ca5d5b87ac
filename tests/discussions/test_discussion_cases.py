"""A case's own discussion: opened when the case is first shared, readable exactly by those who
may read the case, linked from the case page with its counts."""

from __future__ import annotations

from typing import Any

from discussion_support import (
    CLEAN,
    NOTE,
    Browser,
    in_request,
    make_world,
    notifications_of,
    reply,
    shared_case,
)
from flask import Flask
from sqlalchemy import func, select

from supervision.cases.gate import share_case
from supervision.cases.privacy import clear_flag, flag_case, redact_passage
from supervision.cases.sections import CHECKLIST_KEYS
from supervision.cases.services import approve_case, create_case, save_case
from supervision.discussions import services
from supervision.discussions.case_threads import case_thread
from supervision.extensions import db
from supervision.models import Post, Thread


def _thread_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Thread)) or 0


def test_the_thread_opens_on_first_share_only(app: Flask, make_user: Any, make_group: Any) -> None:
    w = make_world(make_user, make_group)
    case = create_case(w.group, w.author, "Draft first", CLEAN)
    db.session.commit()
    assert _thread_count() == 0  # a draft has no discussion
    share_case(case, w.author, sorted(CHECKLIST_KEYS), NOTE)
    db.session.commit()
    thread = case_thread(case)
    assert thread is not None
    assert (thread.group_id, thread.author_id) == (w.group.id, w.author.id)
    assert thread.title == "Case discussion"  # not a copy: pages show the case's own title
    save_case(case, w.author, "Draft first", {**CLEAN, "moment": "Rewritten."}, case.edit_version)
    share_case(case, w.author, sorted(CHECKLIST_KEYS), NOTE)
    db.session.commit()
    assert _thread_count() == 1


def test_the_case_discussion_is_listed_and_linked_from_the_case(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author, "She brought a gift")
    thread = case_thread(case)
    robin = Browser(app, w.reader)
    page = robin.text(f"/cases/{case.id}")
    assert f'<a href="/discussions/{thread.id}">Start the discussion</a>' in page
    index = robin.text(f"/groups/{w.group.id}/discussions")
    assert "She brought a gift" in index and "Case discussion" in index
    discussion = robin.text(f"/discussions/{thread.id}")
    assert f'href="/cases/{case.id}"' in discussion

    response = robin.post(f"/discussions/{thread.id}/posts", {"body": "What a tender moment."})
    assert response.status_code == 302
    (note,) = notifications_of(w.author)
    assert note.text == "Robin Reader posted in the discussion of your case in Tuesday supervision"
    reply(thread, w.supervisor, "I agree, and the hesitation itself is interesting.")
    page = robin.text(f"/cases/{case.id}")
    assert "Discussion (2 posts, 1 new)" in page


def test_a_flagged_cases_thread_is_not_found_by_others(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    thread = case_thread(case)
    post = reply(thread, w.supervisor, "Thoughts on the gift.")
    flag = flag_case(case, w.reader, "", "The bakery detail could identify her.")
    db.session.commit()

    for user in (w.reader, w.supervisor):
        browser = Browser(app, user)
        assert browser.status(f"/discussions/{thread.id}") == 404
        assert browser.status(f"/discussions/posts/{post.id}") == 404
        assert browser.post(f"/discussions/{thread.id}/posts", {"body": "x"}).status_code == 404
        assert f"/discussions/{thread.id}" not in browser.text(f"/groups/{w.group.id}/discussions")
    for user in (w.author, w.facilitator):
        assert Browser(app, user).status(f"/discussions/{thread.id}") == 200

    # Mentioning someone who may not read the thread neither links nor notifies them.
    mention = reply(thread, w.author, "@Robin Reader and @Fran Facilitator, please look.")
    assert 'class="mention"' in mention.body_html
    assert "@Robin Reader" in mention.body_html and mention.body_html.count('class="mention"') == 1
    assert all(n.subject_id != mention.id for n in notifications_of(w.reader))
    assert any(n.subject_id == mention.id for n in notifications_of(w.facilitator))

    clear_flag(flag, w.facilitator)
    db.session.commit()
    assert Browser(app, w.reader).status(f"/discussions/{thread.id}") == 200


def test_a_pending_cases_thread_waits_with_its_case(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    w.group.require_case_approval = True
    db.session.commit()
    case = shared_case(w.group, w.author)
    thread = case_thread(case)
    assert thread is not None
    assert Browser(app, w.reader).status(f"/discussions/{thread.id}") == 404
    assert Browser(app, w.facilitator).status(f"/discussions/{thread.id}") == 200
    approve_case(case)
    db.session.commit()
    assert Browser(app, w.reader).status(f"/discussions/{thread.id}") == 200


def test_reply_before_read_on_a_case_discussion(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    thread = case_thread(case)
    alex = Browser(app, w.author)
    assert (
        alex.post(f"/discussions/{thread.id}/settings", {"reply_before_read": "y"}).status_code
        == 302
    )
    reply(thread, w.supervisor, "I would have accepted it.")
    robin = Browser(app, w.reader)
    page = robin.text(f"/discussions/{thread.id}")
    assert "I would have accepted it." not in page and "1 reply is waiting for you." in page
    assert "Discussion (1 reply waits for yours)" in robin.text(f"/cases/{case.id}")
    assert "I would have accepted it." in alex.text(f"/discussions/{thread.id}")
    in_request(lambda: services.add_post(thread, w.reader, "I would have declined gently."))
    assert "I would have accepted it." in robin.text(f"/discussions/{thread.id}")


def test_a_redaction_reaches_the_case_discussion(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author, "A gift from Megan Hollis")
    thread = case_thread(case)
    first = reply(
        thread, w.supervisor, "When Megan Hollis offered it, " + "what did you feel? " * 12
    )
    in_request(lambda: services.edit_post(first, w.supervisor, "Edited: Megan Hollis again.", 1))
    answer = reply(thread, w.reader, "Good question.", to=first)
    assert "Megan Hollis" in answer.reply_quote
    redact_passage(case, w.facilitator, "Megan Hollis")
    db.session.commit()
    db.session.expire_all()
    texts = [
        value
        for post in db.session.scalars(select(Post).where(Post.thread_id == thread.id))
        for value in (post.body, post.body_html, post.reply_quote, *(e.body for e in post.edits))
    ]
    assert texts and not any("Megan" in text or "Hollis" in text for text in texts)
    page = Browser(app, w.reader).text(f"/discussions/{thread.id}")
    assert "Hollis" not in page and "[redacted]" in page
    assert "Hollis" not in Browser(app, w.reader).text(f"/groups/{w.group.id}/discussions")
