"""The growth page, its charts and the share-my-growth page, through the test client."""

from __future__ import annotations

import re

from conftest import csrf_token
from flask import Flask
from growth_support import review
from markupsafe import escape
from sqlalchemy import select
from support import shared_case, supervision_group

from supervision.cases.services import close_case
from supervision.extensions import db
from supervision.models import GrowthShare, RubricCriterion


def _world(make_user, make_group):
    facilitator = make_user("Fran Facilitator")
    supervisor = make_user("Sam Supervisor")
    author = make_user("Alex Author")
    reader = make_user("Robin Reader")
    group = supervision_group(make_group, facilitator, [supervisor], [author, reader], "Tuesday")
    return group, facilitator, supervisor, author, reader


def _with_reviews(app: Flask, group, supervisor, author) -> None:
    with app.test_request_context():
        first = shared_case(group, author, "First case")
        review(first, supervisor, {"boundaries": 2, "pacing": None})
        close_case(first)
        second = shared_case(group, author, "Second case")
        review(second, supervisor, {"boundaries": 4, "pacing": 3})
        close_case(second)
        db.session.commit()


def test_own_growth_page_shows_each_criterion_with_chart_and_table(
    app: Flask, make_user, make_group, login_as
) -> None:
    group, _facilitator, supervisor, author, _reader = _world(make_user, make_group)
    _with_reviews(app, group, supervisor, author)
    page = login_as(author).get("/growth").get_data(as_text=True)
    assert "My growth" in page
    assert f'src="/growth/people/{author.id}/boundaries.svg"' in page
    table = re.search(
        r"<caption>Authentic presence within boundaries[^<]*</caption>.*?</table>", page, re.DOTALL
    )
    assert table, "a data table beside the chart"
    assert '<th scope="col">Level</th>' in table.group(0)
    pacing = re.search(
        r"<caption>Pacing and autonomy[^<]*</caption>.*?</table>", page, re.DOTALL
    ).group(0)
    assert "Not visible in this vignette" in pacing
    assert "Warm and specific feedback." in page  # the latest feedback


def test_each_level_given_is_explained_once_under_its_table(
    app: Flask, make_user, make_group, login_as
) -> None:
    group, _facilitator, supervisor, author, _reader = _world(make_user, make_group)
    with app.test_request_context():
        for n, level in enumerate([2, 4, 2, 2]):
            case = shared_case(group, author, f"Case {n}")
            review(case, supervisor, {"boundaries": level})
            close_case(case)
        db.session.commit()
        criterion = db.session.scalars(
            select(RubricCriterion).where(RubricCriterion.key == "boundaries")
        ).first()
        anchors = {level: criterion.descriptor(level) for level in (2, 4)}
    page = login_as(author).get("/growth").get_data(as_text=True)
    section = re.search(
        r"<caption>Authentic presence within boundaries.*?</section>", page, re.DOTALL
    ).group(0)
    meanings = re.search(r"What the levels in this table mean.*?</dl>", section, re.DOTALL)
    assert meanings, "the levels' anchors under the table"
    listed = re.findall(r"<dt>Level (\d)</dt>", meanings.group(0))
    assert listed == ["2", "4"]  # the levels given, each once, lowest first
    for text in anchors.values():
        assert text and section.count(str(escape(text))) == 1


def test_the_chart_is_svg_without_script_under_a_strict_policy(
    app: Flask, make_user, make_group, login_as
) -> None:
    group, _facilitator, supervisor, author, _reader = _world(make_user, make_group)
    _with_reviews(app, group, supervisor, author)
    response = login_as(author).get(f"/growth/people/{author.id}/pacing.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    body = response.get_data(as_text=True)
    assert (
        "<script" not in body and "unsafe-inline" not in response.headers["Content-Security-Policy"]
    )
    assert "style-src 'sha256-" in response.headers["Content-Security-Policy"]


def test_nobody_else_sees_the_page_not_even_a_facilitator(
    app: Flask, make_user, make_group, login_as
) -> None:
    group, facilitator, supervisor, author, reader = _world(make_user, make_group)
    _with_reviews(app, group, supervisor, author)
    for someone in (facilitator, supervisor, reader):
        client = login_as(someone)
        assert client.get(f"/growth/people/{author.id}").status_code == 404
        assert client.get(f"/growth/people/{author.id}/boundaries.svg").status_code == 404
        client.post("/logout", data={"csrf_token": csrf_token(client, "/growth")})


def test_sharing_with_a_supervisor_and_taking_it_back(
    app: Flask, make_user, make_group, login_as
) -> None:
    group, _facilitator, supervisor, author, _reader = _world(make_user, make_group)
    _with_reviews(app, group, supervisor, author)
    client = login_as(author)
    page = client.get("/growth/sharing").get_data(as_text=True)
    assert "Sam Supervisor" in page and "Tuesday" in page and "Robin Reader" not in page
    form = {"csrf_token": csrf_token(client, "/growth/sharing"), "reviewer_id": supervisor.id}
    shared = client.post(f"/groups/{group.id}/growth-sharing", data={**form, "shared": "1"})
    assert shared.status_code == 302
    assert db.session.scalar(db.select(db.func.count(GrowthShare.id))) == 1
    client.post("/logout", data={"csrf_token": form["csrf_token"]})

    theirs = login_as(supervisor).get(f"/growth/people/{author.id}")
    assert theirs.status_code == 200
    assert "Growth of Alex Author" in theirs.get_data(as_text=True)
    supervisor_client = login_as(supervisor)
    supervisor_client.post("/logout", data={"csrf_token": csrf_token(supervisor_client, "/growth")})

    client = login_as(author)
    form["csrf_token"] = csrf_token(client, "/growth/sharing")
    client.post(f"/groups/{group.id}/growth-sharing", data={**form, "shared": "0"})
    assert db.session.scalar(db.select(db.func.count(GrowthShare.id))) == 0
    client.post("/logout", data={"csrf_token": form["csrf_token"]})
    assert login_as(supervisor).get(f"/growth/people/{author.id}").status_code == 404


def test_sharing_with_someone_who_does_not_review_there_is_refused(
    app: Flask, make_user, make_group, login_as
) -> None:
    group, _facilitator, _supervisor, author, reader = _world(make_user, make_group)
    client = login_as(author)
    token = csrf_token(client, "/growth/sharing")
    response = client.post(
        f"/groups/{group.id}/growth-sharing",
        data={"csrf_token": token, "reviewer_id": reader.id, "shared": "1"},
        follow_redirects=True,
    )
    assert "Choose one of the people who review your cases" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(GrowthShare.id))) == 0
