"""The growth page's values and the share-my-growth rule, through the services."""

from __future__ import annotations

import pytest
from flask import Flask
from growth_support import PASSAGE, annotate, review
from support import shared_case, supervision_group

from supervision.cases.services import close_case
from supervision.extensions import db
from supervision.growth.series import growth_of
from supervision.growth.services import GrowthError, growth_shared_with, set_growth_share
from supervision.models import Membership, Role
from supervision.permissions import Permission, can


@pytest.fixture()
def world(make_user, make_group):
    facilitator = make_user("Fran Facilitator")
    supervisor = make_user("Sam Supervisor")
    other_supervisor = make_user("Kim Supervisor")
    author = make_user("Alex Author")
    reader = make_user("Robin Reader")
    group = supervision_group(
        make_group, facilitator, [supervisor, other_supervisor], [author, reader], name="Tuesday"
    )
    return group, facilitator, supervisor, other_supervisor, author, reader


def test_levels_over_time_per_criterion_with_not_visible_as_a_gap(app: Flask, world) -> None:
    group, _facilitator, supervisor, _other, author, _reader = world
    with app.test_request_context():
        first = shared_case(group, author, "First case")
        review(first, supervisor, {"boundaries": 2, "pacing": None})
        second = shared_case(group, author, "Second case")
        review(second, supervisor, {"boundaries": 4, "pacing": 3})
        third = shared_case(group, author, "Third case")
        review(third, supervisor, {"boundaries": 5}, release=False)  # submitted, not released
        growth = growth_of(author, author)
        boundaries = growth.criterion("boundaries")
        pacing = growth.criterion("pacing")
    assert boundaries is not None and pacing is not None
    assert boundaries.levels == [2, 4]
    assert [p.case_title for p in boundaries.points] == ["First case", "Second case"]
    assert pacing.levels == [None, 3]  # a gap, never a zero
    assert pacing.points[0].not_visible and pacing.points[0].level_text.startswith("Not visible")


def test_each_level_links_the_passages_it_cited(app: Flask, world) -> None:
    group, _facilitator, supervisor, _other, author, _reader = world
    with app.test_request_context():
        case = shared_case(group, author, "First case")
        annotation = annotate(case, supervisor)
        review(case, supervisor, {"boundaries": 3}, cite={"boundaries": [annotation]})
        point = growth_of(author, author).criterion("boundaries").points[0]
    assert [p.quote for p in point.passages] == ["offered a small gift"]
    assert point.passages[0].url == (
        f"/cases/{case.id}?revision={case.published_number}#annotation-{annotation.id}"
    )


def test_latest_feedback_and_annotations_waiting_for_an_answer(app: Flask, world) -> None:
    group, _facilitator, supervisor, _other, author, _reader = world
    with app.test_request_context():
        case = shared_case(group, author, "First case")
        review(case, supervisor, {"boundaries": 3}, feedback="Older feedback.")
        later = shared_case(group, author, "Later case")
        review(later, supervisor, {"boundaries": 4}, feedback="Newest feedback.")
        annotate(later, supervisor)
        growth = growth_of(author, author)
    assert growth.latest_feedback is not None
    assert "Newest feedback." in growth.latest_feedback.feedback_html
    assert [(w.case_title, w.quote) for w in growth.waiting] == [("Later case", PASSAGE)]


def test_nobody_but_the_supervisee_sees_the_page_until_they_share_it(app: Flask, world) -> None:
    group, facilitator, supervisor, other, author, reader = world
    with app.test_request_context():
        assert can(author, Permission.GROWTH_VIEW, author)
        for someone in (facilitator, supervisor, other, reader):
            assert not can(someone, Permission.GROWTH_VIEW, author)
        set_growth_share(author, group, supervisor.id, True)
        db.session.commit()
        assert can(supervisor, Permission.GROWTH_VIEW, author)
        assert not can(other, Permission.GROWTH_VIEW, author)
        assert not can(facilitator, Permission.GROWTH_VIEW, author)
        assert growth_shared_with(supervisor) == [(author, group)]
        assert growth_shared_with(other) == []
        set_growth_share(author, group, supervisor.id, False)  # revoked
        db.session.commit()
        assert not can(supervisor, Permission.GROWTH_VIEW, author)
        assert growth_shared_with(supervisor) == []


def test_a_share_counts_only_while_the_supervisor_still_reviews_in_the_group(
    app: Flask, world
) -> None:
    group, _facilitator, supervisor, _other, author, _reader = world
    with app.test_request_context():
        set_growth_share(author, group, supervisor.id, True)
        db.session.commit()
        membership = db.session.scalar(
            db.select(Membership).filter_by(group_id=group.id, user_id=supervisor.id)
        )
        membership.role = Role.SUPERVISEE
        db.session.commit()
    with app.test_request_context():
        assert not can(supervisor, Permission.GROWTH_VIEW, author)
        assert growth_shared_with(supervisor) == []


def test_only_the_groups_reviewers_can_be_chosen(app: Flask, world, make_user) -> None:
    group, _facilitator, _supervisor, _other, author, reader = world
    with app.test_request_context():
        with pytest.raises(GrowthError):
            set_growth_share(author, group, reader.id, True)  # a fellow supervisee
        with pytest.raises(GrowthError):
            set_growth_share(author, group, make_user("Not a member").id, True)


def test_a_shared_supervisor_sees_released_levels_except_where_still_to_score_blind(
    app: Flask, world
) -> None:
    group, _facilitator, supervisor, other, author, _reader = world
    with app.test_request_context():
        closed = shared_case(group, author, "Closed case")
        review(closed, other, {"boundaries": 2})
        close_case(closed)
        drafting = shared_case(group, author, "Being scored")
        review(drafting, other, {"boundaries": 5})
        review(drafting, supervisor, {"boundaries": 1}, submit=False, release=False)
        unscored = shared_case(group, author, "Not yet scored")  # they may still review it blind
        review(unscored, other, {"boundaries": 4})
        set_growth_share(author, group, supervisor.id, True)
        db.session.commit()
        growth = growth_of(supervisor, author)
    assert not growth.is_own and growth.waiting == ()
    boundaries = growth.criterion("boundaries")
    assert [p.case_title for p in boundaries.points] == ["Closed case"]
    assert boundaries.levels == [2]


def test_a_shared_supervisor_sees_only_the_groups_shared_with_them(
    app: Flask, world, make_group
) -> None:
    group, _facilitator, supervisor, other, author, _reader = world
    elsewhere = supervision_group(make_group, other, [supervisor], [author], name="Elsewhere")
    with app.test_request_context():
        for where, title, level in ((group, "Tuesday case", 2), (elsewhere, "Elsewhere case", 4)):
            case = shared_case(where, author, title)
            review(case, other, {"boundaries": level})
            close_case(case)
        set_growth_share(author, group, supervisor.id, True)
        db.session.commit()
        theirs = growth_of(supervisor, author)
        mine = growth_of(author, author)
    assert [p.case_title for p in theirs.criterion("boundaries").points] == ["Tuesday case"]
    assert {p.case_title for p in mine.criterion("boundaries").points} == {
        "Tuesday case",
        "Elsewhere case",
    }


def test_a_calibration_vignette_is_not_part_of_its_authors_growth(app: Flask, world) -> None:
    group, _facilitator, supervisor, _other, author, _reader = world
    with app.test_request_context():
        own = shared_case(group, author, "Own case")
        review(own, supervisor, {"boundaries": 2})
        exercise = shared_case(group, author, "An invented vignette")
        exercise.is_calibration = True
        db.session.commit()
        review(exercise, supervisor, {"boundaries": 5})
        boundaries = growth_of(author, author).criterion("boundaries")
    assert boundaries is not None
    assert [p.case_title for p in boundaries.points] == ["Own case"]
