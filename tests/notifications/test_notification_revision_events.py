"""What a supervisee and the annotators hear when a revision reaches the group: the case's author
when someone else put it before its reviewers (an approval); whoever wrote or cites an annotation
whose passage the revision rewords or removes. Never the actor, never case text."""

from __future__ import annotations

import pytest
from notification_support import (
    GROUP_NAME,
    SECRET_PHRASE,
    TITLE,
    World,
    make_world,
    notifications_of,
    shared_case,
    told,
)
from sqlalchemy import select
from support import pass_gate, revise, revise_and_share

from supervision.annotations.services import cite, create_annotation, section_texts
from supervision.cases.services import approve_case
from supervision.extensions import db
from supervision.groups.services import remove_member
from supervision.models import (
    Annotation,
    AnnotationVisibility,
    Case,
    Channel,
    Membership,
    Notification,
    NotificationEvent,
    User,
)
from supervision.notifications.services import set_preferences
from supervision.reviews.services import start_review

E = NotificationEvent
MOMENT = f"At the door the client handed me {SECRET_PHRASE} and said nothing."


@pytest.fixture()
def world(make_user, make_group) -> World:  # type: ignore[no-untyped-def]
    return make_world(make_user, make_group)


def assert_neutral(notification: Notification) -> None:
    for fragment in (TITLE, SECRET_PHRASE, "compass", "handed", "said nothing", "gave"):
        assert fragment not in notification.text


def annotate(case: Case, author: User, passage: str, visibility=AnnotationVisibility.GROUP):  # type: ignore[no-untyped-def]
    revision = case.revisions[-1]
    start = section_texts(revision)["moment"].index(passage)
    annotation = create_annotation(
        case,
        author,
        revision.number,
        "moment",
        start,
        start + len(passage),
        passage,
        "Worth staying with.",
        visibility=visibility,
    )
    db.session.commit()
    return annotation


def cited_by(case: Case, reviewer: User, *annotations: Annotation) -> None:
    """``reviewer`` starts a review of the case and cites ``annotations`` for one criterion."""
    review = start_review(case, reviewer)
    cite(review.scores[0], list(annotations))
    db.session.commit()


# -- the case reaches its reviewers -------------------------------------------------------------


def test_the_author_hears_when_an_approval_puts_their_case_before_its_reviewers(world):
    world.group.require_case_approval = True
    db.session.commit()
    case = shared_case(world.group, world.ana)
    assert notifications_of(world.ana, E.CASE_WITH_REVIEWERS) == []  # waiting for approval

    approve_case(case, approver=world.fran)
    db.session.commit()

    [notification] = notifications_of(world.ana, E.CASE_WITH_REVIEWERS)
    assert notification.text == (
        f"Fran approved your case in {GROUP_NAME}: its reviewers can read it now"
    )
    assert notification.url == f"/cases/{case.id}"
    assert notification.actor_id == world.fran.id
    assert_neutral(notification)
    assert told(world, E.CASE_WITH_REVIEWERS) == {"Ana"}  # the group hears of it as CASE_SHARED


def test_sharing_it_oneself_is_not_news_to_oneself(world):
    case = shared_case(world.group, world.ana)
    revise_and_share(case, reactions="I felt moved, and later uneasy.")

    assert told(world, E.CASE_WITH_REVIEWERS) == set()


def test_the_author_can_turn_it_off(world):
    world.group.require_case_approval = True
    set_preferences(world.ana, {E.CASE_WITH_REVIEWERS: Channel.OFF})
    db.session.commit()
    case = shared_case(world.group, world.ana)

    approve_case(case, approver=world.fran)
    db.session.commit()

    assert notifications_of(world.ana, E.CASE_WITH_REVIEWERS) == []
    assert len(notifications_of(world.rosa, E.CASE_SHARED)) == 1


# -- annotations to look at again ----------------------------------------------------------------


def test_a_reworded_passage_is_news_to_who_wrote_the_annotation_and_who_cites_it(world):
    case = shared_case(world.group, world.ana)
    reworded = annotate(case, world.rosa, "handed me")
    kept = annotate(case, world.ben, "said nothing")
    cited_by(case, world.sol, reworded, kept)

    revise(case, moment=MOMENT.replace("handed me", "gave me"))
    assert told(world, E.ANNOTATION_REREVIEW) == set()  # saved, not shared: the author's alone

    pass_gate(case)

    assert told(world, E.ANNOTATION_REREVIEW) == {"Rosa", "Sol"}  # not Ben: his passage stayed
    [to_rosa] = notifications_of(world.rosa, E.ANNOTATION_REREVIEW)
    assert to_rosa.text == (
        f"Ana shared a revision of a case in {GROUP_NAME}: your annotation waits for "
        "re-review (the passage was reworded or removed)"
    )
    assert to_rosa.url == f"/cases/{case.id}#annotation-{reworded.id}"
    assert to_rosa.actor_id == world.ana.id
    [to_sol] = notifications_of(world.sol, E.ANNOTATION_REREVIEW)
    assert "an annotation your review cites waits for re-review" in to_sol.text
    for notification in (to_rosa, to_sol):
        assert_neutral(notification)


def test_a_passage_gone_is_news_once_and_several_annotations_make_one_notification(world):
    case = shared_case(world.group, world.ana)
    first = annotate(case, world.rosa, "handed me")
    second = annotate(case, world.rosa, "said nothing", AnnotationVisibility.REVIEWERS)

    revise_and_share(case, moment="At the door the client stood still for a while.")

    [notification] = notifications_of(world.rosa, E.ANNOTATION_REREVIEW)
    assert notification.text == (
        f"Ana shared a revision of a case in {GROUP_NAME}: 2 of your annotations wait for "
        "re-review (the passage was reworded or removed)"
    )
    assert notification.url == f"/cases/{case.id}#annotations"
    assert {a.anchors[-1].status.value for a in (first, second)} == {"orphaned"}

    revise_and_share(case, reactions="I felt moved, and later uneasy.")  # still gone

    assert len(notifications_of(world.rosa, E.ANNOTATION_REREVIEW)) == 1


def test_only_those_who_may_still_read_the_annotation_are_told(world):
    case = shared_case(world.group, world.ana)
    private = annotate(case, world.rosa, "handed me", AnnotationVisibility.PRIVATE)
    by_ben = annotate(case, world.ben, "said nothing")
    cited_by(case, world.sol, by_ben)
    remove_member(db.session.scalar(select(Membership).where(Membership.user_id == world.ben.id)))
    db.session.commit()

    revise_and_share(case, moment=MOMENT.replace("handed me", "gave me").replace("said", "spoke"))

    assert told(world, E.ANNOTATION_REREVIEW) == {"Rosa", "Sol"}
    assert notifications_of(world.otto) == []
    assert notifications_of(world.ana, E.ANNOTATION_REREVIEW) == []  # she made the change
    assert private.anchors[-1].status.value == "changed"


def test_rereview_notifications_follow_the_chosen_channel(world):
    case = shared_case(world.group, world.ana)
    annotate(case, world.rosa, "handed me")
    set_preferences(world.rosa, {E.ANNOTATION_REREVIEW: Channel.OFF})
    db.session.commit()

    revise_and_share(case, moment=MOMENT.replace("handed me", "gave me"))

    assert notifications_of(world.rosa, E.ANNOTATION_REREVIEW) == []
