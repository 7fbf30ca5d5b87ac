"""Redaction leaves no copy anywhere: a passage planted in every kind of place the platform stores
text is gone from the whole database afterwards (every column of every table; on SQLite also the
dump and the raw file's bytes, deleted space included), and only from the case's own group."""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from case_support import Browser, make_world, new_case, revise
from dump_support import columns_holding, database_dump, forms, sqlite_file_holds, sqlite_path
from flask import current_app
from sqlalchemy import create_engine, select
from support import NOTE, PSEUDONYM, resolve_all

from supervision.annotations.services import create_annotation, reply, section_texts
from supervision.cases.gate import resolve_finding, review_revision, share_case
from supervision.cases.privacy import REDACTED, flag_case, redact_passage
from supervision.cases.sections import CHECKLIST_KEYS
from supervision.discussions import services as discussions
from supervision.discussions.case_threads import case_thread
from supervision.extensions import db
from supervision.mail.services import deliver_due, queue_mail
from supervision.models import (
    Case,
    Channel,
    FindingResolution,
    Group,
    GroupKind,
    Notification,
    NotificationEvent,
    NotificationPreference,
    OutboxMessage,
    Post,
    Role,
    Thread,
    User,
)
from supervision.models.discussion import THREAD_TITLE_MAX
from supervision.notifications.services import notify
from supervision.rendering import markdown_to_text
from supervision.reviews.services import (
    ReviewInput,
    ScoreInput,
    add_reconciliation_note,
    record_consensus,
    save_review,
    start_review,
    submit_review,
)

# Escaped in HTML ("&amp;", "&lt;"): a scrub of the stored HTML alone would miss it.
PASSAGE = "Marlowe & Kew <3"
PHONE = "503-555-0100"  # a finding the author answers with a reason that names the passage


def in_request(action: Callable[[], Any]) -> Any:
    """Run a service that builds URLs, as the views do, and commit."""
    with current_app.test_request_context():
        result = action()
        db.session.commit()
    return result


def _by_email(user: User) -> None:
    for event in NotificationEvent:
        db.session.add(NotificationPreference(user_id=user.id, event=event, channel=Channel.EMAIL))
    db.session.commit()


class _Accepting:
    """A mail transport that accepts every message."""

    def send(self, message: OutboxMessage) -> None:
        pass


def _group_news(group: Group, recipient: User, words: str) -> None:
    """A notification of the group, sent by email, whose text carries ``words`` (the wording
    names people and the group; a name may be the passage), and group mail with them in its
    subject: one delivered, one still queued."""
    _by_email(recipient)
    notify(
        NotificationEvent.MENTION,
        [recipient],
        text=f"Someone mentioned {words} in {group.name}",
        url="/",
        group=group,
    )
    message = queue_mail(recipient.email, f"About {words}", "notification", text=words, link="/")
    message.group_id = group.id
    db.session.commit()
    deliver_due(_Accepting())  # both delivered: their stored copies stay in the outbox
    notify(NotificationEvent.MENTION, [recipient], text=f"Queued: {words}", url="/", group=group)
    db.session.commit()


def _case_with_the_passage_everywhere(w) -> Case:  # type: ignore[no-untyped-def]
    """A shared case whose passage is copied into every kind of place text is stored."""
    case = new_case(
        w.group,
        w.author,
        f"The gift from {PASSAGE}",
        context=f"Call me at {PHONE}, she wrote.",
        moment=f"She said the gift came from {PASSAGE}, and smiled.",
    )
    revision = case.revisions[-1]
    phone = next(
        item for item in review_revision(case, revision).open_findings if item.finding.text == PHONE
    )
    resolve_finding(
        case,
        revision,
        w.author,
        phone.section,
        phone.finding.kind,
        PHONE,
        f"Invented, like {PASSAGE}",
    )
    resolve_all(case, w.author)
    share_case(case, w.author, sorted(CHECKLIST_KEYS), f"{NOTE} Kept {PASSAGE}.")
    db.session.commit()

    # the case's own thread: a post, a reply quoting it, an edited post, a hidden post
    thread = case_thread(case)
    said = in_request(lambda: discussions.add_post(thread, w.supervisor, f"Why {PASSAGE}? " * 3))
    in_request(lambda: discussions.add_post(thread, w.reader, "Good question.", said))
    edited = in_request(lambda: discussions.add_post(thread, w.reader, f"I know {PASSAGE} well."))
    in_request(lambda: discussions.edit_post(edited, w.reader, "I should not say.", 1))
    hidden = in_request(lambda: discussions.add_post(thread, w.reader, "A careless aside."))
    in_request(
        lambda: discussions.hide_post(hidden, w.facilitator, f"It names {PASSAGE}, see above")
    )
    # a free thread of the same group: title, post, and an edit
    free = in_request(
        lambda: discussions.create_thread(
            w.group, w.reader, f"Gifts like {PASSAGE}", f"Has anyone met {PASSAGE}?"
        )
    )
    [first] = db.session.scalars(select(Post).where(Post.thread_id == free.id)).all()
    in_request(lambda: discussions.edit_post(first, w.reader, "Has anyone met them?", 1))

    # an annotation on the passage, with a comment and a reply
    moment = section_texts(revision)["moment"]
    start = moment.index(PASSAGE)
    annotation = in_request(
        lambda: create_annotation(
            case,
            w.supervisor,
            1,
            "moment",
            start,
            start + len(PASSAGE),
            PASSAGE,
            f"Is **{PASSAGE}** real?",
        )
    )
    in_request(lambda: reply(annotation, w.author, f"{PASSAGE} is real, sadly."))

    # a review: evidence, comments, feedback, private notes; a reconciliation note, a dissent
    quoted = f"She said the gift came from {PASSAGE}"
    review = start_review(case, w.supervisor)
    scores = {
        score.criterion_key: ScoreInput(level=3, evidence=quoted, comment=f"On {PASSAGE}")
        for score in review.scores
    }
    save_review(
        review,
        ReviewInput(scores, f"Think about *{PASSAGE}*.", f"Private: {PASSAGE}"),
        review.edit_version,
    )
    submit_review(review)
    add_reconciliation_note(case, 1, "boundaries", w.supervisor, f"Note on {PASSAGE}")
    record_consensus(case, 1, "boundaries", w.facilitator, 3, f"Dissent on {PASSAGE}")
    db.session.commit()

    _group_news(w.group, w.reader, PASSAGE)

    # a flag (passage and reason), then a new unshared revision that names it again
    flag_case(case, w.reader, PASSAGE, f"{PASSAGE} is a real firm")
    db.session.commit()
    revise(case, reactions=f"I keep thinking of {PASSAGE}.")
    return case


def test_a_redacted_passage_is_nowhere_in_the_database(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = _case_with_the_passage_everywhere(w)
    planted = set(columns_holding(PASSAGE))
    assert {
        "cases.title",
        "case_revisions.moment_html",
        "finding_resolutions.reason",
        "threads.title",
        "posts.body",
        "posts.reply_quote",
        "posts.hidden_reason",
        "post_edits.body",
        "annotations.body_html",
        "annotation_replies.body",
        "review_scores.comment",
        "reviews.private_notes",
        "reconciliation_notes.body",
        "consensus_scores.dissent_note",
        "notifications.text",
        "outbox_messages.subject",
        "outbox_messages.body",
        "case_flags.reason",
        "case_flags.passage",
        "case_revisions.reactions",
        "case_revisions.altered_note",
        "annotations.original_exact",
        "annotation_anchors.exact",
        "reviews.overall_feedback",
        "review_scores.evidence",
    } <= planted
    dump = database_dump()  # None: no pg_dump here (every column was read all the same)
    assert dump is None or any(form in dump for form in forms(PASSAGE))
    if sqlite_path() is not None:
        assert sqlite_file_holds(PASSAGE)  # the search of the raw file can see it

    response = Browser(app, w.facilitator).post(f"/cases/{case.id}/redact", {"passage": PASSAGE})
    assert response.status_code == 302

    assert columns_holding(PASSAGE) == []
    dump = database_dump()
    assert dump is None or not any(form in dump for form in forms(PASSAGE))
    if sqlite_path() is not None:
        assert not sqlite_file_holds(PASSAGE)
    # what was scrubbed still reads as redacted (re-rendered from the scrubbed source)
    assert REDACTED in db.session.scalar(select(Thread.title).where(Thread.case_id.is_(None)))
    reason = db.session.scalar(
        select(FindingResolution.reason).where(FindingResolution.text == PHONE)
    )
    assert reason == f"Invented, like {REDACTED}"


def test_redaction_reaches_every_thread_of_the_group_and_no_other_group(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, moment=f"The gift came from {PASSAGE}.")
    resolve_all(case, w.author)
    share_case(case, w.author, sorted(CHECKLIST_KEYS), NOTE)
    db.session.commit()
    free = in_request(
        lambda: discussions.create_thread(
            w.group, w.reader, f"Gifts like {PASSAGE}", f"Has anyone met {PASSAGE}?"
        )
    )
    [first] = db.session.scalars(select(Post).where(Post.thread_id == free.id)).all()
    answer = in_request(lambda: discussions.add_post(free, w.supervisor, "Not I.", first))
    in_request(lambda: discussions.edit_post(first, w.reader, f"Met {PASSAGE} yet?", 1))
    # another group, where the same words are that group's own business
    stranger = make_user("Sid Stranger")
    elsewhere = make_group(GroupKind.PEER, {stranger: Role.FACILITATOR}, name="Elsewhere")
    theirs = in_request(
        lambda: discussions.create_thread(
            elsewhere, stranger, f"About {PASSAGE}", f"{PASSAGE} again"
        )
    )

    redact_passage(case, w.author, PASSAGE)
    db.session.commit()
    db.session.expire_all()

    free = db.session.get(Thread, free.id)
    assert free.title == f"Gifts like {REDACTED}"
    first, answer = db.session.get(Post, first.id), db.session.get(Post, answer.id)
    assert first.body == f"Met {REDACTED} yet?"
    assert PASSAGE not in first.edits[0].body and REDACTED in first.edits[0].body
    assert html.escape(PASSAGE, quote=False) not in first.edits[0].body_html
    assert "&lt;3" not in first.body_html and REDACTED in first.body_html
    assert PASSAGE not in answer.reply_quote
    page = Browser(app, w.reader).text(f"/discussions/{free.id}")
    assert "Marlowe" not in page and REDACTED in page

    theirs = db.session.get(Thread, theirs.id)
    assert theirs.title == f"About {PASSAGE}"
    [post] = db.session.scalars(select(Post).where(Post.thread_id == theirs.id)).all()
    assert post.body == f"{PASSAGE} again"


def test_a_post_that_shows_the_passage_through_its_formatting_loses_it(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, moment=f"The gift came from {PASSAGE}.")
    resolve_all(case, w.author)
    share_case(case, w.author, sorted(CHECKLIST_KEYS), NOTE)
    db.session.commit()
    # Readers see "Marlowe & Kew <3" twice, though the source never spells it so.
    written = "Did **Marlowe** &amp; Kew &lt;3 send it? Or *Marlowe & Kew* <3?"
    free = in_request(lambda: discussions.create_thread(w.group, w.reader, "Gifts", written))
    [post] = db.session.scalars(select(Post).where(Post.thread_id == free.id)).all()
    assert markdown_to_text(post.body).count(PASSAGE) == 2 and PASSAGE not in post.body

    assert redact_passage(case, w.author, PASSAGE) == 1 + 2
    db.session.commit()
    db.session.expire_all()
    post = db.session.get(Post, post.id)
    assert PASSAGE not in markdown_to_text(post.body)
    assert markdown_to_text(post.body).count(REDACTED) == 2
    page = Browser(app, w.reader).text(f"/discussions/{free.id}")
    assert "Marlowe" not in page and REDACTED in page


def test_an_edit_form_opened_before_a_redaction_cannot_bring_it_back(make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, moment=f"The gift came from {PASSAGE}.")
    resolve_all(case, w.author)
    share_case(case, w.author, sorted(CHECKLIST_KEYS), NOTE)
    db.session.commit()
    free = in_request(
        lambda: discussions.create_thread(w.group, w.reader, "Gifts", f"From {PASSAGE}?")
    )
    [post] = db.session.scalars(select(Post).where(Post.thread_id == free.id)).all()
    opened = post.edit_version  # the reader opens the edit form ...

    redact_passage(case, w.author, PASSAGE)  # ... the case's author redacts ...
    db.session.commit()

    with pytest.raises(discussions.PostConflict):  # ... and the form, as it was, is refused
        in_request(lambda: discussions.edit_post(post, w.reader, f"From {PASSAGE}!", opened))
    db.session.rollback()
    assert PASSAGE not in db.session.get(Post, post.id).body


def test_redaction_reaches_the_gate_answers_reasons(make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, context=f"Call me at {PHONE}.", moment=f"From {PASSAGE}.")
    revision = case.revisions[-1]
    [phone] = [f for f in review_revision(case, revision).open_findings if f.finding.text == PHONE]
    resolve_finding(
        case, revision, w.author, phone.section, phone.finding.kind, PHONE, f"Like {PASSAGE}"
    )
    resolve_all(case, w.author, PSEUDONYM)
    share_case(case, w.author, sorted(CHECKLIST_KEYS), NOTE)
    db.session.commit()

    redact_passage(case, w.author, PASSAGE)
    db.session.commit()
    db.session.expire_all()
    kept = db.session.scalar(select(FindingResolution).where(FindingResolution.text == PHONE))
    assert kept is not None and kept.reason == f"Like {REDACTED}"


def test_redaction_reaches_the_groups_notifications_and_mail_only(make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, moment=f"From {PASSAGE}.")
    resolve_all(case, w.author)
    share_case(case, w.author, sorted(CHECKLIST_KEYS), NOTE)
    db.session.commit()
    stranger = make_user("Sid Stranger")
    elsewhere = make_group(GroupKind.PEER, {stranger: Role.FACILITATOR}, name="Elsewhere")
    _group_news(elsewhere, stranger, PASSAGE)
    _group_news(w.group, w.reader, PASSAGE)  # last: its second message stays queued
    account_mail = queue_mail(stranger.email, f"Hello {PASSAGE}", "notification", text="", link="/")
    db.session.commit()

    redact_passage(case, w.author, PASSAGE)
    db.session.commit()
    db.session.expire_all()

    ours = list(db.session.scalars(select(Notification).where(Notification.group_id == w.group.id)))
    assert all(PASSAGE not in n.text for n in ours)  # "a case was shared" among them
    assert len([n for n in ours if REDACTED in n.text]) == 2
    mail = list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.group_id == w.group.id))
    )
    assert len(mail) == 3 and {m.sent_at is None for m in mail} == {True, False}
    assert all(PASSAGE not in m.subject + m.body and REDACTED in m.body for m in mail)
    assert f"About {REDACTED}" in {m.subject for m in mail}

    theirs = list(
        db.session.scalars(select(Notification).where(Notification.group_id == elsewhere.id))
    )
    assert len(theirs) == 2 and all(PASSAGE in n.text for n in theirs)
    their_mail = list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.group_id == elsewhere.id))
    )
    assert len(their_mail) == 3 and all(PASSAGE in m.body for m in their_mail)
    assert db.session.get(OutboxMessage, account_mail.id).subject == f"Hello {PASSAGE}"


def test_notification_mail_remembers_its_group(make_user, make_group):
    w = make_world(make_user, make_group)
    _by_email(w.reader)
    notify(NotificationEvent.MENTION, [w.reader], text="News", url="/", group=w.group)
    notify(NotificationEvent.MENTION, [w.reader], text="Site news", url="/")
    db.session.commit()
    assert [
        m.group_id for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    ] == [
        w.group.id,
        None,
    ]


def test_a_scrubbed_text_still_fits_its_column(make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, moment="The word ab came up.")
    resolve_all(case, w.author)
    share_case(case, w.author, sorted(CHECKLIST_KEYS), NOTE)
    db.session.commit()
    title = ("ab " * THREAD_TITLE_MAX)[: THREAD_TITLE_MAX - 1].strip()
    free = in_request(lambda: discussions.create_thread(w.group, w.reader, title, "ab"))

    redact_passage(case, w.author, "ab")  # each "ab" grows into "[redacted]"
    db.session.commit()
    db.session.expire_all()
    scrubbed = db.session.get(Thread, free.id).title
    assert len(scrubbed) <= THREAD_TITLE_MAX and "ab" not in scrubbed.replace(REDACTED, "")


def test_every_sqlite_connection_runs_with_secure_delete_whatever_the_build_default():
    # Debian builds SQLite with secure_delete on by default; others (macOS, python.org) do not.
    def connection_with_it_off() -> sqlite3.Connection:
        raw = sqlite3.connect(":memory:")
        raw.execute("PRAGMA secure_delete=OFF")
        return raw

    engine = create_engine("sqlite://", creator=connection_with_it_off)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    engine.dispose()


def test_sqlite_zeroes_deleted_text(app, make_user, make_group):
    if sqlite_path() is None:
        pytest.skip("secure_delete is SQLite's; PostgreSQL keeps dead rows until VACUUM")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    w = make_world(make_user, make_group)
    words = "Quillon Vantablack-Oddery"
    thread = in_request(
        lambda: discussions.create_thread(w.group, w.reader, "A question", f"Ask {words}.")
    )
    [post] = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).all()
    in_request(lambda: discussions.remove_post(post))  # the text goes, the row stays
    assert columns_holding(words) == []
    assert not sqlite_file_holds(words)
