"""The supervisor's desk: each list shows what the permission rules let the supervisor see,
across their groups, and nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from relationship_support import case_by, make_world, review
from sqlalchemy import select
from support import Browser, shared_case, supervision_group

from supervision.annotations.services import create_annotation, respond, section_texts
from supervision.cases.privacy import flag_case
from supervision.cases.services import revision_by_number
from supervision.desk.services import discrepancies_to_settle, waiting_cases
from supervision.extensions import db
from supervision.models import Case, ResponseKind, Review
from supervision.permissions import Permission, can, reviewable_cases
from supervision.reviews.blindness import read_reviews_anyway
from supervision.reviews.services import record_consensus, start_review


@pytest.fixture
def world(app: Any, make_user: Any, make_group: Any):  # type: ignore[no-untyped-def]
    return make_world(make_user, make_group)


def test_cases_waiting_for_my_review_across_my_groups(app, world, make_user, make_group) -> None:  # type: ignore[no-untyped-def]
    case_by(world, world.supervisee, "Waiting here")
    reviewed = case_by(world, world.supervisee, "Already reviewed")
    review(reviewed, world.supervisor, release=False)
    drafted = case_by(world, world.supervisee, "Drafted")
    start_review(drafted, world.supervisor)
    flagged = case_by(world, world.supervisee, "Flagged")
    flag_case(flagged, world.other_supervisee, "", "Could identify")
    db.session.commit()
    other_group = supervision_group(
        make_group, make_user("Fay"), [world.supervisor], [world.other_supervisee]
    )
    shared_case(other_group, world.other_supervisee, "Elsewhere")
    page = Browser(app, world.supervisor).text("/desk/")
    waiting_part = page.split('id="waiting-title"')[1].split("</section>")[0]
    assert "Waiting here" in waiting_part and "Elsewhere" in waiting_part
    for title in ("Already reviewed", "Drafted", "Flagged"):
        assert title not in waiting_part
    drafts_part = page.split('id="drafts-title"')[1].split("</section>")[0]
    assert "Drafted" in drafts_part
    # A supervisee reviews nothing in a supervision group.
    assert waiting_cases(world.supervisee).items == []
    assert "Waiting here" not in Browser(app, world.supervisee).text("/desk/")


def test_the_waiting_list_is_case_review_twin(app, world) -> None:  # type: ignore[no-untyped-def]
    cases = [case_by(world, world.supervisee, f"Case {n}") for n in range(4)]
    review(cases[0], world.supervisor)
    flag_case(cases[1], world.other_supervisee, "", "Could identify")
    start_review(cases[2], world.facilitator)
    db.session.commit()
    for user in (world.supervisor, world.facilitator, world.supervisee, world.other_supervisee):
        listed = set(db.session.scalars(reviewable_cases(user).with_only_columns(Case.id)))
        own = {
            (r.case_id, r.revision_number)
            for r in db.session.scalars(select(Review).where(Review.reviewer_id == user.id))
        }
        allowed = {
            c.id
            for c in cases
            if can(user, Permission.CASE_REVIEW, c) and (c.id, c.published_number) not in own
        }
        assert listed == allowed, user.display_name


def test_discrepancies_i_reviewed_until_a_consensus(app, world) -> None:  # type: ignore[no-untyped-def]
    case = case_by(world, world.supervisee)
    review(case, world.supervisor, {"boundaries": 1})
    review(case, world.other_supervisor, {"boundaries": 4})
    page = Browser(app, world.supervisor).text("/desk/")
    part = page.split('id="discrepancies-title"')[1].split("</section>")[0]
    assert "3 levels apart" in part and f"/cases/{case.id}/reconcile/1/boundaries" in part
    # The facilitator did not review it; a supervisee never sees it.
    assert discrepancies_to_settle(world.supervisee).items == []
    record_consensus(case, 1, "boundaries", world.supervisor, 2)
    db.session.commit()
    assert discrepancies_to_settle(world.supervisor).items == []


def test_a_review_that_is_not_blind_is_not_compared(app, world) -> None:  # type: ignore[no-untyped-def]
    case = case_by(world, world.supervisee)
    review(case, world.supervisor, {"boundaries": 1})
    read_reviews_anyway(world.other_supervisor, case, 1)
    review(case, world.other_supervisor, {"boundaries": 4})
    assert discrepancies_to_settle(world.supervisor).items == []


def test_a_draft_reviewer_sees_no_discrepancy_yet(app, world) -> None:  # type: ignore[no-untyped-def]
    case = case_by(world, world.supervisee)
    review(case, world.other_supervisor, {"boundaries": 1})
    review(case, world.facilitator, {"boundaries": 4})
    start_review(case, world.supervisor)
    db.session.commit()
    assert discrepancies_to_settle(world.supervisor).items == []  # blind: still to score
    assert len(discrepancies_to_settle(world.other_supervisor).items) == 1


def test_annotations_answered_with_a_question_or_disagreement(app, world) -> None:  # type: ignore[no-untyped-def]
    case = case_by(world, world.supervisee)
    text = section_texts(revision_by_number(case, 1))["moment"]
    made = []
    for exact in ("small gift", "hesitated"):
        start = text.index(exact)
        made.append(
            create_annotation(
                case, world.supervisor, 1, "moment", start, start + len(exact), exact, "Note."
            )
        )
    respond(made[0], world.supervisee, ResponseKind.QUESTION)
    respond(made[1], world.supervisee, ResponseKind.ACKNOWLEDGED)
    db.session.commit()
    page = Browser(app, world.supervisor).text("/desk/")
    part = page.split('id="answers-title"')[1].split("</section>")[0]
    assert f"annotation-{made[0].id}" in part and f"annotation-{made[1].id}" not in part
    assert "Question" in part


def test_the_desk_links_the_growth_pages_shared_with_me(app, world) -> None:  # type: ignore[no-untyped-def]
    from supervision.growth.services import set_growth_share

    review(case_by(world, world.supervisee), world.supervisor)
    page = Browser(app, world.supervisor).text("/desk/")
    growth_part = page.split('id="growth-title"')[1].split("</section>")[0]
    assert f"/growth/people/{world.supervisee.id}" not in growth_part
    set_growth_share(world.supervisee, world.group, world.supervisor.id, True)
    db.session.commit()
    page = Browser(app, world.supervisor).text("/desk/")
    growth_part = page.split('id="growth-title"')[1].split("</section>")[0]
    assert f"/growth/people/{world.supervisee.id}" in growth_part
    # Shared with the supervisor only: the facilitator's desk does not list it.
    facilitator_page = Browser(app, world.facilitator).text("/desk/")
    assert f"/growth/people/{world.supervisee.id}" not in facilitator_page
