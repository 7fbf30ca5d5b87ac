"""A criterion score cites annotations as its evidence: chosen in the review form (and its
autosave), checked on the server, shown with the scores on the review page."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from browser_support import LiveSite, chromium, open_page
from flask import Flask
from review_support import (
    KEYS,
    QUOTE,
    Browser,
    World,
    escaped,
    fetch_review,
    form_payload,
    make_world,
    revise_and_share,
    section,
    shared_case,
    write_review,
)
from sqlalchemy import event
from test_review_autosave_browser import (  # the live app of the autosave test
    SUPERVISOR_EMAIL,
    live_server,  # noqa: F401 (a fixture)
)

from supervision.annotations.services import citations, create_annotation, section_texts
from supervision.cases.privacy import REDACTED, redact_passage
from supervision.cases.services import revision_by_number
from supervision.extensions import db
from supervision.models import (
    Annotation,
    AnnotationVisibility,
    Case,
    Review,
    ReviewStatus,
    ScoreEvidence,
    User,
)
from supervision.reviews.services import ReviewError, save_citations, start_review
from supervision.rubrics.services import group_rubric_version

GIFT = "offered a small gift"
HESITATED = "I hesitated"
TOUCHED = "I felt touched and uneasy."
ACCEPT = "Should I have accepted it?"
CITATIONS_REFUSED = "could not be cited"


def annotate(
    case: Case,
    user: User,
    phrase: str,
    *,
    section_key: str = "moment",
    revision: int = 1,
    body: str = "Worth slowing down here.",
    visibility: AnnotationVisibility | None = None,
) -> Annotation:
    found = revision_by_number(case, revision)
    assert found is not None
    start = section_texts(found)[section_key].index(phrase)
    annotation = create_annotation(
        case,
        user,
        revision,
        section_key,
        start,
        start + len(phrase),
        phrase,
        body,
        visibility=visibility,
    )
    db.session.commit()
    return annotation


def cited_by_criterion(review_id: int) -> dict[str, set[int]]:
    """For each criterion key of the review, the ids of the annotations its score cites."""
    review = fetch_review(review_id)
    found: dict[str, set[int]] = {}
    for annotation_id, scores in citations(review.case).items():
        for score in scores:
            if score.review_id == review_id:
                found.setdefault(score.criterion_key, set()).add(annotation_id)
    return found


def criterion_fieldset(page: str, key: str) -> str:
    match = re.search(
        rf'<fieldset[^>]*id="criterion-{key}".*?name="criterion_{key}-comment".*?</fieldset>',
        page,
        re.DOTALL,
    )
    assert match, key
    return match.group(0)


def ticked(page: str, key: str) -> set[int]:
    """The annotation ids ticked for a criterion on the edit page."""
    return {
        int(value)
        for value in re.findall(
            rf'name="criterion_{key}-annotations" value="(\d+)"[^>]*checked', page
        )
    }


def listed(page: str, key: str) -> set[int]:
    return {
        int(value)
        for value in re.findall(rf'name="criterion_{key}-annotations" value="(\d+)"', page)
    }


@dataclass
class Scene:
    """A shared case with annotations of every kind around Sam's draft review of it."""

    w: World
    case: Case
    review: Review
    notes: dict[str, Annotation]
    sam: Browser


def _set_up(app, make_user, make_group) -> Scene:  # type: ignore[no-untyped-def]
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    other_case = shared_case(w.group, w.author)
    notes = {
        # Sam's own, for the supervisee; Sam's private one; Kim's for the reviewers only.
        "gift": annotate(case, w.first, GIFT, body="The gift arrives **at the door**."),
        "private": annotate(
            case,
            w.first,
            TOUCHED,
            section_key="reactions",
            body="Note to self: the unease.",
            visibility=AnnotationVisibility.PRIVATE,
        ),
        "reviewers": annotate(
            case,
            w.second,
            HESITATED,
            body="Kim: the hesitation is the frame.",
            visibility=AnnotationVisibility.REVIEWERS,
        ),
        # Kim's private note: Sam may not read it, so may not cite it.
        "kims_private": annotate(
            case,
            w.second,
            ACCEPT,
            section_key="question",
            body="Kim's own note.",
            visibility=AnnotationVisibility.PRIVATE,
        ),
        "other_case": annotate(other_case, w.first, GIFT, body="On another case."),
    }
    review = start_review(case, w.first)
    db.session.commit()
    return Scene(w, case, review, notes, Browser(app, w.first))


# -- the form --------------------------------------------------------------------------------------


def test_the_form_lists_the_annotations_the_reviewer_may_read_between_evidence_and_level(
    app, make_user, make_group
):
    scene = _set_up(app, make_user, make_group)
    page = scene.sam.text(f"/reviews/{scene.review.id}/edit")
    readable = {scene.notes["gift"].id, scene.notes["private"].id, scene.notes["reviewers"].id}
    for criterion in group_rubric_version(scene.w.group).criteria:
        key = criterion.key
        html = criterion_fieldset(page, key)
        assert "Annotations that are evidence for this" in html
        assert listed(html, key) == readable
        assert ticked(html, key) == set()
        evidence = html.index(f'name="criterion_{key}-evidence"')
        cited = html.index(f'name="criterion_{key}-annotations"')
        level = html.index(f'name="criterion_{key}-level"')
        assert evidence < cited < level, key  # evidence first, the level after it
    # Quote and an excerpt of the comment, in document order (moment before reactions).
    html = criterion_fieldset(page, "boundaries")
    assert escaped(GIFT) in html and "The gift arrives at the door." in html
    assert "Kim: the hesitation is the frame." in html
    assert html.index(escaped(GIFT)) < html.index(escaped(HESITATED)) < html.index(TOUCHED)
    assert "Kim&#39;s own note." not in page and "Kim's own note." not in page
    assert "On another case." not in page


def test_the_form_lists_only_annotations_placed_in_the_reviewed_revision(
    app, make_user, make_group
):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    kept = annotate(case, w.first, "Third session of twelve", section_key="context")
    gone = annotate(case, w.first, GIFT)
    revise_and_share(case, moment="At the door the client held out a card, and I hesitated.")
    on_second = annotate(case, w.second, "held out a card", revision=2)
    review = start_review(case, w.first)  # of revision 2
    db.session.commit()
    assert review.revision_number == 2

    page = Browser(app, w.first).text(f"/reviews/{review.id}/edit")
    assert listed(page, "boundaries") == {kept.id, on_second.id}  # the gift is gone
    assert gone.id not in listed(page, "pacing")


def test_saving_the_form_stores_the_ticked_annotations_per_criterion(app, make_user, make_group):
    scene = _set_up(app, make_user, make_group)
    data = form_payload(scene.review, {"boundaries": 4}, evidence={"boundaries": QUOTE})
    data["criterion_boundaries-annotations"] = [
        str(scene.notes["gift"].id),
        str(scene.notes["private"].id),
    ]
    data["criterion_pacing-annotations"] = str(scene.notes["reviewers"].id)
    response = scene.sam.post(
        f"/reviews/{scene.review.id}/edit", data | {"save_draft": "Save draft"}
    )
    assert response.status_code == 302
    assert cited_by_criterion(scene.review.id) == {
        "boundaries": {scene.notes["gift"].id, scene.notes["private"].id},
        "pacing": {scene.notes["reviewers"].id},
    }
    page = scene.sam.text(f"/reviews/{scene.review.id}/edit")
    assert ticked(page, "boundaries") == {scene.notes["gift"].id, scene.notes["private"].id}
    assert ticked(page, "pacing") == {scene.notes["reviewers"].id}
    assert ticked(page, "silence") == set()

    # Unticking them all (a browser then sends nothing for the field) removes them.
    data = form_payload(
        fetch_review(scene.review.id), {"boundaries": 4}, evidence={"boundaries": QUOTE}
    )
    data["criterion_pacing-annotations"] = str(scene.notes["reviewers"].id)
    response = scene.sam.post(
        f"/reviews/{scene.review.id}/edit", data | {"save_draft": "Save draft"}
    )
    assert response.status_code == 302
    assert cited_by_criterion(scene.review.id) == {"pacing": {scene.notes["reviewers"].id}}


def test_annotations_that_may_not_be_cited_are_left_out_with_a_warning(app, make_user, make_group):
    scene = _set_up(app, make_user, make_group)
    data = form_payload(scene.review, feedback="Kept")
    data["criterion_boundaries-annotations"] = [
        str(scene.notes["gift"].id),
        str(scene.notes["gift"].id),  # twice: cited once
        str(scene.notes["kims_private"].id),  # on the case, but Sam cannot read it
        str(scene.notes["other_case"].id),  # another case
        "99999",  # no such annotation
        "not-a-number",
    ]
    response = scene.sam.post(
        f"/reviews/{scene.review.id}/edit",
        data | {"save_draft": "Save draft"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert CITATIONS_REFUSED in page and "flash--warning" in page
    assert cited_by_criterion(scene.review.id) == {"boundaries": {scene.notes["gift"].id}}
    assert fetch_review(scene.review.id).overall_feedback == "Kept"  # the rest is saved


def test_a_cited_annotation_counts_as_evidence_when_submitting(app, make_user, make_group):
    scene = _set_up(app, make_user, make_group)
    levels: dict[str, int | str] = {key: "n/o" for key in KEYS}
    data = form_payload(scene.review, levels | {"boundaries": 4}, feedback="Warm feedback.")
    # No quoted passage for boundaries, only a cited annotation.
    data["criterion_boundaries-annotations"] = str(scene.notes["gift"].id)
    response = scene.sam.post(
        f"/reviews/{scene.review.id}/edit", data | {"submit_review": "Submit review"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert fetch_review(scene.review.id).status is ReviewStatus.SUBMITTED

    # Once submitted, what it cites is final.
    with pytest.raises(ReviewError, match="submitted"):
        save_citations(fetch_review(scene.review.id), {"boundaries": []})
    db.session.rollback()
    assert cited_by_criterion(scene.review.id) == {"boundaries": {scene.notes["gift"].id}}


def test_a_level_without_quote_or_citation_still_needs_evidence(app, make_user, make_group):
    scene = _set_up(app, make_user, make_group)
    data = form_payload(scene.review, {"boundaries": 4}, feedback="Warm feedback.")
    response = scene.sam.post(
        f"/reviews/{scene.review.id}/edit", data | {"submit_review": "Submit review"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "quote the passage that is your evidence for the level, or cite an annotation" in page


# -- autosave --------------------------------------------------------------------------------------


def test_autosave_stores_the_ticked_annotations(app, make_user, make_group):
    scene = _set_up(app, make_user, make_group)
    payload = form_payload(scene.review, feedback="Autosaved")
    payload["criterion_boundaries-annotations"] = [
        str(scene.notes["gift"].id),
        str(scene.notes["private"].id),
    ]
    payload["criterion_pacing-annotations"] = [scene.notes["reviewers"].id]  # numbers are fine too
    response = scene.sam.post_json(f"/reviews/{scene.review.id}/autosave", payload)
    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"] is True and body["warning"] is None and body["uncited"] == []
    assert cited_by_criterion(scene.review.id) == {
        "boundaries": {scene.notes["gift"].id, scene.notes["private"].id},
        "pacing": {scene.notes["reviewers"].id},
    }

    # A criterion left out of the payload has nothing ticked.
    payload = form_payload(fetch_review(scene.review.id), feedback="Again")
    payload["criterion_pacing-annotations"] = str(scene.notes["reviewers"].id)  # one, not in a list
    response = scene.sam.post_json(f"/reviews/{scene.review.id}/autosave", payload)
    assert response.status_code == 200
    assert cited_by_criterion(scene.review.id) == {"pacing": {scene.notes["reviewers"].id}}


def test_autosave_leaves_out_what_may_not_be_cited_and_says_so(app, make_user, make_group):
    scene = _set_up(app, make_user, make_group)
    payload = form_payload(scene.review, feedback="Autosaved")
    payload["criterion_boundaries-annotations"] = [
        str(scene.notes["gift"].id),
        str(scene.notes["kims_private"].id),
        str(scene.notes["other_case"].id),
        True,  # not an id at all: ignored
    ]
    response = scene.sam.post_json(f"/reviews/{scene.review.id}/autosave", payload)
    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"] is True
    assert CITATIONS_REFUSED in body["warning"]
    assert body["uncited"] == [
        str(scene.notes["kims_private"].id),
        str(scene.notes["other_case"].id),
    ]
    assert cited_by_criterion(scene.review.id) == {"boundaries": {scene.notes["gift"].id}}
    assert fetch_review(scene.review.id).overall_feedback == "Autosaved"


def test_a_stale_autosave_changes_no_citation(app, make_user, make_group):
    scene = _set_up(app, make_user, make_group)
    stale = scene.review.edit_version
    first = form_payload(scene.review, feedback="Tab A")
    first["criterion_boundaries-annotations"] = [str(scene.notes["gift"].id)]
    assert scene.sam.post_json(f"/reviews/{scene.review.id}/autosave", first).status_code == 200
    second = form_payload(scene.review, feedback="Tab B", version=stale)
    second["criterion_boundaries-annotations"] = [str(scene.notes["private"].id)]
    assert scene.sam.post_json(f"/reviews/{scene.review.id}/autosave", second).status_code == 409
    assert cited_by_criterion(scene.review.id) == {"boundaries": {scene.notes["gift"].id}}


# -- the review page -------------------------------------------------------------------------------


def _released_with_citations(app, make_user, make_group) -> Scene:  # type: ignore[no-untyped-def]
    scene = _set_up(app, make_user, make_group)
    notes = scene.notes
    payload = form_payload(scene.review, {"boundaries": 4}, evidence={"boundaries": QUOTE})
    payload["criterion_boundaries-annotations"] = [
        str(notes["gift"].id),
        str(notes["reviewers"].id),
    ]
    assert scene.sam.post_json(f"/reviews/{scene.review.id}/autosave", payload).status_code == 200
    db.session.expire_all()
    write_review(scene.case, scene.w.first, {"boundaries": 4}, release=True)  # submits the draft
    scene.review = fetch_review(scene.review.id)
    return scene


def test_the_review_page_shows_the_cited_quotes_with_the_scores(app, make_user, make_group):
    scene = _released_with_citations(app, make_user, make_group)
    assert scene.review.status is ReviewStatus.RELEASED

    # The reviewer, the author of the case and the facilitator all read this review's scores.
    for user in (scene.w.first, scene.w.author, scene.w.facilitator):
        page = Browser(app, user).text(f"/reviews/{scene.review.id}")
        score = section(page, "score-boundaries")
        assert "Annotated passages cited as evidence" in score
        assert escaped(GIFT) in score and escaped(HESITATED) in score
        assert escaped(QUOTE) in score  # the quoted evidence stays too
        assert "Kim: the hesitation is the frame." not in page  # quotes, not comments
        assert "Annotated passages cited" not in section(page, "score-pacing")


def test_the_cited_quotes_stay_hidden_with_the_scores(app, make_user, make_group):
    scene = _released_with_citations(app, make_user, make_group)
    # Another supervisee reads the released feedback, but the scores are the author's to share.
    page = Browser(app, scene.w.reader).text(f"/reviews/{scene.review.id}")
    assert "The levels and comments of this review are not shared with you." in page
    assert "Annotated passages cited" not in page
    assert escaped(GIFT) not in page


def test_the_cited_quotes_are_redacted_with_the_case(app, make_user, make_group):
    scene = _released_with_citations(app, make_user, make_group)
    redact_passage(scene.case, scene.w.author, "small gift")
    db.session.commit()
    page = Browser(app, scene.w.author).text(f"/reviews/{scene.review.id}")
    score = section(page, "score-boundaries")
    assert "small gift" not in score
    assert f"offered a {REDACTED}" in score


def test_the_review_page_runs_a_bounded_number_of_queries_for_citations(app, make_user, make_group):
    scene = _released_with_citations(app, make_user, make_group)

    path = f"/reviews/{scene.review.id}"  # read before counting: the test's own query

    def queries() -> int:
        counted = 0

        def count(*_args: object) -> None:
            nonlocal counted
            counted += 1

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert scene.sam.status(path) == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return counted

    few = queries()
    for n in range(6):
        extra = annotate(
            scene.case,
            scene.w.second,
            "Third session of twelve",
            section_key="context",
            body=f"Note {n}",
        )
        score = next(s for s in fetch_review(scene.review.id).scores if s.criterion_key == "pacing")
        db.session.add(ScoreEvidence(score_id=score.id, annotation_id=extra.id))
        db.session.commit()
    assert queries() == few


def test_reviews_of_other_reviewers_are_unchanged_by_citing(app, make_user, make_group):
    scene = _set_up(app, make_user, make_group)
    kims = start_review(scene.case, scene.w.second)
    db.session.commit()
    payload = form_payload(scene.review)
    payload["criterion_boundaries-annotations"] = [str(scene.notes["reviewers"].id)]
    assert scene.sam.post_json(f"/reviews/{scene.review.id}/autosave", payload).status_code == 200
    assert cited_by_criterion(kims.id) == {}


# -- in a real browser -----------------------------------------------------------------------------


@pytest.mark.browser
def test_ticking_an_annotation_autosaves_it(live_server: tuple[str, Flask, int]) -> None:  # noqa: F811
    """review-form.js sends the ticked annotations as a list, and unticks what was refused."""
    from playwright.sync_api import expect

    base, app, review_id = live_server
    with app.app_context():
        review = db.session.get(Review, review_id)
        assert review is not None
        reviewer, author = review.reviewer, review.case.author
        gift = annotate(review.case, reviewer, GIFT, body="The gift at the door.")
        touched = annotate(review.case, reviewer, TOUCHED, section_key="reactions")
        hidden = annotate(
            review.case,
            author,  # (the service does not check who writes; the author's private note)
            HESITATED,
            visibility=AnnotationVisibility.PRIVATE,
        )
        ids = gift.id, touched.id, hidden.id

    problems: list[str] = []
    with chromium() as browser:
        edit = f"/reviews/{review_id}/edit"
        page = open_page(browser, LiveSite(base, app), SUPERVISOR_EMAIL, edit, problems)
        status = page.locator("#autosave-status")
        expect(status).to_contain_text("saves automatically")
        assert page.locator(f"#criterion_boundaries-annotations-{ids[2]}").count() == 0
        page.locator(f"#criterion_boundaries-annotations-{ids[0]}").check()
        page.locator(f"#criterion_boundaries-annotations-{ids[1]}").check()
        expect(status).to_have_text(re.compile(r"^Saved \d\d:\d\d$"), timeout=20_000)

        # A box for an annotation the reviewer may not cite (as if it had been made private
        # since the page loaded): the save leaves it out, says so and unticks it.
        page.evaluate(
            """([name, id]) => {
                const box = document.createElement("input");
                box.type = "checkbox"; box.name = name; box.value = id; box.checked = true;
                box.id = "smuggled";
                document.querySelector("#review-form").append(box);
                box.dispatchEvent(new Event("change", {bubbles: true}));
            }""",
            ["criterion_pacing-annotations", str(ids[2])],
        )
        expect(status).to_contain_text(CITATIONS_REFUSED, timeout=20_000)
        expect(page.locator("#smuggled")).not_to_be_checked()

        page.reload()
        expect(page.locator(f"#criterion_boundaries-annotations-{ids[0]}")).to_be_checked()
        expect(page.locator(f"#criterion_boundaries-annotations-{ids[1]}")).to_be_checked()
        expect(page.locator(f"#criterion_pacing-annotations-{ids[0]}")).not_to_be_checked()
    assert not problems, problems

    with app.app_context():
        assert cited_by_criterion(review_id) == {"boundaries": {ids[0], ids[1]}}
