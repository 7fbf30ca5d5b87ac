"""The review form's rules and aids through the pages, without JavaScript: "not visible in this
vignette" carries no evidence or comment, the count of criteria left, and the reviewer's
remembered choice to collapse the level descriptors."""

from __future__ import annotations

import pytest
from review_support import (
    KEYS,
    QUOTE,
    Browser,
    escaped,
    fetch_review,
    form_payload,
    make_world,
    shared_case,
)

from supervision.extensions import db
from supervision.models import User
from supervision.reviews.services import start_review

REFUSED = "“Not visible in this vignette” cannot carry"


def _draft(app, make_user, make_group):  # type: ignore[no-untyped-def]
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    review = start_review(case, w.first)
    db.session.commit()
    return w, review, Browser(app, w.first)


@pytest.mark.parametrize(
    ("evidence", "comment", "carried"),
    [
        (QUOTE, "", "evidence"),
        ("", "Nothing to see here.", "a comment"),
        (QUOTE, "And a comment.", "evidence or a comment"),
    ],
    ids=["evidence", "comment", "both"],
)
def test_not_visible_with_evidence_or_comment_is_refused_and_the_text_kept(
    app, make_user, make_group, evidence, comment, carried
):
    _, review, sam = _draft(app, make_user, make_group)
    data = form_payload(
        review,
        {"boundaries": "n/o"},
        evidence={"boundaries": evidence},
        comments={"boundaries": comment},
    )
    response = sam.post(f"/reviews/{review.id}/edit", data | {"save_draft": "Save draft"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f"{REFUSED} {carried}: choose a level" in page
    assert 'id="criterion_boundaries-level-error"' in page  # beside the choice, too
    if evidence:
        assert escaped(evidence) in page  # the typed text is still in the form
    if comment:
        assert escaped(comment) in page
    saved = {s.criterion_key: s for s in fetch_review(review.id).scores}
    assert not saved["boundaries"].not_visible and saved["boundaries"].evidence == ""


def test_not_visible_alone_is_saved(app, make_user, make_group):
    _, review, sam = _draft(app, make_user, make_group)
    data = form_payload(review, {"boundaries": "n/o", "pacing": "3"}, evidence={"pacing": QUOTE})
    response = sam.post(f"/reviews/{review.id}/edit", data | {"save_draft": "Save draft"})
    assert response.status_code == 302
    saved = {s.criterion_key: s for s in fetch_review(review.id).scores}
    assert saved["boundaries"].not_visible and saved["pacing"].level == 3


def test_autosave_refuses_not_visible_with_evidence(app, make_user, make_group):
    _, review, sam = _draft(app, make_user, make_group)
    payload = form_payload(review, {"silence": "n/o"}, evidence={"silence": QUOTE})
    response = sam.post_json(f"/reviews/{review.id}/autosave", payload)
    assert response.status_code == 400
    assert REFUSED in response.get_json()["error"]
    assert not {s.criterion_key: s for s in fetch_review(review.id).scores}["silence"].not_visible


# -- criteria left -----------------------------------------------------------------------------


def test_the_page_counts_the_criteria_left_to_score(app, make_user, make_group):
    _, review, sam = _draft(app, make_user, make_group)
    total = len(KEYS)
    page = sam.text(f"/reviews/{review.id}/edit")
    assert f"<strong data-left-count>{total}</strong> of {total} criteria left to score" in page
    assert page.count('<li data-left-item="') == total
    assert f"<span data-left-none hidden>All {total}" in page and "<span data-left-some>" in page

    data = form_payload(
        review, {"boundaries": "4", "pacing": "n/o"}, evidence={"boundaries": QUOTE}
    )
    assert sam.post(f"/reviews/{review.id}/edit", data | {"save_draft": "x"}).status_code == 302
    page = sam.text(f"/reviews/{review.id}/edit")
    assert f"<strong data-left-count>{total - 2}</strong> of {total}" in page
    assert '<li data-left-item="boundaries" hidden>' in page
    assert '<li data-left-item="pacing" hidden>' in page
    assert '<li data-left-item="silence"><a href="#criterion-silence">' in page

    everything = dict.fromkeys(KEYS, "n/o")
    data = form_payload(fetch_review(review.id), everything)
    assert sam.post(f"/reviews/{review.id}/edit", data | {"save_draft": "x"}).status_code == 302
    page = sam.text(f"/reviews/{review.id}/edit")
    assert f"<span data-left-none>All {total} criteria have a level" in page
    assert "<span data-left-some hidden>" in page


# -- collapsing the level descriptors, remembered per reviewer ---------------------------------


def _collapsed(user: User) -> bool:
    db.session.expire_all()
    return db.session.get(User, user.id).collapse_level_descriptors


def test_the_descriptor_choice_is_remembered_for_the_reviewer(app, make_user, make_group):
    w, review, sam = _draft(app, make_user, make_group)
    edit = f"/reviews/{review.id}/edit"
    assert 'data-collapsed="false"' in sam.text(edit)  # shown until the reviewer folds them

    response = sam.post(
        "/account/review-descriptors",
        {"collapsed": "1"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200 and response.get_json() == {"ok": True, "collapsed": True}
    assert _collapsed(w.first)
    page = sam.text(edit)
    assert 'data-collapsed="true"' in page
    # Without JavaScript the descriptors still show: the page itself never hides them.
    assert "is-descriptors-collapsed" not in page
    assert escaped(review.scores[0].criterion.levels["1"]) in page
    assert not _collapsed(w.second)  # one reviewer's choice, nobody else's

    response = sam.post(
        "/account/review-descriptors", {"collapsed": "0", "return_to": edit}
    )  # a plain form post comes back to the page
    assert response.status_code == 302 and response.headers["Location"] == edit
    assert not _collapsed(w.first)


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "https://evil.example"])
def test_the_descriptor_choice_never_redirects_away(app, make_user, make_group, target):
    _, _, sam = _draft(app, make_user, make_group)
    response = sam.post("/account/review-descriptors", {"collapsed": "1", "return_to": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/groups/"


def test_the_descriptor_choice_needs_the_csrf_token(app, make_user, make_group):
    w, _, sam = _draft(app, make_user, make_group)
    response = sam.client.post("/account/review-descriptors", data={"collapsed": "1"})
    assert response.status_code == 400
    assert not _collapsed(w.first)
