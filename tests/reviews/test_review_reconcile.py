"""Discrepancies between submitted reviews, reconciliation notes and consensus levels; the case
panel's bounded number of queries."""

from __future__ import annotations

import contextvars

from flask import render_template
from flask_login import login_user
from review_support import (
    KEYS,
    Browser,
    escaped,
    make_world,
    section,
    shared_case,
    write_review,
)
from sqlalchemy import event, select

from supervision.extensions import db
from supervision.models import Case, ConsensusScore, Membership, ReconciliationNote, Role, User
from supervision.reviews.panel import case_review_panel


def _reconcile_url(case_id: int, key: str = "boundaries", revision: int = 1) -> str:
    return f"/cases/{case_id}/reconcile/{revision}/{key}"


def test_two_level_gap_is_a_discrepancy_and_one_level_is_not(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    write_review(case, w.first, {"boundaries": 2, "pacing": 3})
    write_review(case, w.second, {"boundaries": 4, "pacing": 4})
    for user in (w.first, w.second, w.facilitator):
        panel = Browser(app, user).text(f"/cases/{case.id}/reviews/list")
        found = section(panel, "discrepancies")
        assert 'data-criterion="boundaries"' in found
        assert 'data-criterion="pacing"' not in found
        assert _reconcile_url(case.id) in found
    browser = Browser(app, w.first)
    assert browser.status(_reconcile_url(case.id)) == 200
    assert browser.status(_reconcile_url(case.id, "pacing")) == 404  # no discrepancy there
    assert browser.status(_reconcile_url(case.id, "boundaries", 2)) == 404


def test_discrepancy_shows_only_to_those_who_may_read_both_scores(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    third = make_user("Jo Supervisor")
    w.group.memberships.append(Membership(user=third, role=Role.SUPERVISOR))
    db.session.commit()
    write_review(case, w.first, {"boundaries": 1}, release=True)
    write_review(case, w.second, {"boundaries": 4}, release=True)
    write_review(case, third, {"boundaries": 5}, submit=False)  # still blind
    for user in (third, w.reader):
        browser = Browser(app, user)
        assert 'id="discrepancies"' not in browser.text(f"/cases/{case.id}/reviews/list")
    assert Browser(app, w.reader).status(_reconcile_url(case.id)) == 403
    assert Browser(app, third).status(_reconcile_url(case.id)) == 403
    # The author reads their released reviews' levels, so sees the gap, but does not reconcile.
    author = Browser(app, w.author)
    found = section(author.text(f"/cases/{case.id}/reviews/list"), "discrepancies")
    assert 'data-criterion="boundaries"' in found and _reconcile_url(case.id) not in found
    assert author.status(_reconcile_url(case.id)) == 403


def test_reviewers_discuss_and_record_a_consensus(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    write_review(case, w.first, {"boundaries": 2}, comment="Too cool, I thought.")
    write_review(case, w.second, {"boundaries": 4}, comment="Warm and clear.")
    url = _reconcile_url(case.id)
    sam, kim = Browser(app, w.first), Browser(app, w.second)

    page = sam.text(url)
    assert escaped("Too cool, I thought.") in page and "Warm and clear." in page
    assert "2 · Emerging" in page and "4 · Skilled" in page

    assert sam.post(url, {"body": "   ", "post_note": "Post note"}).status_code == 400
    response = sam.post(url, {"body": "I read the hesitation as distance.", "post_note": "Post"})
    assert response.status_code == 302 and response.headers["Location"] == url
    kim.post(url, {"body": "I read it as care <b>for</b> the frame.", "post_note": "Post"})
    page = kim.text(url)
    notes = section(page, "reconciliation-notes", "ol")
    assert notes.index("hesitation as distance") < notes.index(escaped("care <b>for</b>"))
    notes = db.session.scalars(select(ReconciliationNote)).all()
    assert {(n.revision_number, n.criterion_key) for n in notes} == {(1, "boundaries")}

    response = kim.post(
        url, {"level": "3", "dissent_note": "Sam still leans to 2.", "record": "Record"}
    )
    assert response.status_code == 302
    consensus = db.session.scalar(select(ConsensusScore))
    assert (consensus.level, consensus.dissent_note, consensus.recorded_by_id) == (
        3,
        "Sam still leans to 2.",
        w.second.id,
    )
    page = sam.text(url)
    assert "Agreed: <strong>3</strong>" in section(page, "consensus", "div")
    assert "Agreed: 3." in Browser(app, w.facilitator).text(f"/cases/{case.id}/reviews/list")

    # The agreed answer can also be "not visible in this vignette"; a bad level is refused.
    assert sam.post(url, {"level": "7", "record": "Record"}).status_code == 400
    sam.post(url, {"level": "n/o", "record": "Record"})
    db.session.expire_all()
    consensus = db.session.scalar(select(ConsensusScore))
    assert consensus.level is None and consensus.dissent_note == ""


def _panel_html(app, case_id: int, user_id: int) -> str:
    """The case panel rendered as the case page will, in a fresh request of its own."""

    def render() -> str:
        with app.test_request_context(f"/cases/{case_id}"):
            user = db.session.get(User, user_id)
            login_user(user)
            case = db.session.get(Case, case_id)
            return render_template(
                "reviews/_case_panel.html", review_panel=case_review_panel(case, user)
            )

    return contextvars.Context().run(render)


def _count_queries(action) -> int:  # type: ignore[no-untyped-def]
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_case_panel_runs_a_constant_number_of_queries(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    write_review(case, w.first, {"boundaries": 2})
    write_review(case, w.second, {"boundaries": 4})
    few = _count_queries(lambda: _panel_html(app, case.id, w.facilitator.id))
    assert few > 0
    for number in range(4):
        extra = make_user(f"Extra Supervisor {number}")
        w.group.memberships.append(Membership(user=extra, role=Role.SUPERVISOR))
        db.session.commit()
        write_review(case, extra, {key: 1 + number for key in KEYS})
    many = _count_queries(lambda: _panel_html(app, case.id, w.facilitator.id))
    assert many == few, (few, many)
    assert 'id="discrepancies"' in _panel_html(app, case.id, w.facilitator.id)
