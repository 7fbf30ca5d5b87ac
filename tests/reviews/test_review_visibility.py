"""Who sees what of a review: the supervisee, blind co-reviewers, facilitators, the group.

Every page a supervisee can reach is checked for private notes and unreleased scores.
"""

from __future__ import annotations

import re

from review_support import (
    Browser,
    escaped,
    make_world,
    review_links,
    revise_and_share,
    section,
    shared_case,
    write_review,
)

from supervision.models import ReviewStatus

PRIVATE = "Private: I wonder about my own countertransference here."
SCORE_COMMENT = "A criterion comment that belongs with the scores."


def _pages_of(browser: Browser, case_id: int, review_id: int) -> dict[str, str]:
    """Every page about the case the user can open (a refused one counts as empty)."""
    pages = {}
    for path in (
        f"/cases/{case_id}",
        f"/cases/{case_id}/reviews/list",
        f"/cases/{case_id}/revisions",
        f"/reviews/{review_id}",
        "/cases/mine",
        "/groups/",
    ):
        response = browser.get(path)
        pages[path] = response.get_data(as_text=True) if response.status_code == 200 else ""
    return pages


def test_supervisee_sees_nothing_of_an_unreleased_review(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    draft = write_review(case, w.first, {"boundaries": 2}, submit=False, private=PRIVATE)
    submitted = write_review(
        case, w.second, {"boundaries": 5}, comment=SCORE_COMMENT, feedback="Not yet released."
    )
    for user in (w.author, w.reader):
        browser = Browser(app, user)
        for review in (draft, submitted):
            assert browser.status(f"/reviews/{review.id}") == 404
            assert browser.status(f"/reviews/{review.id}/edit") == 404
        for path, page in _pages_of(browser, case.id, submitted.id).items():
            assert not review_links(page) & {draft.id, submitted.id}, path
            for secret in (PRIVATE, SCORE_COMMENT, "Not yet released.", "Kim Supervisor"):
                assert escaped(secret) not in page, (path, secret)
        assert "No reviews to show yet." in browser.text(f"/cases/{case.id}/reviews/list")


def test_released_review_shows_levels_descriptors_comments_feedback_never_private_notes(
    app, make_user, make_group
):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    review = write_review(
        case,
        w.first,
        {"boundaries": 4},
        comment=SCORE_COMMENT,
        feedback="You held the *frame* warmly.",
        private=PRIVATE,
        release=True,
    )
    descriptor = next(s for s in review.scores if s.criterion_key == "boundaries")
    descriptor_text = descriptor.criterion.levels["4"]

    author = Browser(app, w.author)
    page = author.text(f"/reviews/{review.id}")
    assert "<em>frame</em>" in section(page, "overall-feedback", "div")
    boundaries = section(page, "score-boundaries")
    assert "4 · Skilled" in boundaries
    assert escaped(descriptor_text) in boundaries
    assert escaped(SCORE_COMMENT) in boundaries
    assert 'id="private-notes"' not in page
    assert review.id in review_links(author.text(f"/cases/{case.id}/reviews/list"))

    # The private note never reaches the supervisee, on any page they can open.
    for path, page in _pages_of(author, case.id, review.id).items():
        assert escaped(PRIVATE) not in page, path
    for path, page in _pages_of(Browser(app, w.reader), case.id, review.id).items():
        assert escaped(PRIVATE) not in page, path
    # Not even facilitators or the other reviewer read them; the reviewer does.
    for user in (w.facilitator, w.second):
        assert escaped(PRIVATE) not in Browser(app, user).text(f"/reviews/{review.id}")
    assert escaped(PRIVATE) in Browser(app, w.first).text(f"/reviews/{review.id}")


def test_blind_scoring_until_ones_own_review_is_submitted(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    first = write_review(case, w.first, {"boundaries": 2}, comment=SCORE_COMMENT)
    kim = Browser(app, w.second)

    # Kim has not started: Sam's submitted review is invisible, scores and all.
    assert kim.status(f"/reviews/{first.id}") == 404
    assert first.id not in review_links(kim.text(f"/cases/{case.id}/reviews/list"))
    # Kim's own draft does not unblind either.
    second = write_review(case, w.second, {"boundaries": 4}, submit=False)
    assert kim.status(f"/reviews/{first.id}") == 404
    page = kim.text(f"/cases/{case.id}/reviews/list")
    assert first.id not in review_links(page)
    assert escaped(SCORE_COMMENT) not in page

    # Once Kim submits, Sam's levels and comments are there.
    assert write_review(case, w.second, {"boundaries": 4}).id == second.id  # the same review
    page = kim.text(f"/reviews/{first.id}")
    assert "2 · Emerging" in section(page, "score-boundaries")
    assert escaped(SCORE_COMMENT) in page
    panel = kim.text(f"/cases/{case.id}/reviews/list")
    assert {first.id, second.id} <= review_links(panel)
    assert "2 · Emerging" in section(panel, f"review-{first.id}", "article")
    # ...and Sam, who submitted first, sees Kim's now too.
    assert "4 · Skilled" in Browser(app, w.first).text(f"/reviews/{second.id}")


def test_facilitator_sees_every_submitted_review_but_no_draft(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    submitted = write_review(case, w.first, {"boundaries": 2})
    draft = write_review(case, w.second, {"boundaries": 4}, submit=False)
    fran = Browser(app, w.facilitator)
    panel = fran.text(f"/cases/{case.id}/reviews/list")
    assert submitted.id in review_links(panel) and draft.id not in review_links(panel)
    assert "2 · Emerging" in fran.text(f"/reviews/{submitted.id}")
    assert fran.status(f"/reviews/{draft.id}") == 404
    assert fran.post(f"/reviews/{submitted.id}/release").status_code == 403  # the reviewer's call


def test_author_chooses_whether_the_group_sees_the_scores(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    released = write_review(case, w.first, {"boundaries": 4}, release=True, feedback="Well done.")
    unreleased = write_review(case, w.second, {"boundaries": 2})
    robin = Browser(app, w.reader)

    # Default: the group reads released feedback, not the levels.
    page = robin.text(f"/reviews/{released.id}")
    assert "Well done." in page and "4 · Skilled" not in page
    assert 'id="score-boundaries"' not in page
    assert "4 · Skilled" not in robin.text(f"/cases/{case.id}/reviews/list")
    assert robin.post(f"/cases/{case.id}/scores-visibility", {"visible": "yes"}).status_code == 403

    alex = Browser(app, w.author)
    panel = alex.text(f"/cases/{case.id}/reviews/list")
    assert "Show my scores to the group" in section(panel, "scores-visibility", "form")
    response = alex.post(
        f"/cases/{case.id}/scores-visibility",
        {"visible": "yes", "return_to": f"/cases/{case.id}/reviews/list"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{case.id}/reviews/list"
    assert "Keep my scores private" in alex.text(f"/cases/{case.id}/reviews/list")

    assert "4 · Skilled" in section(robin.text(f"/reviews/{released.id}"), "score-boundaries")
    assert "4 · Skilled" in robin.text(f"/cases/{case.id}/reviews/list")
    assert robin.status(f"/reviews/{unreleased.id}") == 404  # only released reviews

    # An unsafe return address is ignored.
    response = alex.post(
        f"/cases/{case.id}/scores-visibility", {"visible": "no", "return_to": "//evil.example"}
    )
    assert response.headers["Location"] == f"/cases/{case.id}"
    assert "4 · Skilled" not in robin.text(f"/reviews/{released.id}")


def test_revised_case_is_reviewed_again_and_old_reviews_stay_with_their_revision(
    app, make_user, make_group
):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    old = write_review(case, w.first, {"boundaries": 2}, release=True)
    revise_and_share(case, reactions="I felt touched, uneasy, and then curious.")
    assert case.published_number == 2

    sam = Browser(app, w.first)
    panel = sam.text(f"/cases/{case.id}/reviews/list")
    assert "Review revision 2" in panel  # a new review for the new revision
    response = sam.post(f"/cases/{case.id}/reviews")
    new_id = int(re.fullmatch(r"/reviews/(\d+)/edit", response.headers["Location"]).group(1))
    assert new_id != old.id

    panel = sam.text(f"/cases/{case.id}/reviews/list")
    assert old.id in review_links(section(panel, "reviews-revision-1"))
    assert new_id in review_links(section(panel, "reviews-revision-2"))
    assert panel.index('id="reviews-revision-2"') < panel.index('id="reviews-revision-1"')
    assert "an earlier revision" in section(panel, "reviews-revision-1")

    # The supervisee still reads the old, released review, under revision 1.
    author_panel = Browser(app, w.author).text(f"/cases/{case.id}/reviews/list")
    assert old.id in review_links(section(author_panel, "reviews-revision-1"))
    assert new_id not in review_links(author_panel)
    assert old.status is ReviewStatus.RELEASED
