"""A group's reports page and its CSV downloads, for its facilitators; the CSV's encoding and
its guard against spreadsheet formulas."""

from __future__ import annotations

import csv
import io

from export_support import review
from flask import Flask
from support import Browser, shared_case, supervision_world

from supervision.cases.services import create_case
from supervision.exports.csvfile import BOM, csv_text
from supervision.exports.csvsafe import safe_cell
from supervision.extensions import db
from supervision.models import GroupKind, Role


def _rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :])))


def _world(app: Flask, make_user, make_group):  # type: ignore[no-untyped-def]
    w = supervision_world(make_user, make_group)
    with app.test_request_context():
        case = shared_case(w.group, w.author, '=HYPERLINK("http://x")')
        review(case, w.supervisor, level=4, feedback="Free text stays out of reports.")
        create_case(w.group, w.author, "A draft nobody counts", {"context": "Not yet."})
        db.session.commit()
    return w


def test_facilitators_see_every_report_and_others_do_not(
    app: Flask, make_user, make_group, login_as
):
    w = _world(app, make_user, make_group)
    page = login_as(w.facilitator).get(f"/groups/{w.group.id}/reports").get_data(as_text=True)
    assert f'href="/groups/{w.group.id}/reports/members.csv"' in page
    assert f'href="/groups/{w.group.id}/reports/reviews.csv"' in page
    home = login_as(w.facilitator).get(f"/groups/{w.group.id}").get_data(as_text=True)
    assert f'href="/groups/{w.group.id}/reports"' in home


def test_members_and_outsiders_are_refused(app: Flask, make_user, make_group, login_as):
    w = _world(app, make_user, make_group)
    outsider = make_user("Olive Outsider")
    make_group(GroupKind.PEER, {outsider: Role.FACILITATOR})
    supervisor = login_as(w.supervisor)
    assert supervisor.get(f"/groups/{w.group.id}/reports").status_code == 403
    assert supervisor.get(f"/groups/{w.group.id}/reports/members.csv").status_code == 403
    home = supervisor.get(f"/groups/{w.group.id}").get_data(as_text=True)
    assert "/reports" not in home
    other = Browser(app, outsider)
    assert other.get(f"/groups/{w.group.id}/reports").status_code == 404
    assert other.get(f"/groups/{w.group.id}/reports/members.csv").status_code == 404


def test_an_unknown_report_is_not_found(app: Flask, make_user, make_group, login_as):
    w = _world(app, make_user, make_group)
    assert login_as(w.facilitator).get(f"/groups/{w.group.id}/reports/nope.csv").status_code == 404


def test_the_members_report_counts_what_reached_the_group(
    app: Flask, make_user, make_group, login_as
):
    w = _world(app, make_user, make_group)
    response = login_as(w.facilitator).get(f"/groups/{w.group.id}/reports/members.csv")
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    assert (
        (response.headers["Content-Disposition"])
        == 'attachment; filename="tuesday-supervision-members.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    rows = _rows(response.data)
    assert rows[0] == ["Name", "Role", "Joined", "Cases shared", "Reviews submitted"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Alex Author"][1:2] == ["Supervisee"] and by_name["Alex Author"][3] == "1"
    assert by_name["Sam Supervisor"][4] == "1"


def test_the_reviews_report_has_levels_and_no_free_text(
    app: Flask, make_user, make_group, login_as
):
    w = _world(app, make_user, make_group)
    response = login_as(w.facilitator).get(f"/groups/{w.group.id}/reports/reviews.csv")
    text = response.data.decode("utf-8")
    assert "Free text stays out of reports." not in text and "Seen." not in text
    rows = _rows(response.data)
    assert rows[0][:5] == ["Released", "Case", "Revision", "Author", "Reviewer"]
    assert rows[0][5] == "Authentic presence within boundaries"
    assert len(rows) == 2
    row = rows[1]
    assert row[1] == '\'=HYPERLINK("http://x")'  # a title that looks like a formula is text
    assert row[3:6] == ["Alex Author", "Sam Supervisor", "4"]
    assert row[6] == "n/o"


def test_a_facilitator_still_scoring_blind_gets_no_other_levels(
    app: Flask, make_user, make_group, login_as
):
    """Blind scoring holds in the report as on the pages."""
    w = _world(app, make_user, make_group)
    with app.test_request_context():
        case = shared_case(w.group, w.author, "Scored blind")
        review(case, w.supervisor, level=2)
        review(case, w.facilitator, submit=False, release=False)  # her draft
    rows = _rows(login_as(w.facilitator).get(f"/groups/{w.group.id}/reports/reviews.csv").data)
    assert [row[1] for row in rows[1:]] == ['\'=HYPERLINK("http://x")']


def test_safe_cell_neutralises_formulas_only():
    for risky in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(risky) == "'" + risky
    assert safe_cell("Alex") == "Alex" and safe_cell(-3) == -3 and safe_cell(None) is None
    assert csv_text(["a"], [["-2"], [-2]]) == BOM + "a\r\n'-2\r\n-2\r\n"
