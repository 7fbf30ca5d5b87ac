"""Each event reaches the people concerned who may see its subject: never the actor, never
someone outside the group or outside the subject's audience; by the channel each chose."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from notification_support import (
    GROUP_NAME,
    SECRET_PHRASE,
    TITLE,
    World,
    make_world,
    notifications_of,
    share_new_revision,
    shared_case,
    submitted_review,
    told,
)
from sqlalchemy import select

from supervision.annotations.services import (
    create_annotation,
    reply,
    respond,
    section_texts,
    update_annotation,
)
from supervision.cases.services import approve_case, withdraw_case
from supervision.discussions.case_threads import case_thread
from supervision.discussions.services import add_post
from supervision.extensions import db
from supervision.groups.services import accept_invitation, find_invitation, invite, remove_member
from supervision.mail.services import outgoing
from supervision.models import (
    Annotation,
    AnnotationVisibility,
    Case,
    Channel,
    Membership,
    Notification,
    NotificationEvent,
    OutboxMessage,
    ResponseKind,
    Role,
)
from supervision.notifications.services import set_preferences
from supervision.reviews.services import release_review, start_review

E = NotificationEvent


@pytest.fixture()
def world(make_user, make_group) -> World:  # type: ignore[no-untyped-def]
    return make_world(make_user, make_group)


def outbox() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def assert_neutral(notification: Notification) -> None:
    for fragment in (TITLE, SECRET_PHRASE, "bakery", "compass"):
        assert fragment not in notification.text


# -- a case is shared ---------------------------------------------------------------------------


def test_a_shared_case_is_news_to_the_group_but_not_to_its_author_or_outsiders(world):
    case = shared_case(world.group, world.ana)

    assert told(world, E.CASE_SHARED) == {"Fran", "Rosa", "Sol", "Ben"}
    [notification] = notifications_of(world.ben, E.CASE_SHARED)
    assert notification.text == f"A case was shared in {GROUP_NAME}"
    assert notification.url == f"/cases/{case.id}"
    assert notification.actor_id == world.ana.id
    assert notification.read_at is None
    assert_neutral(notification)


def test_a_later_revision_is_not_news(world):
    case = shared_case(world.group, world.ana)
    share_new_revision(case, world.ana)

    assert len(notifications_of(world.ben, E.CASE_SHARED)) == 1


def test_a_case_awaiting_approval_is_announced_when_approved(world, make_user):
    second_facilitator = make_user("Gil")
    world.group.memberships.append(Membership(user=second_facilitator, role=Role.FACILITATOR))
    world.group.require_case_approval = True
    db.session.commit()
    case = shared_case(world.group, world.ana)
    assert told(world, E.CASE_SHARED) == set()  # only facilitators may read it yet

    approve_case(case, approver=world.fran)
    db.session.commit()

    # Everyone who may now read it, except its author and the facilitator who approved it.
    assert told(world, E.CASE_SHARED) == {"Rosa", "Sol", "Ben"}
    assert len(notifications_of(second_facilitator, E.CASE_SHARED)) == 1


# -- a review is released -----------------------------------------------------------------------


def test_a_released_review_is_news_to_the_case_author_only(world):
    case = shared_case(world.group, world.ana)
    review = submitted_review(case, world.rosa, 3)

    release_review(review)
    db.session.commit()

    assert told(world, E.REVIEW_RELEASED) == {"Ana"}
    [notification] = notifications_of(world.ana, E.REVIEW_RELEASED)
    assert notification.text == f"Rosa released a review of your case in {GROUP_NAME}"
    assert notification.url == f"/reviews/{review.id}"
    assert_neutral(notification)


def test_leaving_a_group_takes_what_it_told_you(world):
    shared_case(world.group, world.ana)
    assert len(notifications_of(world.ben, E.CASE_SHARED)) == 1
    membership = db.session.scalar(select(Membership).where(Membership.user_id == world.ben.id))
    remove_member(membership)
    db.session.commit()
    assert notifications_of(world.ben) == []  # its links lead nowhere Ben may go now
    assert len(notifications_of(world.sol, E.CASE_SHARED)) == 1  # the others keep theirs


def test_an_author_who_left_the_group_is_not_told(world):
    case = shared_case(world.group, world.ana)
    review = submitted_review(case, world.rosa, 3)
    membership = db.session.scalar(select(Membership).where(Membership.user_id == world.ana.id))
    remove_member(membership)
    db.session.commit()

    release_review(review)
    db.session.commit()

    assert told(world, E.REVIEW_RELEASED) == set()


# -- reviews differ -----------------------------------------------------------------------------


def test_a_new_discrepancy_is_news_to_the_revisions_reviewers_and_the_facilitators(
    world, make_user
):
    case = shared_case(world.group, world.ana)
    submitted_review(case, world.rosa, 1)
    assert told(world, E.DISCREPANCY) == set()  # one review cannot differ from itself

    submitted_review(case, world.sol, 4)

    # Sol submitted (the actor); Rosa reviewed; Fran facilitates. Not the author, not Ben.
    assert told(world, E.DISCREPANCY) == {"Rosa", "Fran"}
    [notification] = notifications_of(world.rosa, E.DISCREPANCY)
    assert notification.text == f"Reviews of a case in {GROUP_NAME} differ by two levels or more"
    assert notification.url == f"/cases/{case.id}/reviews/list#discrepancies"
    assert_neutral(notification)


def test_only_a_new_discrepancy_is_news(world, make_user):
    third = make_user("Tam")
    drafting = make_user("Dee")
    world.group.memberships.append(Membership(user=third, role=Role.SUPERVISOR))
    world.group.memberships.append(Membership(user=drafting, role=Role.SUPERVISOR))
    db.session.commit()
    case = shared_case(world.group, world.ana)
    start_review(case, drafting)  # a draft is not a review of the revision yet
    db.session.commit()
    submitted_review(case, world.rosa, 1)
    submitted_review(case, world.sol, 4)
    before = {user.id: len(notifications_of(user)) for user in (world.rosa, world.fran)}

    submitted_review(case, third, 2)  # the same criterion already differed

    assert {user.id: len(notifications_of(user)) for user in (world.rosa, world.fran)} == before
    assert notifications_of(third, E.DISCREPANCY) == []
    assert notifications_of(drafting, E.DISCREPANCY) == []


# -- annotations --------------------------------------------------------------------------------


def annotate(case: Case, author, visibility: AnnotationVisibility) -> Annotation:  # type: ignore[no-untyped-def]
    revision = case.revisions[-1]
    text = section_texts(revision)["moment"]
    start = text.index("handed me")
    end = start + len("handed me")
    annotation = create_annotation(
        case,
        author,
        revision.number,
        "moment",
        start,
        end,
        "handed me",
        "Worth staying with.",
        visibility=visibility,
    )
    db.session.commit()
    return annotation


def test_replies_reach_the_annotation_author_and_earlier_repliers_who_can_read_it(world):
    case = shared_case(world.group, world.ana)
    annotation = annotate(case, world.rosa, AnnotationVisibility.GROUP)

    reply(annotation, world.ben, "I wondered the same.")
    db.session.commit()
    assert told(world, E.ANNOTATION_REPLY) == {"Rosa"}
    [first] = notifications_of(world.rosa, E.ANNOTATION_REPLY)
    assert first.text == f"Ben replied to your annotation in {GROUP_NAME}"
    assert first.url == f"/cases/{case.id}#annotation-{annotation.id}"
    assert_neutral(first)

    reply(annotation, world.sol, "So did I.")
    db.session.commit()
    assert len(notifications_of(world.rosa, E.ANNOTATION_REPLY)) == 2
    [to_ben] = notifications_of(world.ben, E.ANNOTATION_REPLY)
    assert to_ben.text == f"Sol replied to an annotation you replied to in {GROUP_NAME}"
    assert notifications_of(world.sol, E.ANNOTATION_REPLY) == []  # never the actor

    # Narrowed to reviewers: Ben, who replied when it was the group's, may no longer read it.
    update_annotation(annotation, annotation.body, None, AnnotationVisibility.REVIEWERS)
    db.session.commit()
    reply(annotation, world.fran, "Let us take this up on Thursday.")
    db.session.commit()
    assert len(notifications_of(world.ben, E.ANNOTATION_REPLY)) == 1
    assert len(notifications_of(world.sol, E.ANNOTATION_REPLY)) == 1
    assert len(notifications_of(world.rosa, E.ANNOTATION_REPLY)) == 3
    assert notifications_of(world.otto) == []


def test_the_case_authors_answer_reaches_the_annotation_author_only(world):
    case = shared_case(world.group, world.ana)
    annotation = annotate(case, world.rosa, AnnotationVisibility.SUPERVISEE)
    reply(annotation, world.sol, "Agreed.")
    db.session.commit()

    respond(annotation, world.ana, ResponseKind.ACKNOWLEDGED)
    db.session.commit()

    [answered] = [
        n for n in notifications_of(world.rosa, E.ANNOTATION_REPLY) if "answered" in n.text
    ]
    assert answered.text == f"Ana answered your annotation in {GROUP_NAME}"
    assert [n.text for n in notifications_of(world.sol, E.ANNOTATION_REPLY)] == []
    assert notifications_of(world.ana, E.ANNOTATION_REPLY) == []


# -- invitations --------------------------------------------------------------------------------


def test_an_invitation_to_someone_with_an_account_is_also_in_the_app(app: Flask, world):
    with app.test_request_context():
        invite(world.group, world.fran, world.otto.email.upper(), Role.SUPERVISEE)
        invite(world.group, world.fran, "nobody.yet@example.org", Role.SUPERVISEE)
        db.session.commit()

    [notification] = notifications_of(world.otto, E.INVITATION)
    assert notification.text == (
        f"Fran invited you to join {GROUP_NAME}. The link to accept is in the invitation email."
    )
    assert notification.url == "/groups/"
    assert "/groups/invitations/" not in notification.url  # the token stays in the email
    assert [m.recipient for m in outbox()] == [world.otto.email, "nobody.yet@example.org"]


def test_accepting_an_invitation_reads_its_notification(app: Flask, world):
    with app.test_request_context():
        invite(world.group, world.fran, world.otto.email, Role.SUPERVISEE)
        db.session.commit()
    [notification] = notifications_of(world.otto, E.INVITATION)
    assert notification.read_at is None
    [mail] = outbox()
    token = re.search(r"/groups/invitations/([\w-]+)", outgoing(mail).body).group(1)  # type: ignore[union-attr]
    with app.test_request_context():
        accept_invitation(find_invitation(token), world.otto)
        db.session.commit()
    db.session.expire_all()
    [notification] = notifications_of(world.otto, E.INVITATION)
    assert notification.read_at is not None


def test_an_invitation_is_not_emailed_twice(app: Flask, world):
    set_preferences(world.otto, {E.INVITATION: Channel.EMAIL})
    db.session.commit()

    with app.test_request_context():
        invite(world.group, world.fran, world.otto.email, Role.SUPERVISEE)
        db.session.commit()

    assert len(notifications_of(world.otto, E.INVITATION)) == 1
    [mail] = outbox()
    assert mail.subject == "You are invited to a group on Attune"


def test_an_invitation_with_notifications_off_still_sends_its_email(app: Flask, world):
    set_preferences(world.otto, {E.INVITATION: Channel.OFF})
    db.session.commit()

    with app.test_request_context():
        invite(world.group, world.fran, world.otto.email, Role.SUPERVISEE)
        db.session.commit()

    assert notifications_of(world.otto) == []
    assert len(outbox()) == 1


# -- preferences --------------------------------------------------------------------------------


def test_off_means_nothing_and_email_means_a_neutral_mail_as_well(world):
    set_preferences(world.ben, {E.CASE_SHARED: Channel.OFF})
    set_preferences(world.rosa, {E.CASE_SHARED: Channel.EMAIL})
    db.session.commit()

    case = shared_case(world.group, world.ana)

    assert notifications_of(world.ben) == []
    assert len(notifications_of(world.rosa, E.CASE_SHARED)) == 1
    assert len(notifications_of(world.sol, E.CASE_SHARED)) == 1  # the default: in the app
    [mail] = outbox()  # only Rosa chose email
    assert mail.recipient == world.rosa.email
    assert f"A case was shared in {GROUP_NAME}" in mail.body
    assert f"http://localhost/cases/{case.id}" in mail.body
    for fragment in (SECRET_PHRASE, TITLE, "bakery", "compass"):
        assert fragment not in mail.body
        assert fragment not in mail.subject


def test_a_disabled_account_is_not_told(world):
    world.ben.is_disabled = True
    set_preferences(world.ben, {E.CASE_SHARED: Channel.EMAIL})
    db.session.commit()

    shared_case(world.group, world.ana)

    assert notifications_of(world.ben) == []
    assert outbox() == []


# -- withdrawal ---------------------------------------------------------------------------------


def test_withdrawing_a_case_withdraws_everything_told_about_it(world):
    case = shared_case(world.group, world.ana)
    other = shared_case(world.group, world.ana, "Another case")
    annotation = annotate(case, world.rosa, AnnotationVisibility.GROUP)
    reply(annotation, world.ben, "Yes.")
    submitted_review(case, world.rosa, 1)
    release_review(submitted_review(case, world.sol, 4))
    db.session.commit()
    case_id = case.id
    about_case = select(Notification).where(
        Notification.subject_type == "case", Notification.subject_id == case_id
    )
    events = {n.event for n in db.session.scalars(about_case)}
    assert events == {E.CASE_SHARED, E.ANNOTATION_REPLY, E.DISCREPANCY, E.REVIEW_RELEASED}

    thread = case_thread(case)
    assert thread is not None
    post = add_post(thread, world.rosa, f"@{world.ben.display_name} what do you make of it?")
    db.session.commit()
    post_id = post.id
    about_post = select(Notification).where(
        Notification.subject_type == "post", Notification.subject_id == post_id
    )
    assert {n.event for n in db.session.scalars(about_post)} >= {E.MENTION}

    withdraw_case(case)
    db.session.commit()

    assert db.session.scalars(about_case).all() == []
    assert db.session.scalars(about_post).all() == []  # the case's discussion went with it
    assert len(notifications_of(world.ben, E.CASE_SHARED)) == 1  # the other case's
    [left] = notifications_of(world.ben)
    assert left.url == f"/cases/{other.id}"
