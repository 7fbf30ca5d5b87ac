"""The portfolio page and its download, through the test client; the archive's layout."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from conftest import csrf_token
from export_support import annotate, review, unzip
from flask import Flask
from support import shared_case, supervision_world

from supervision.cases.services import create_case
from supervision.exports import sections
from supervision.exports.archive import archive_bytes, build_portfolio
from supervision.exports.sections import PortfolioSection, register_portfolio_section
from supervision.extensions import db
from supervision.models import AnnotationVisibility
from supervision.models.types import utcnow
from supervision.self_assessment.services import start_self_assessment

# Every part the features register, in the archive's order.
PORTFOLIO_KEYS = ("cases", "feedback", "growth", "agreements", "hours", "evaluations")


def _world(app: Flask, make_user, make_group):  # type: ignore[no-untyped-def]
    w = supervision_world(make_user, make_group)
    with app.test_request_context():
        case = shared_case(w.group, w.author, "A gift at the last session")
        review(case, w.supervisor, level=3, feedback="You held the frame warmly.")
        annotate(case, w.supervisor, "offered a small gift", "Worth slowing down.")
        annotate(case, w.supervisor, "I hesitated", "Only for me.", AnnotationVisibility.PRIVATE)
        create_case(w.group, w.author, "Still a draft", {"context": "Half written."})
        db.session.commit()
    return w


def test_the_page_lists_each_part_with_its_count(app: Flask, make_user, make_group, login_as):
    w = _world(app, make_user, make_group)
    page = login_as(w.author).get("/account/portfolio").get_data(as_text=True)
    assert "<h1" in page and "My portfolio" in page
    rows = (
        ("Cases", 2),  # the shared case and the draft: both the author's
        ("Feedback", 2),  # one released review, one annotation the author may read
        ("Growth", 7),  # every criterion of the released review's rubric, as on the page
    )
    for title, count in rows:
        assert f'<th scope="row">{title}</th>\n            <td>{count}</td>' in page
    assert 'action="/account/portfolio/download"' in page


def test_the_download_is_a_zip_of_markdown_and_json(app: Flask, make_user, make_group, login_as):
    w = _world(app, make_user, make_group)
    client = login_as(w.author)
    response = client.post(
        "/account/portfolio/download", data={"csrf_token": csrf_token(client, "/account/portfolio")}
    )
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="attune-portfolio-'
    )
    assert response.headers["Cache-Control"] == "no-store"
    files = unzip(response.data)
    assert set(files) == {
        "README.md",
        "portfolio.json",
        *(f"{key}.{ext}" for key in PORTFOLIO_KEYS for ext in ("md", "json")),
    }
    assert "# Portfolio of Alex Author" in files["README.md"]
    assert "- Cases: 2 records (`cases.md`, `cases.json`)" in files["README.md"]
    document = json.loads(files["portfolio.json"])
    assert document["schema"] == "attune.portfolio/1"
    assert [s["key"] for s in document["sections"]] == list(PORTFOLIO_KEYS)
    cases = json.loads(files["cases.json"])["records"]
    assert [c["title"] for c in cases] == ["A gift at the last session", "Still a draft"]
    assert cases[1]["status"] == "Draft" and cases[1]["sections"]["context"] == "Half written."
    assert "You held the frame warmly." in files["feedback.md"]
    assert "level 3: " in files["feedback.md"]
    assert "Worth slowing down." in files["feedback.md"]
    assert "Only for me." not in "".join(files.values())  # another's private annotation


def test_the_download_needs_a_post_with_a_token(app: Flask, make_user, make_group, login_as):
    w = _world(app, make_user, make_group)
    client = login_as(w.author)
    assert client.get("/account/portfolio/download").status_code == 405
    assert client.post("/account/portfolio/download").status_code == 400


def test_a_reviewer_portfolio_holds_none_of_the_reviewed_cases(
    app: Flask, make_user, make_group, login_as
):
    """One's own only: the supervisor's archive has no case of the author, no feedback."""
    w = _world(app, make_user, make_group)
    client = login_as(w.supervisor)
    token = csrf_token(client, "/account/portfolio")
    files = unzip(client.post("/account/portfolio/download", data={"csrf_token": token}).data)
    assert json.loads(files["cases.json"])["records"] == []
    assert json.loads(files["feedback.json"])["records"] == []
    assert "A gift at the last session" not in "".join(files.values())


def test_released_reviews_wait_while_the_author_scores_themself(
    app: Flask, make_user, make_group, login_as
):
    """As on the pages: a self-assessment in progress holds back that revision's reviews."""
    w = _world(app, make_user, make_group)
    with app.test_request_context():
        case = shared_case(w.group, w.author, "Scored by myself first")
        start_self_assessment(case, w.author)
        review(case, w.supervisor, feedback="Held back for now.")
    client = login_as(w.author)
    token = csrf_token(client, "/account/portfolio")
    files = unzip(client.post("/account/portfolio/download", data={"csrf_token": token}).data)
    assert "Held back for now." not in files["feedback.md"]
    assert "You held the frame warmly." in files["feedback.md"]


def test_downloads_are_rate_limited_per_account(app: Flask, make_user, make_group, login_as):
    w = _world(app, make_user, make_group)
    client = login_as(w.author)
    token = csrf_token(client, "/account/portfolio")
    codes = [
        client.post("/account/portfolio/download", data={"csrf_token": token}).status_code
        for _ in range(6)
    ]
    assert codes == [200] * 5 + [429]


def test_anonymous_visitors_are_sent_to_log_in(client) -> None:
    assert "/login" in client.get("/account/portfolio").headers["Location"]


def test_a_section_another_feature_registers_is_in_the_archive(app: Flask, make_user, monkeypatch):
    """The registry at work: a later feature's section (here with dates and exact decimals, as
    hours records have) gets its own files, a README line and a place in portfolio.json."""
    monkeypatch.setattr(sections, "_portfolio", list(sections._portfolio))  # restored after

    def hours(user):  # type: ignore[no-untyped-def]
        record = {"on": date(2026, 3, 3), "hours": Decimal("1.5"), "length": timedelta(hours=1)}
        return PortfolioSection("hours", "Hours", [record], "# Hours\n")

    register_portfolio_section(40, "hours", hours)
    person = make_user("Ada Hours")
    with app.test_request_context():
        files = unzip(archive_bytes(build_portfolio(person, utcnow())))
    assert files["hours.md"] == "# Hours\n"
    assert json.loads(files["hours.json"])["records"] == [
        {"on": "2026-03-03", "hours": "1.5", "length": 3600.0}
    ]
    assert "- Hours: 1 record (`hours.md`, `hours.json`)" in files["README.md"]
    keys = [s["key"] for s in json.loads(files["portfolio.json"])["sections"]]
    assert keys == list(PORTFOLIO_KEYS)  # "hours" replaced in its place
