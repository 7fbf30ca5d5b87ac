"""Self-assessment: the author scores their own revision blind to its released reviews, then
reads them beside their own levels; the growth page shows the gap; nobody else sees it."""

from __future__ import annotations

import pytest
from conftest import csrf_token
from flask import Flask
from growth_support import review
from support import shared_case, supervision_group

from supervision.extensions import db
from supervision.growth.series import growth_of
from supervision.models import Review, SelfAssessment
from supervision.permissions import Permission, can
from supervision.self_assessment.services import (
    SelfAssessmentError,
    side_by_side,
    skip_self_assessment,
    start_self_assessment,
    submit_self_assessment,
)

KEYS = (
    "boundaries",
    "pacing",
    "corrective_experience",
    "holding_steady",
    "attunement",
    "silence",
    "rupture_repair",
)


def _levels(**given: int | None) -> dict[str, int | None]:
    return {key: given.get(key) for key in KEYS}


@pytest.fixture()
def world(make_user, make_group):
    facilitator = make_user("Fran Facilitator")
    supervisor = make_user("Sam Supervisor")
    author = make_user("Alex Author")
    reader = make_user("Robin Reader")
    group = supervision_group(make_group, facilitator, [supervisor], [author, reader], "Tuesday")
    return group, facilitator, supervisor, author, reader


def test_the_released_review_waits_until_the_author_submits_their_own_levels(
    app: Flask, world
) -> None:
    group, _facilitator, supervisor, author, _reader = world
    with app.test_request_context():
        case = shared_case(group, author, "My case")
        assessment = start_self_assessment(case, author)
        db.session.commit()
        released = review(case, supervisor, {"boundaries": 2})
    with app.test_request_context():
        assert assessment.blind
        assert not can(author, Permission.REVIEW_READ_SCORES, released)
        assert not can(author, Permission.REVIEW_READ_FEEDBACK, released)
        submit_self_assessment(assessment, _levels(boundaries=4))
        db.session.commit()
    with app.test_request_context():
        assert can(author, Permission.REVIEW_READ_SCORES, released)
        rows = {row.key: row for row in side_by_side(assessment, author)}
    assert rows["boundaries"].own == 4
    assert [(r.reviewer_name, r.level) for r in rows["boundaries"].reviewers] == [
        ("Sam Supervisor", 2)
    ]
    assert rows["pacing"].own is None  # not visible


def test_skipping_shows_the_reviews_at_once(app: Flask, world) -> None:
    group, _facilitator, supervisor, author, _reader = world
    with app.test_request_context():
        case = shared_case(group, author, "My case")
        assessment = start_self_assessment(case, author)
        released = review(case, supervisor, {"boundaries": 2})
        assert not can(author, Permission.REVIEW_READ_SCORES, released)
        skip_self_assessment(assessment)
        db.session.commit()
        assert can(author, Permission.REVIEW_READ_SCORES, released)


def test_started_after_reading_a_released_review_it_is_not_blind(app: Flask, world) -> None:
    group, _facilitator, supervisor, author, _reader = world
    with app.test_request_context():
        case = shared_case(group, author, "My case")
        review(case, supervisor, {"boundaries": 2})
        assert not start_self_assessment(case, author).blind


def test_every_criterion_needs_an_answer(app: Flask, world) -> None:
    group, _facilitator, _supervisor, author, _reader = world
    with app.test_request_context():
        assessment = start_self_assessment(shared_case(group, author, "My case"), author)
        with pytest.raises(SelfAssessmentError):
            submit_self_assessment(assessment, {"boundaries": 3})


def test_the_growth_page_shows_where_own_levels_run_above_the_released_ones(
    app: Flask, world
) -> None:
    group, _facilitator, supervisor, author, _reader = world
    with app.test_request_context():
        for title, own, theirs in (("First", 4, 2), ("Second", 4, 3)):
            case = shared_case(group, author, title)
            submit_self_assessment(start_self_assessment(case, author), _levels(boundaries=own))
            review(case, supervisor, {"boundaries": theirs})
        db.session.commit()
        boundaries = growth_of(author, author).criterion("boundaries")
    assert boundaries.self_levels == [4, 4]
    assert boundaries.self_gap == 1.5
    assert (
        boundaries.self_gap_text
        == "Over the reviews shown, your own levels run 1.5 above the released ones, on average."
    )


def test_own_levels_are_never_a_review_nor_on_a_shared_growth_page(app: Flask, world) -> None:
    from supervision.cases.services import close_case
    from supervision.growth.services import set_growth_share

    group, _facilitator, supervisor, author, _reader = world
    with app.test_request_context():
        case = shared_case(group, author, "Mine")
        submit_self_assessment(start_self_assessment(case, author), _levels(boundaries=5))
        review(case, supervisor, {"boundaries": 2})
        close_case(case)
        set_growth_share(author, group, supervisor.id, True)
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count(Review.id))) == 1
        theirs = growth_of(supervisor, author).criterion("boundaries")
    assert theirs.levels == [2] and theirs.self_levels == [None] and theirs.self_gap is None


def test_the_page_is_the_authors_alone(app: Flask, world, login_as) -> None:
    group, facilitator, supervisor, author, reader = world
    with app.test_request_context():
        case = shared_case(group, author, "My case")
    path = f"/cases/{case.id}/self-assessment"
    for someone in (facilitator, supervisor, reader):
        client = login_as(someone)
        assert client.get(path).status_code == 403
        client.post("/logout", data={"csrf_token": csrf_token(client, "/growth")})
    client = login_as(author)
    assert "Start scoring my case" in client.get(path).get_data(as_text=True)
    token = csrf_token(client, path)
    assert client.post(f"{path}/start", data={"csrf_token": token}).status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert 'name="level-boundaries"' in page and "Skip it and read the reviews" in page
    form = {f"level-{key}": "n/o" for key in KEYS} | {"level-boundaries": "3"}
    done = client.post(path, data={"csrf_token": token, **form}, follow_redirects=True)
    assert "My levels beside my supervisors" in done.get_data(as_text=True)
    saved = db.session.scalar(db.select(SelfAssessment))
    assert saved.status.value == "submitted"
    assert {s.criterion_key: s.level for s in saved.scores}["boundaries"] == 3
