"""Blind scoring is blind for everyone: a facilitator reviewing a revision, and a member who has
a draft of it or may still start one, read no other review of it (levels, comments, feedback)
until their own is in, unless they choose to; a review written after that choice is marked
not blind and is left out when reviewers' levels are compared.
"""

from __future__ import annotations

import re

from review_support import (
    Browser,
    escaped,
    make_world,
    review_links,
    section,
    shared_case,
    write_review,
)
from sqlalchemy import select

from supervision.extensions import db
from supervision.models import GroupKind, Notification, NotificationEvent, Role
from supervision.reviews.blindness import blind_reviews_of

COMMENT = "A criterion comment only the scores carry."
FEEDBACK = "Released feedback: you held the frame warmly."
CHOICE = "Read it, and my review of this revision will not be blind"


def _read_anyway_form(page: str, review_id: int) -> bool:
    return f'action="/reviews/{review_id}/read-anyway"' in page and CHOICE in page


def test_facilitator_reviewing_a_revision_reads_no_other_review_of_it_until_hers_is_in(
    app, make_user, make_group
):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    sam = write_review(case, w.first, {"boundaries": 1}, comment=COMMENT, feedback="Sam's words.")
    fran = Browser(app, w.facilitator)
    # Not reviewing it: facilitators see all.
    assert "1 · Counter-therapeutic" in section(fran.text(f"/reviews/{sam.id}"), "score-boundaries")

    write_review(case, w.facilitator, {"boundaries": 4}, submit=False)
    page = fran.text(f"/reviews/{sam.id}")
    for secret in (COMMENT, "Sam's words.", "1 · Counter-therapeutic"):
        assert escaped(secret) not in page, secret
    assert _read_anyway_form(page, sam.id)
    panel = fran.text(f"/cases/{case.id}/reviews/list")
    assert "1 · Counter-therapeutic" not in panel and escaped(COMMENT) not in panel
    assert "Hidden so that your review of this revision stays blind" in panel

    # Kim's review differs from Sam's by three levels: while Fran scores, that discrepancy is
    # not hers to see, nor to be told of.
    write_review(case, w.second, {"boundaries": 4})
    assert fran.status(f"/cases/{case.id}/reconcile/1/boundaries") == 404
    assert 'id="discrepancies"' not in fran.text(f"/cases/{case.id}/reviews/list")
    told = db.session.scalars(
        select(Notification).where(
            Notification.user_id == w.facilitator.id,
            Notification.event == NotificationEvent.DISCREPANCY,
        )
    ).all()
    assert told == []

    # Once hers is in, she sees them all again.
    write_review(case, w.facilitator, {"boundaries": 4})
    page = fran.text(f"/reviews/{sam.id}")
    assert "1 · Counter-therapeutic" in section(page, "score-boundaries")
    assert escaped(COMMENT) in page
    assert fran.status(f"/cases/{case.id}/reconcile/1/boundaries") == 200


def test_released_feedback_is_not_shown_to_a_member_with_a_draft_of_the_revision(
    app, make_user, make_group
):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    sam = write_review(
        case, w.first, {"boundaries": 2}, comment=COMMENT, feedback=FEEDBACK, release=True
    )
    write_review(case, w.second, {"boundaries": 4}, submit=False)
    alex = Browser(app, w.author)
    alex.post(f"/cases/{case.id}/scores-visibility", {"visible": "yes"})  # even with scores shown

    kim = Browser(app, w.second)
    for path in (f"/reviews/{sam.id}", f"/cases/{case.id}/reviews/list", f"/cases/{case.id}"):
        page = kim.text(path)
        for secret in (FEEDBACK, COMMENT, "2 · Emerging"):
            assert escaped(secret) not in page, (path, secret)
    assert _read_anyway_form(kim.text(f"/reviews/{sam.id}"), sam.id)

    # The rest of the group reads the released feedback as before.
    robin = Browser(app, w.reader)
    assert escaped(FEEDBACK) in robin.text(f"/reviews/{sam.id}")
    assert escaped(FEEDBACK) in alex.text(f"/reviews/{sam.id}")
    # And Kim, once her review is in (it stays blind: she made no choice).
    write_review(case, w.second, {"boundaries": 4})
    page = kim.text(f"/reviews/{sam.id}")
    assert escaped(FEEDBACK) in page and "2 · Emerging" in section(page, "score-boundaries")
    assert 'id="not-blind"' not in kim.text(f"/reviews/{sam.id}")


def test_in_a_peer_group_released_feedback_waits_for_a_peer_who_may_still_review(
    app, make_user, make_group
):
    author, first, second, done = (
        make_user(name) for name in ("Pat Peer", "Lee Peer", "Ash Peer", "Val Peer")
    )
    group = make_group(GroupKind.PEER, {u: Role.PEER for u in (author, first, second, done)})
    case = shared_case(group, author)
    write_review(case, done, {"boundaries": 3})
    released = write_review(case, first, {"boundaries": 4}, feedback=FEEDBACK, release=True)
    # Ash may still review revision 1: the choice, not the feedback. Val already submitted hers.
    page = Browser(app, second).text(f"/reviews/{released.id}")
    assert escaped(FEEDBACK) not in page and _read_anyway_form(page, released.id)
    assert escaped(FEEDBACK) in Browser(app, done).text(f"/reviews/{released.id}")
    assert escaped(FEEDBACK) in Browser(app, author).text(f"/reviews/{released.id}")


def test_reading_released_feedback_before_reviewing_is_a_choice_that_unblinds_ones_review(
    app, make_user, make_group
):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    sam = write_review(case, w.first, {"boundaries": 1}, feedback=FEEDBACK, release=True)
    kim = Browser(app, w.second)

    # Kim may still review revision 1: the review page offers the choice, not the content.
    page = kim.text(f"/reviews/{sam.id}")
    assert escaped(FEEDBACK) not in page
    assert _read_anyway_form(page, sam.id)
    assert kim.client.post(f"/reviews/{sam.id}/read-anyway").status_code == 400  # no CSRF
    assert escaped(FEEDBACK) not in kim.text(f"/reviews/{sam.id}")

    response = kim.post(f"/reviews/{sam.id}/read-anyway")
    assert response.status_code == 302
    assert escaped(FEEDBACK) in kim.text(f"/reviews/{sam.id}")
    assert "will be marked “Not blind”" in kim.text(f"/cases/{case.id}/reviews/list")

    # Her review, started after the choice, says it is not blind wherever it is shown.
    response = kim.post(f"/cases/{case.id}/reviews")
    kim_id = int(re.fullmatch(r"/reviews/(\d+)/edit", response.headers["Location"]).group(1))
    assert "Your review is not blind" in kim.text(f"/reviews/{kim_id}/edit")
    kims = write_review(case, w.second, {"boundaries": 5})
    assert kims.id == kim_id
    assert "Not blind" in kim.text(f"/reviews/{kim_id}")
    panel = kim.text(f"/cases/{case.id}/reviews/list")
    assert "Not blind" in section(panel, f"review-{kim_id}", "article")
    assert "Not blind" not in section(panel, f"review-{sam.id}", "article")

    # It is left out of the comparison: five against one is no discrepancy.
    assert [r.id for r in blind_reviews_of(case, 1)] == [sam.id]
    assert 'id="discrepancies"' not in panel
    assert kim.status(f"/cases/{case.id}/reconcile/1/boundaries") == 404


def test_the_reconcile_page_names_the_reviews_left_out_as_not_blind(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    sam = write_review(case, w.first, {"boundaries": 1})
    fran_draft = write_review(case, w.facilitator, {"boundaries": 3}, submit=False)
    fran = Browser(app, w.facilitator)
    assert fran.post(f"/reviews/{sam.id}/read-anyway").status_code == 302
    # Her draft, written before the choice, is not blind from now on: she reads Sam's levels.
    assert "1 · Counter-therapeutic" in fran.text(f"/reviews/{sam.id}")
    assert "Your review is not blind" in fran.text(f"/reviews/{fran_draft.id}/edit")
    write_review(case, w.facilitator, {"boundaries": 3})

    kim = write_review(case, w.second, {"boundaries": 4})

    # Sam's 1 and Kim's 4 are compared; Fran's 3, not blind, is named as left out.
    page = Browser(app, w.second).text(f"/cases/{case.id}/reconcile/1/boundaries")
    assert {int(n) for n in re.findall(r'id="entry-(\d+)"', page)} == {sam.id, kim.id}
    left_out = section(page, "left-out", "p")
    assert "Fran Facilitator" in left_out and "not blind" in left_out
    assert review_links(page) == {sam.id, kim.id}
