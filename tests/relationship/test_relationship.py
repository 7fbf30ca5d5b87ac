"""Relationship check-ins, the wish to talk and the pooled trend, through the services and the
pages: the aggregation threshold, no identifying dates, and who may do what."""

from __future__ import annotations

import re
from typing import Any

import pytest
from relationship_support import answer, answered_reviews, case_by, make_world, review
from sqlalchemy import func, select
from support import Browser

from supervision.cases.privacy import redact_passage
from supervision.extensions import db
from supervision.models import Notification, NotificationEvent, RelationshipCheck
from supervision.permissions import Permission, can
from supervision.relationship.occasions import occasion_of, pending_occasions
from supervision.relationship.services import RelationshipError, record_check

ANSWERS = {"safety": "6", "goals": "5", "tasks": "6", "heard": "7"}


@pytest.fixture
def world(app: Any, make_user: Any, make_group: Any):  # type: ignore[no-untyped-def]
    return make_world(make_user, make_group)


def test_a_released_review_offers_its_author_a_check_in_about_its_reviewer(app, world) -> None:  # type: ignore[no-untyped-def]
    released = review(case_by(world, world.supervisee), world.supervisor)
    browser = Browser(app, world.supervisee)
    told_before = db.session.scalar(select(func.count()).select_from(Notification))
    page = browser.text(f"/reviews/{released.id}")
    assert f"/supervision/reviews/{released.id}/check-in" in page
    assert f"/supervision/reviews/{released.id}/check-in" in browser.text("/supervision/")
    response = browser.post(
        f"/supervision/reviews/{released.id}/check-in", {**ANSWERS, "note": "Felt rushed."}
    )
    assert response.status_code == 302
    check = db.session.scalars(select(RelationshipCheck)).one()
    assert (check.supervisor_id, check.supervisee_id) == (world.supervisor.id, world.supervisee.id)
    assert (check.safety, check.goals, check.tasks, check.heard) == (6, 5, 6, 7)
    assert pending_occasions(world.supervisee) == []
    assert "/check-in" not in browser.text(f"/reviews/{released.id}")  # offered once
    # Answering tells no one: a notification would date the answer.
    assert db.session.scalar(select(func.count()).select_from(Notification)) == told_before


def test_a_check_in_wants_every_statement_answered(app, world) -> None:  # type: ignore[no-untyped-def]
    released = review(case_by(world, world.supervisee), world.supervisor)
    browser = Browser(app, world.supervisee)
    response = browser.post(
        f"/supervision/reviews/{released.id}/check-in", {**ANSWERS, "heard": "8"}
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(RelationshipCheck)) == 0


def test_one_answer_per_review(app, world) -> None:  # type: ignore[no-untyped-def]
    released = review(case_by(world, world.supervisee), world.supervisor)
    answer(world.supervisee, released, 5)
    with pytest.raises(RelationshipError):
        answer(world.supervisee, released, 2)
    browser = Browser(app, world.supervisee)
    response = browser.post(f"/supervision/reviews/{released.id}/check-in", ANSWERS)
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(RelationshipCheck)) == 1


def test_a_check_in_sent_twice_at_once_is_stored_once(app, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Two tabs posting together both get past the "already answered?" look-up; the database's
    # unique row decides, and the second is told rather than answered with an error page.
    released = review(case_by(world, world.supervisee), world.supervisor)
    answer(world.supervisee, released, 5)
    monkeypatch.setattr("supervision.relationship.services.answered", lambda *_: False)
    with pytest.raises(RelationshipError):
        answer(world.supervisee, released, 2)
    db.session.commit()  # the session is still usable: the first answer stays
    assert db.session.scalar(select(func.count()).select_from(RelationshipCheck)) == 1


def test_only_the_case_author_checks_in_and_only_after_release(app, world) -> None:  # type: ignore[no-untyped-def]
    case = case_by(world, world.supervisee)
    submitted = review(case, world.supervisor, release=False)
    released = review(case, world.other_supervisor)
    assert not can(world.supervisee, Permission.RELATIONSHIP_CHECK, submitted)
    assert can(world.supervisee, Permission.RELATIONSHIP_CHECK, released)
    for user in (world.other_supervisee, world.other_supervisor, world.facilitator):
        assert not can(user, Permission.RELATIONSHIP_CHECK, released)
    assert (
        Browser(app, world.other_supervisee).status(f"/supervision/reviews/{released.id}/check-in")
        == 403
    )
    # The author may not read a review that is not released: it is not admitted to exist.
    assert (
        Browser(app, world.supervisee).status(f"/supervision/reviews/{submitted.id}/check-in")
        == 404
    )


def test_two_answers_show_the_supervisor_nothing(app, world) -> None:  # type: ignore[no-untyped-def]
    answered_reviews(world, 2, value=2)
    assert not can(world.supervisor, Permission.RELATIONSHIP_TREND_VIEW, world.supervisor)
    browser = Browser(app, world.supervisor)
    assert browser.status("/desk/relationship") == 403
    desk = browser.text("/desk/")
    assert "Latest period" not in desk and "2.0" not in desk
    assert "/desk/relationship" not in desk


def test_three_answers_show_the_supervisor_their_mean_without_a_date(app, world) -> None:  # type: ignore[no-untyped-def]
    answered_reviews(world, 3, value=5)
    db.session.expire_all()
    assert can(world.supervisor, Permission.RELATIONSHIP_TREND_VIEW, world.supervisor)
    browser = Browser(app, world.supervisor)
    page = browser.text("/desk/relationship")
    assert "Period 1" in page and "5.0" in page
    year = str(db.session.scalars(select(RelationshipCheck)).first().created_at.year)
    main = page.split('id="main"')[1]
    assert "<time" not in main and year not in main
    assert not re.search(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b", main)
    assert "Latest period" in browser.text("/desk/")


def test_the_trend_is_only_ones_own(app, world) -> None:  # type: ignore[no-untyped-def]
    answered_reviews(world, 3)
    for user in (world.other_supervisor, world.facilitator, world.supervisee):
        assert not can(user, Permission.RELATIONSHIP_TREND_VIEW, world.supervisor)
        assert Browser(app, user).status("/desk/relationship") == 403


def test_a_fourth_answer_stays_out_of_sight_until_its_block_completes(app, world) -> None:  # type: ignore[no-untyped-def]
    made = answered_reviews(world, 3, value=6)
    browser = Browser(app, world.supervisor)
    before = browser.text("/desk/relationship").split('id="main"')[1]
    released = review(case_by(world, world.supervisee, "Fourth"), world.supervisor)
    answer(world.supervisee, released, 1, note="Something felt off.")
    assert browser.text("/desk/relationship").split('id="main"')[1] == before
    assert len(made) == 3


def test_a_drop_suggests_naming_a_rupture(app, world) -> None:  # type: ignore[no-untyped-def]
    answered_reviews(world, 3, value=6)
    browser = Browser(app, world.supervisor)
    assert "rupture" not in browser.text("/desk/relationship").split("How the answers")[0]
    for number in range(3):
        released = review(case_by(world, world.supervisee, f"Later {number}"), world.supervisor)
        answer(world.supervisee, released, 4)
    page = browser.text("/desk/relationship")
    assert "2.0 points down" in page and "rupture" in page
    assert "2.0 points down" in browser.text("/desk/")


def test_notes_show_only_pooled_from_three(app, world) -> None:  # type: ignore[no-untyped-def]
    notes = ["Zest in the room.", "", "A calmer hour."]
    for number, note in enumerate(notes):
        released = review(case_by(world, world.supervisee, f"N{number}"), world.supervisor)
        answer(world.supervisee, released, 5, note)
    browser = Browser(app, world.supervisor)
    assert "Zest in the room." not in browser.text("/desk/relationship")
    released = review(case_by(world, world.supervisee, "N3"), world.supervisor)
    answer(world.supervisee, released, 5, "Middle note.")
    for number in range(4, 6):
        released = review(case_by(world, world.supervisee, f"N{number}"), world.supervisor)
        answer(world.supervisee, released, 5)
    page = browser.text("/desk/relationship")
    assert page.index("A calmer hour.") < page.index("Middle note.") < page.index("Zest in")


def test_the_wish_to_talk_is_a_neutral_prompt_sent_once_while_unread(app, world) -> None:  # type: ignore[no-untyped-def]
    review(case_by(world, world.supervisee), world.supervisor)
    browser = Browser(app, world.supervisee)
    assert "Tell Sam Supervisor I'd like to talk" in browser.text("/supervision/")
    assert browser.post(f"/supervision/talk/{world.supervisor.id}").status_code == 302
    assert browser.post(f"/supervision/talk/{world.supervisor.id}").status_code == 302
    sent = db.session.scalars(
        select(Notification).where(Notification.event == NotificationEvent.TALK_REQUESTED)
    ).all()
    assert [(n.user_id, n.text) for n in sent] == [
        (world.supervisor.id, "Alex Author would like to talk about how supervision is going")
    ]


def test_the_wish_to_talk_goes_only_to_ones_reviewers(app, world, make_user, make_group) -> None:  # type: ignore[no-untyped-def]
    review(case_by(world, world.supervisee), world.supervisor)
    browser = Browser(app, world.other_supervisee)
    assert browser.post(f"/supervision/talk/{world.supervisor.id}").status_code == 403
    stranger = make_user("Stella Stranger")
    assert browser.post(f"/supervision/talk/{stranger.id}").status_code == 404
    assert not db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.event == NotificationEvent.TALK_REQUESTED)
    )


def test_a_redaction_reaches_the_notes(app, world) -> None:  # type: ignore[no-untyped-def]
    case = case_by(world, world.supervisee)
    released = review(case, world.supervisor)
    record_check(
        world.supervisee,
        occasion_of(released),
        {"safety": 5, "goals": 5, "tasks": 5, "heard": 5},
        "When the client offered a small gift I froze.",
    )
    db.session.commit()
    redact_passage(case, world.supervisee, "offered a small gift")
    db.session.commit()
    note = db.session.scalars(select(RelationshipCheck.note)).one()
    assert "small gift" not in note and "[redacted]" in note
