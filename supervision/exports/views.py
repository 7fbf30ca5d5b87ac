"""The portfolio page and its download (one's own, never anyone else's), and a group's
reports as CSV for its facilitators.

The download is a POST: building the archive reads every record one holds, so no link
prefetch, crawler or other site's page should set it off (the CSRF token sees to that), and it
is rate-limited per account (``DOWNLOAD_LIMIT``)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from supervision.audit.trail import note
from supervision.exports.archive import archive_bytes, build_portfolio
from supervision.exports.csvfile import attachment, csv_response, download_name
from supervision.exports.sections import group_report, group_report_keys
from supervision.extensions import limiter
from supervision.models.types import utcnow
from supervision.permissions import Permission, load_group, require

bp = Blueprint("exports", __name__)

DOWNLOAD_LIMIT = "5 per minute;30 per day"


def _per_account() -> str:
    return f"portfolio:{current_user.get_id()}"


@bp.get("/account/portfolio")
@login_required
def portfolio() -> str:
    built = build_portfolio(current_user, utcnow())
    return render_template("exports/portfolio.html", portfolio=built)


@bp.post("/account/portfolio/download")
@login_required
@limiter.limit(DOWNLOAD_LIMIT, key_func=_per_account)
def download() -> Response:
    built = build_portfolio(current_user, utcnow())
    name = download_name("attune-portfolio", built.made_at.date().isoformat(), suffix=".zip")
    note(
        "export",
        "users",
        current_user.id,
        subject_id=current_user.id,
        detail={"export": "portfolio"},
    )
    return attachment(archive_bytes(built), "application/zip", name)


@bp.get("/groups/<int:group_id>/reports")
@login_required
def reports(group_id: int) -> str:
    group = load_group(group_id)
    require(Permission.GROUP_REPORTS, group)
    return render_template("exports/reports.html", group=group, reports=group_report_keys())


@bp.get("/groups/<int:group_id>/reports/<key>.csv")
@login_required
def report(group_id: int, key: str) -> Response:
    group = load_group(group_id)
    require(Permission.GROUP_REPORTS, group)
    built = group_report(key[:40], group)
    if built is None:
        abort(404)
    note("export", "groups", group.id, group_id=group.id, detail={"export": f"report:{key[:40]}"})
    return csv_response(built, group.name)
