"""The author's self-assessment of a shared case revision: start it, score it, or skip it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from supervision.extensions import db
from supervision.models import SelfAssessmentStatus
from supervision.permissions import Permission, load_case, require
from supervision.self_assessment.forms import for_assessment
from supervision.self_assessment.services import (
    SelfAssessmentError,
    find_self_assessment,
    side_by_side,
    skip_self_assessment,
    start_self_assessment,
    submit_self_assessment,
)

bp = Blueprint("self_assessment", __name__)


def _page(case_id: int) -> str:
    return url_for("self_assessment.show", case_id=case_id)


@bp.route("/cases/<int:case_id>/self-assessment", methods=["GET", "POST"])
@login_required
def show(case_id: int) -> str | Response:
    case = load_case(case_id)
    require(Permission.CASE_SELF_ASSESS, case)
    assessment = find_self_assessment(case, case.published_number or 0, current_user)
    if assessment is None or assessment.status is SelfAssessmentStatus.SUBMITTED:
        if request.method == "POST":
            flash(
                "Start your self-assessment first." if assessment is None else "Already submitted.",
                "info",
            )
            return redirect(_page(case.id))
        rows = side_by_side(assessment, current_user) if assessment else []
        return render_template(
            "self_assessment/show.html", case=case, assessment=assessment, rows=rows, form=None
        )
    form = for_assessment(assessment)()
    if form.validate_on_submit():
        try:
            submit_self_assessment(assessment, form.levels())
        except SelfAssessmentError as error:
            flash(str(error), "error")
            return redirect(_page(case.id))
        db.session.commit()
        flash("Submitted. The released reviews of this revision are now yours to read.", "success")
        return redirect(_page(case.id))
    return render_template(
        "self_assessment/show.html", case=case, assessment=assessment, rows=[], form=form
    )


@bp.post("/cases/<int:case_id>/self-assessment/start")
@login_required
def start(case_id: int) -> Response:
    case = load_case(case_id)
    require(Permission.CASE_SELF_ASSESS, case)
    try:
        start_self_assessment(case, current_user)
    except SelfAssessmentError as error:
        flash(str(error), "error")
        return redirect(url_for("cases.show", case_id=case.id))
    db.session.commit()
    return redirect(_page(case.id))


@bp.post("/cases/<int:case_id>/self-assessment/skip")
@login_required
def skip(case_id: int) -> Response:
    case = load_case(case_id)
    require(Permission.CASE_SELF_ASSESS, case)
    assessment = find_self_assessment(case, case.published_number or 0, current_user)
    if assessment is None or assessment.status is not SelfAssessmentStatus.DRAFT:
        flash("There is no self-assessment in progress to skip.", "info")
        return redirect(url_for("cases.show", case_id=case.id))
    try:
        skip_self_assessment(assessment)
    except SelfAssessmentError as error:
        flash(str(error), "error")
        return redirect(_page(case.id))
    db.session.commit()
    flash("Skipped. The released reviews of this revision show now.", "success")
    return redirect(url_for("cases.show", case_id=case.id))
