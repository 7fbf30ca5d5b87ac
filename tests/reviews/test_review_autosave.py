"""The autosave JSON endpoint (CSRF header, edit_version conflicts) and Markdown sanitizing."""

from __future__ import annotations

import re

from review_support import (
    QUOTE,
    Browser,
    fetch_review,
    form_payload,
    make_world,
    section,
    shared_case,
    write_review,
)

from supervision.extensions import db
from supervision.reviews.services import start_review


def _draft(app, make_user, make_group):  # type: ignore[no-untyped-def]
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    review = start_review(case, w.first)
    db.session.commit()
    return w, review, Browser(app, w.first)


def test_autosave_saves_and_returns_the_new_version(app, make_user, make_group):
    _, review, sam = _draft(app, make_user, make_group)
    payload = form_payload(
        review,
        {"boundaries": "4", "silence": "n/o"},
        evidence={"boundaries": QUOTE},
        comments={"boundaries": "Warm."},
        feedback="Half-written feedback",
        private="A note to self",
    )
    response = sam.post_json(f"/reviews/{review.id}/autosave", payload)
    assert response.status_code == 200
    assert response.is_json
    body = response.get_json()
    saved = fetch_review(review.id)
    assert body["ok"] is True and body["edit_version"] == saved.edit_version
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d", body["saved_at"])
    scores = {s.criterion_key: s for s in saved.scores}
    assert (scores["boundaries"].level, scores["boundaries"].evidence) == (4, QUOTE)
    assert scores["silence"].not_visible
    assert (saved.overall_feedback, saved.private_notes) == (
        "Half-written feedback",
        "A note to self",
    )

    # The edit page shows what was autosaved, with the version the next save must carry.
    page = sam.text(f"/reviews/{review.id}/edit")
    assert "Half-written feedback" in page
    assert f'name="edit_version" type="hidden" value="{saved.edit_version}"' in page


def test_autosave_refuses_a_request_without_the_csrf_header(app, make_user, make_group):
    _, review, sam = _draft(app, make_user, make_group)
    payload = form_payload(review, feedback="Should not be stored")
    response = sam.post_json(f"/reviews/{review.id}/autosave", payload, token=False)
    assert response.status_code == 400
    assert fetch_review(review.id).overall_feedback == ""
    bad = sam.client.post(
        f"/reviews/{review.id}/autosave", json=payload, headers={"X-CSRFToken": "forged"}
    )
    assert bad.status_code == 400
    assert fetch_review(review.id).overall_feedback == ""


def test_autosave_answers_409_on_a_stale_edit_version(app, make_user, make_group):
    _, review, sam = _draft(app, make_user, make_group)
    stale = review.edit_version
    first = sam.post_json(f"/reviews/{review.id}/autosave", form_payload(review, feedback="Tab A"))
    assert first.status_code == 200
    second = sam.post_json(
        f"/reviews/{review.id}/autosave", form_payload(review, feedback="Tab B", version=stale)
    )
    assert second.status_code == 409
    body = second.get_json()
    assert body["ok"] is False and body["conflict"] is True
    assert "another tab" in body["error"]
    assert fetch_review(review.id).overall_feedback == "Tab A"


def test_autosave_rejects_bad_input_and_other_peoples_reviews(app, make_user, make_group):
    w, review, sam = _draft(app, make_user, make_group)
    url = f"/reviews/{review.id}/autosave"
    assert sam.post_json(url, ["not", "an", "object"]).status_code == 400
    assert sam.post_json(url, {"overall_feedback": "no version"}).status_code == 400
    too_long = form_payload(review, feedback="x" * 20_001)
    response = sam.post_json(url, too_long)
    assert response.status_code == 400 and "20,000" in response.get_json()["error"]
    bad_level = form_payload(review) | {"criterion_pacing-level": "6"}
    assert sam.post_json(url, bad_level).status_code == 400
    # Another supervisor cannot see the draft at all; the author neither.
    for user in (w.second, w.author):
        other = Browser(app, user)
        assert other.post_json(url, form_payload(review, feedback="x")).status_code == 404
    # After submitting, the review no longer takes drafts.
    write_review(review.case, w.first, {"boundaries": 3})
    assert sam.post_json(url, form_payload(fetch_review(review.id))).status_code == 403


XSS_PAYLOADS = (
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "[click](javascript:alert(3))",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==">x</a>',
    '<svg onload="alert(5)"></svg>',
    '<iframe src="https://evil.example"></iframe>',
    "**bold** <b onmouseover=alert(6)>hover</b>",
)


def test_markdown_feedback_is_sanitized(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    feedback = "\n\n".join(XSS_PAYLOADS)
    review = write_review(
        case,
        w.first,
        {"boundaries": 3},
        feedback=feedback,
        comment='<script>alert("c")</script>',
        release=True,
    )
    for user in (w.first, w.author):
        page = Browser(app, user).text(f"/reviews/{review.id}")
        html = section(page, "overall-feedback", "div")
        assert "<strong>bold</strong>" in html
        tags = [tag.lower() for tag in re.findall(r"<[^>]+>", html)]  # real markup, not text
        names = {re.match(r"</?([a-z0-9]+)", tag).group(1) for tag in tags}
        assert not names & {"script", "iframe", "svg", "img", "b"}, names
        for tag in tags:
            assert not re.search(r"\son\w+\s*=", tag), tag
            assert not re.search(r"(href|src)\s*=\s*[\"']?\s*(javascript|data):", tag), tag
        # Plain-text fields are escaped, never rendered.
        assert '<script>alert("c")</script>' not in page
