"""Reviewing through the pages: start, the form, drafts, submitting, releasing, who may review."""

from __future__ import annotations

import re

from review_support import (
    KEYS,
    QUOTE,
    Browser,
    escaped,
    fetch_review,
    form_payload,
    make_world,
    review_links,
    shared_case,
    write_review,
)
from sqlalchemy import func, select

from supervision.cases.services import create_case
from supervision.extensions import db
from supervision.models import GroupKind, Review, ReviewStatus, Role
from supervision.reviews.panel import case_review_panel
from supervision.rubrics.services import group_rubric_version


def _start(browser: Browser, case_id: int) -> int:
    response = browser.post(f"/cases/{case_id}/reviews")
    assert response.status_code == 302, response.status_code
    match = re.fullmatch(r"/reviews/(\d+)/edit", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def test_supervisor_starts_saves_submits_and_releases(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    sam = Browser(app, w.first)

    review_id = _start(sam, case.id)
    assert _start(sam, case.id) == review_id  # starting again resumes the same draft
    assert fetch_review(review_id).revision_number == 1

    page = sam.text(f"/reviews/{review_id}/edit")
    assert f'data-autosave-url="/reviews/{review_id}/autosave"' in page
    assert escaped(QUOTE) in page  # the vignette is beside the form, to quote from

    levels = {"boundaries": 4, "pacing": "n/o"}
    levels |= {key: 3 for key in KEYS if key not in levels}
    data = form_payload(
        fetch_review(review_id),
        levels,
        evidence={key: QUOTE for key in KEYS if levels[key] != "n/o"},
        comments={"boundaries": "You held the frame warmly."},
        feedback="You noticed your own *hesitation*.",
        private="Check in about her workload next time.",
    )
    response = sam.post(f"/reviews/{review_id}/edit", data | {"save_draft": "Save draft"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/reviews/{review_id}/edit"
    review = fetch_review(review_id)
    assert review.status is ReviewStatus.DRAFT
    by_key = {s.criterion_key: s for s in review.scores}
    assert (by_key["boundaries"].level, by_key["boundaries"].comment) == (
        4,
        "You held the frame warmly.",
    )
    assert by_key["pacing"].not_visible and by_key["pacing"].level is None
    assert review.private_notes == "Check in about her workload next time."
    assert "<em>hesitation</em>" in review.overall_feedback_html

    data["edit_version"] = str(review.edit_version)
    response = sam.post(f"/reviews/{review_id}/edit", data | {"submit_review": "Submit review"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/reviews/{review_id}"
    assert fetch_review(review_id).status is ReviewStatus.SUBMITTED
    assert sam.status(f"/reviews/{review_id}/edit") == 403  # final for its revision

    page = sam.text(f"/reviews/{review_id}")
    assert "Release to the supervisee" in page
    assert "Check in about her workload next time." in page  # the reviewer's own notes

    response = sam.post(f"/reviews/{review_id}/release")
    assert response.status_code == 302
    review = fetch_review(review_id)
    assert review.status is ReviewStatus.RELEASED and review.released_at is not None
    assert "Release to the supervisee" not in sam.text(f"/reviews/{review_id}")


def test_form_asks_for_evidence_before_the_level_with_descriptors_and_guidance(
    app, make_user, make_group
):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    sam = Browser(app, w.first)
    review_id = _start(sam, case.id)
    page = sam.text(f"/reviews/{review_id}/edit")
    version = group_rubric_version(w.group)
    assert fetch_review(review_id).rubric_version_id == version.id
    for criterion in version.criteria:
        fieldset = re.search(
            rf'<fieldset[^>]*id="criterion-{criterion.key}".*?name="criterion_{criterion.key}'
            rf'-comment".*?</fieldset>',
            page,
            re.DOTALL,
        )
        assert fieldset, criterion.key
        html = fieldset.group(0)
        evidence = html.index(f'name="criterion_{criterion.key}-evidence"')
        level = html.index(f'name="criterion_{criterion.key}-level"')
        comment = html.index(f'name="criterion_{criterion.key}-comment"')
        assert evidence < level < comment, criterion.key
        for n in range(1, 6):
            assert f'value="{n}"' in html
            assert escaped(criterion.levels[str(n)]) in html  # the descriptor by its radio
        assert 'value="n/o"' in html and "Not visible in this vignette" in html
        assert escaped(criterion.guidance.split("\n")[0]) in html
    assert 'aria-live="polite"' in page
    assert "Save draft" in page and "Submit review" in page


def test_submit_with_problems_lists_them_and_keeps_what_was_typed(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    sam = Browser(app, w.first)
    review_id = _start(sam, case.id)
    typed = "She hesitated and then laughed <softly> & looked away."
    data = form_payload(
        fetch_review(review_id),
        {"boundaries": 4, "pacing": 2},  # pacing has a level but no evidence; others nothing
        evidence={"boundaries": QUOTE},
        comments={"pacing": typed},
        feedback="Some *feedback* in progress.",
        private="A private thought.",
    )
    response = sam.post(f"/reviews/{review_id}/edit", data | {"submit_review": "Submit review"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Not submitted yet" in page
    assert "quote the passage that is your evidence" in page  # pacing
    assert "choose a level, or" in page  # the criteria left empty
    assert escaped(typed) in page
    assert "Some *feedback* in progress." in page
    assert "A private thought." in page
    assert re.search(r'value="4"[^>]*checked|checked[^>]*value="4"', page)
    review = fetch_review(review_id)
    assert review.status is ReviewStatus.DRAFT
    # Nothing lost: the draft was kept as typed, and the page carries the new version.
    assert {s.criterion_key: s.comment for s in review.scores}["pacing"] == typed
    assert f'value="{review.edit_version}"' in page

    # An invalid level is a form problem: nothing is saved, the text is still there.
    bad = data | {"criterion_silence-level": "9", "edit_version": str(review.edit_version)}
    response = sam.post(f"/reviews/{review_id}/edit", bad | {"save_draft": "Save draft"})
    assert response.status_code == 400
    assert escaped(typed) in response.get_data(as_text=True)


def test_stale_form_answers_409_and_keeps_the_text(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    sam = Browser(app, w.first)
    review_id = _start(sam, case.id)
    stale = fetch_review(review_id).edit_version
    sam.post(
        f"/reviews/{review_id}/edit",
        form_payload(fetch_review(review_id), feedback="From the first tab.")
        | {"save_draft": "Save draft"},
    )
    response = sam.post(
        f"/reviews/{review_id}/edit",
        form_payload(fetch_review(review_id), feedback="From the second tab.", version=stale)
        | {"save_draft": "Save draft"},
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "saved in another tab" in page
    assert "From the second tab." in page
    assert fetch_review(review_id).overall_feedback == "From the first tab."


def test_supervisee_cannot_start_a_review(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    for user in (w.author, w.reader):
        assert Browser(app, user).post(f"/cases/{case.id}/reviews").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Review)) == 0
    assert "Review revision" not in Browser(app, w.reader).text(f"/cases/{case.id}/reviews/list")
    assert "Review revision 1" in Browser(app, w.first).text(f"/cases/{case.id}/reviews/list")


def test_in_a_peer_group_every_member_but_the_author_reviews(app, make_user, make_group):
    author, peer, facilitator = make_user("Pat Peer"), make_user("Lee Peer"), make_user("Fay")
    group = make_group(
        GroupKind.PEER,
        {author: Role.PEER, peer: Role.PEER, facilitator: Role.FACILITATOR},
    )
    case = shared_case(group, author)
    assert Browser(app, author).post(f"/cases/{case.id}/reviews").status_code == 403
    for user in (peer, facilitator):
        browser = Browser(app, user)
        review_id = _start(browser, case.id)
        assert fetch_review(review_id).reviewer_id == user.id


def test_unshared_case_cannot_be_reviewed_and_outsiders_get_404(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    outsider = make_user("Olly Outsider")
    make_group(GroupKind.PEER, {outsider: Role.FACILITATOR})
    review = write_review(case, w.first, {"boundaries": 3}, release=True)
    other = Browser(app, outsider)
    assert other.post(f"/cases/{case.id}/reviews").status_code == 404
    assert other.status(f"/reviews/{review.id}") == 404
    assert other.status(f"/cases/{case.id}/reviews/list") == 404


def test_own_draft_is_listed_only_for_its_reviewer(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    draft = write_review(case, w.first, {"boundaries": 3}, submit=False)
    page = Browser(app, w.first).text(f"/cases/{case.id}/reviews/list")
    assert draft.id in review_links(page)
    assert "Continue your review of revision 1" in page
    for user in (w.second, w.facilitator, w.author, w.reader):
        browser = Browser(app, user)
        assert draft.id not in review_links(browser.text(f"/cases/{case.id}/reviews/list"))
        assert browser.status(f"/reviews/{draft.id}") == 404
        assert browser.status(f"/reviews/{draft.id}/edit") == 404


def test_starting_again_after_submitting_leads_to_the_submitted_review(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    review = write_review(case, w.first, {"boundaries": 3})
    response = Browser(app, w.first).post(f"/cases/{case.id}/reviews")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/reviews/{review.id}"
    assert "Review revision" not in Browser(app, w.first).text(f"/cases/{case.id}/reviews/list")


def test_panel_of_an_unshared_draft_is_empty(app, make_user, make_group):
    w = make_world(make_user, make_group)
    draft = create_case(w.group, w.author, "Not shared yet", {"context": "Only a start."})
    db.session.commit()
    for user in (w.author, w.first):
        assert case_review_panel(draft, user).is_empty
    shared = shared_case(w.group, w.author)
    panel = case_review_panel(shared, w.author)
    assert not panel.is_empty and panel.can_set_scores_visibility
    assert not panel.can_start_review
    assert case_review_panel(shared, w.first).can_start_review
