"""Calibration of raters: post or mark a calibration vignette, record its gold levels, read
one's own frame-of-reference feedback, and the group's rounds."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from supervision.calibration.feedback import rater_feedback
from supervision.calibration.forms import NOT_VISIBLE, MarkForm, gold_form
from supervision.calibration.report import calibration_report
from supervision.calibration.services import (
    CalibrationError,
    create_calibration_vignette,
    gold_levels,
    save_gold,
    set_calibration,
)
from supervision.cases.forms import CaseForm
from supervision.cases.sections import SECTIONS
from supervision.extensions import db
from supervision.permissions import Permission, load_case, load_group, require
from supervision.rubrics.services import ensure_builtin_rubric, group_rubric_version

bp = Blueprint("calibration", __name__)


@bp.get("/groups/<int:group_id>/calibration")
@login_required
def report(group_id: int) -> str:
    group = load_group(group_id)
    require(Permission.CALIBRATION_REPORT_VIEW, group)
    return render_template(
        "calibration/report.html", group=group, report=calibration_report(group, current_user)
    )


@bp.route("/groups/<int:group_id>/calibration/new", methods=["GET", "POST"])
@login_required
def create(group_id: int):  # type: ignore[no-untyped-def]
    group = load_group(group_id)
    require(Permission.CALIBRATION_CREATE, group)
    form = CaseForm()
    if form.validate_on_submit():
        case = create_calibration_vignette(group, current_user, form.title.data, form.sections())
        db.session.commit()
        flash(
            "Calibration vignette saved as a draft. Share it through the check as any case, "
            "then record its agreed levels.",
            "success",
        )
        return redirect(url_for("cases.show", case_id=case.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "cases/form.html",
        form=form,
        group=group,
        case=None,
        sections=SECTIONS,
        back=url_for("calibration.report", group_id=group.id),
        calibration=True,
    ), status


@bp.post("/cases/<int:case_id>/calibration")
@login_required
def mark(case_id: int) -> Response:
    case = load_case(case_id)
    require(Permission.CALIBRATION_MARK, case)
    form = MarkForm()
    if form.validate_on_submit():
        set_calibration(case, form.state.data == "on")
        db.session.commit()
        flash(
            "Marked as a calibration vignette: record its agreed levels."
            if case.is_calibration
            else "No longer a calibration vignette.",
            "success",
        )
    else:
        flash("Choose to mark or unmark the case.", "error")
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/cases/<int:case_id>/calibration/gold", methods=["GET", "POST"])
@login_required
def gold(case_id: int):  # type: ignore[no-untyped-def]
    case = load_case(case_id)
    require(Permission.CALIBRATION_GOLD_EDIT, case)
    if ensure_builtin_rubric():  # made on first use, as the rubric pages do: commit it at once
        db.session.commit()
    version = group_rubric_version(case.group)
    stored = gold_levels(case)
    data = {}
    for key, row in stored.items():
        data[f"level_{key}"] = NOT_VISIBLE if row.level is None else str(row.level)
        data[f"rationale_{key}"] = row.rationale
    form = gold_form(version.criteria, version.scale_labels or {}, data=data)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            save_gold(case, current_user, form.entries())
        except CalibrationError as error:
            db.session.rollback()
            problems = [str(error)]
        else:
            db.session.commit()
            flash("Agreed levels saved. Raters read them once their own review is in.", "success")
            return redirect(url_for("calibration.gold", case_id=case.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "calibration/gold.html",
        case=case,
        form=form,
        criteria=[
            (c, form[f"level_{c.key}"], form[f"rationale_{c.key}"]) for c in version.criteria
        ],
        problems=problems,
    ), status


@bp.get("/cases/<int:case_id>/calibration/feedback")
@login_required
def feedback(case_id: int) -> str:
    case = load_case(case_id)
    require(Permission.CALIBRATION_FEEDBACK, case)
    return render_template(
        "calibration/feedback.html", case=case, feedback=rater_feedback(case, current_user)
    )
