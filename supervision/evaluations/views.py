"""Evaluations: the group's list, scheduling, each side's part, the response, signing; and
the supervisee's evaluation of a supervisor.

Thin views: load (404), require (403), validate, call a service, commit once, redirect.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from supervision.audit.trail import read
from supervision.auth.reauth import ReauthError
from supervision.evaluations.evidence import evaluation_evidence
from supervision.evaluations.forms import (
    PartForm,
    ResponseForm,
    SharingForm,
    SignForm,
    part_form,
    schedule_form,
    supervisor_evaluation_form,
)
from supervision.evaluations.panels import (
    evaluation_entries,
    evaluation_rows,
    part_data,
    supervisor_evaluation_entries,
)
from supervision.evaluations.services import (
    EVALUATOR,
    SELF,
    EvaluationConflict,
    EvaluationError,
    PartInput,
    ScheduleInput,
    default_rubric_version,
    evaluator_choices,
    load_scores,
    rubric_choices,
    save_part,
    save_response,
    schedule_evaluation,
    sign_evaluation,
    supervisee_choices,
)
from supervision.evaluations.supervisor import (
    SupervisorEvaluationError,
    set_supervisor_sharing,
    supervisor_choices,
    write_supervisor_evaluation,
)
from supervision.extensions import db
from supervision.models import Evaluation, EvaluationKind, Group
from supervision.models.evaluation import SUPERVISOR_SCALE
from supervision.models.types import utcnow
from supervision.permissions import (
    Permission,
    can,
    load_evaluation,
    load_group,
    load_supervisor_evaluation,
    require,
)
from supervision.routing import form_int

bp = Blueprint("evaluations", __name__)


def _add_error(form: Any, name: str | None, fallback: Any, message: str) -> None:
    """Put a service's message on the field it names (or ``fallback``), text kept."""
    field = form[name] if name and name in form else fallback
    field.errors = [*field.errors, message]


def _show(evaluation: Evaluation) -> str:
    return url_for("evaluations.show", evaluation_id=evaluation.id)


@bp.get("/groups/<int:group_id>/evaluations")
@login_required
def index(group_id: int) -> str:
    group = load_group(group_id)
    require(Permission.EVALUATION_LIST, group)
    return render_template(
        "evaluations/index.html",
        group=group,
        entries=evaluation_entries(group, current_user, utcnow().date()),
        written=supervisor_evaluation_entries(group, current_user),
        may_schedule=can(current_user, Permission.EVALUATION_SCHEDULE, group),
        may_write=can(current_user, Permission.SUPERVISOR_EVALUATION_CREATE, group),
    )


def _schedule_form(group: Group) -> Any:
    return schedule_form(
        supervisee_choices(group),
        evaluator_choices(group, current_user),
        rubric_choices(group),
        default_rubric_version(group),
    )


@bp.route("/groups/<int:group_id>/evaluations/new", methods=["GET", "POST"])
@login_required
def schedule(group_id: int) -> ResponseReturnValue:
    group = load_group(group_id)
    require(Permission.EVALUATION_SCHEDULE, group)
    form = _schedule_form(group)
    if form.validate_on_submit():
        data = ScheduleInput(
            int(form.supervisee_id.data),
            int(form.evaluator_id.data),
            EvaluationKind(form.kind.data),
            form.label.data or "",
            form.period_start.data,
            form.period_end.data,
            form.due_on.data,
            int(form.rubric_version_id.data),
        )
        try:
            evaluation = schedule_evaluation(group, current_user, data)
        except EvaluationError as error:
            db.session.rollback()
            _add_error(form, error.field, form.period_start, str(error))
        else:
            db.session.commit()
            flash("Evaluation scheduled. Both of you can now fill in your parts.", "success")
            return redirect(_show(evaluation))
    status = 400 if form.is_submitted() else 200
    return render_template("evaluations/schedule.html", group=group, form=form), status


def _render_show(evaluation: Evaluation, status: int = 200, **forms: Any) -> ResponseReturnValue:
    scores = load_scores(evaluation)
    evidence = evaluation_evidence(evaluation, scores, current_user)
    version = {"edit_version": str(evaluation.edit_version)}
    may = {
        name: can(current_user, permission, evaluation)
        for name, permission in {
            "evaluate": Permission.EVALUATION_EVALUATE,
            "self": Permission.EVALUATION_SELF,
            "respond": Permission.EVALUATION_RESPOND,
            "sign": Permission.EVALUATION_SIGN,
            "read_evaluator": Permission.EVALUATION_READ_EVALUATOR_PART,
            "read_self": Permission.EVALUATION_READ_SELF_PART,
        }.items()
    }
    response_form = forms.get("response_form") or ResponseForm(
        data={**version, "response": evaluation.supervisee_response}
    )
    sign_form = forms.get("sign_form") or SignForm(data=version)
    page = render_template(
        "evaluations/show.html",
        evaluation=evaluation,
        group=evaluation.group,
        rows=evaluation_rows(evaluation, scores, current_user, evidence),
        evidence=evidence,
        may=may,
        response_form=response_form,
        sign_form=sign_form,
        message=forms.get("message"),
    )
    return page, status


@bp.get("/evaluations/<int:evaluation_id>")
@login_required
def show(evaluation_id: int) -> ResponseReturnValue:
    evaluation = load_evaluation(evaluation_id)
    read(evaluation)  # subject: the supervisee evaluated
    return _render_show(evaluation)


def _part(evaluation_id: int, side: str) -> ResponseReturnValue:
    evaluation = load_evaluation(evaluation_id)
    permission = Permission.EVALUATION_EVALUATE if side == EVALUATOR else Permission.EVALUATION_SELF
    require(permission, evaluation)
    scores = load_scores(evaluation)
    # The saved draft opens the form; a submitted form keeps what was typed.
    opened = {} if request.method == "POST" else {"data": part_data(evaluation, scores, side)}
    form: PartForm = part_form(evaluation.rubric_version, scores, side, **opened)
    status, conflict = 200, None
    if form.validate_on_submit():
        data = PartInput(form.levels(), form.comments(), form.overall.data or "", form.ready.data)
        try:
            save_part(evaluation, side, data, form_int(form.edit_version.data))
        except EvaluationConflict as error:
            db.session.rollback()
            status, conflict = 409, error
            form.edit_version.data = str(error.current)
        except EvaluationError as error:
            db.session.rollback()
            status = 400
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(
                "Marked ready." if data.ready else "Draft saved. Only you can read it.", "success"
            )
            return redirect(_show(evaluation))
    elif form.is_submitted():
        status = 400
    evidence = evaluation_evidence(evaluation, scores, current_user)
    saved = evaluation_rows(evaluation, scores, current_user, evidence) if conflict else []
    # The stored overall comments, beside the ones the person just submitted (still in the form).
    saved_overall = evaluation.evaluator_comments if side == EVALUATOR else evaluation.self_comments
    page = render_template(
        "evaluations/part.html",
        evaluation=evaluation,
        group=evaluation.group,
        side=side,
        form=form,
        evidence=evidence,
        conflict=conflict,
        saved=saved,
        saved_overall=saved_overall if conflict else "",
    )
    return page, status


@bp.route("/evaluations/<int:evaluation_id>/evaluate", methods=["GET", "POST"])
@login_required
def evaluate(evaluation_id: int) -> ResponseReturnValue:
    return _part(evaluation_id, EVALUATOR)


@bp.route("/evaluations/<int:evaluation_id>/self", methods=["GET", "POST"])
@login_required
def self_evaluate(evaluation_id: int) -> ResponseReturnValue:
    return _part(evaluation_id, SELF)


@bp.post("/evaluations/<int:evaluation_id>/response")
@login_required
def respond(evaluation_id: int) -> ResponseReturnValue:
    evaluation = load_evaluation(evaluation_id)
    require(Permission.EVALUATION_RESPOND, evaluation)
    form = ResponseForm()
    if not form.validate_on_submit():
        return _render_show(evaluation, 400, response_form=form)
    try:
        save_response(evaluation, form.response.data or "", form_int(form.edit_version.data))
    except EvaluationError as error:
        db.session.rollback()
        if isinstance(error, EvaluationConflict):
            form.edit_version.data = str(error.current)
        form.response.errors = [*form.response.errors, str(error)]
        status = 409 if isinstance(error, EvaluationConflict) else 400
        return _render_show(evaluation, status, response_form=form)
    db.session.commit()
    flash("Your response is saved.", "success")
    return redirect(_show(evaluation))


@bp.post("/evaluations/<int:evaluation_id>/sign")
@login_required
def sign(evaluation_id: int) -> ResponseReturnValue:
    evaluation = load_evaluation(evaluation_id)
    require(Permission.EVALUATION_SIGN, evaluation)
    form = SignForm()
    if not form.validate_on_submit():
        return _render_show(evaluation, 400, sign_form=form)
    seen = form_int(form.edit_version.data)
    try:
        sign_evaluation(
            evaluation,
            current_user,
            form.signature.data or "",
            form.password.data or "",
            seen,
            code=form.code.data or "",
        )
    except ReauthError as error:
        db.session.rollback()
        field = form[error.field] if error.field in ("password", "code") else form.signature
        field.errors = [*field.errors, str(error)]
        return _render_show(evaluation, 400, sign_form=form)
    except EvaluationError as error:
        db.session.rollback()
        status = 409 if isinstance(error, EvaluationConflict) else 400
        return _render_show(evaluation, status, message=str(error))
    db.session.commit()
    done = "Signed by both of you: this evaluation is now locked."
    flash(done if evaluation.is_signed else "Signed. It now awaits the other signature.", "success")
    return redirect(_show(evaluation))


# -- The supervisee's evaluation of a supervisor ---------------------------------------------------


@bp.route("/groups/<int:group_id>/supervisor-evaluations/new", methods=["GET", "POST"])
@login_required
def supervisor_new(group_id: int) -> ResponseReturnValue:
    group = load_group(group_id)
    require(Permission.SUPERVISOR_EVALUATION_CREATE, group)
    form = supervisor_evaluation_form(supervisor_choices(group, current_user))
    if form.validate_on_submit():
        try:
            written = write_supervisor_evaluation(
                group,
                current_user,
                int(form.supervisor_id.data),
                form.answers(),
                form.comment.data or "",
                form.shared.data,
            )
        except SupervisorEvaluationError as error:
            db.session.rollback()
            _add_error(form, error.field, form.supervisor_id, str(error))
        else:
            db.session.commit()
            flash("Thank you. Your evaluation is saved.", "success")
            return redirect(url_for("evaluations.supervisor_show", written_id=written.id))
    status = 400 if form.is_submitted() else 200
    page = render_template("evaluations/supervisor_form.html", group=group, form=form)
    return page, status


@bp.get("/supervisor-evaluations/<int:written_id>")
@login_required
def supervisor_show(written_id: int) -> str:
    written = load_supervisor_evaluation(written_id)
    read(written)  # subject: the supervisee who wrote it
    may_share = can(current_user, Permission.SUPERVISOR_EVALUATION_SHARE, written)
    return render_template(
        "evaluations/supervisor_show.html",
        written=written,
        group=written.group,
        scale=SUPERVISOR_SCALE,
        sharing_form=SharingForm(data={"shared": "1" if written.shared else "0"})
        if may_share
        else None,
    )


@bp.post("/supervisor-evaluations/<int:written_id>/sharing")
@login_required
def supervisor_share(written_id: int) -> Response:
    written = load_supervisor_evaluation(written_id)
    require(Permission.SUPERVISOR_EVALUATION_SHARE, written)
    form = SharingForm()
    if form.validate_on_submit():
        set_supervisor_sharing(written, form.shared.data == "1")
        db.session.commit()
        name = written.supervisor.display_name
        flash(
            f"{name} can read it now." if written.shared else f"{name} cannot read it.", "success"
        )
    else:
        flash("Choose shared or not shared.", "error")
    return redirect(url_for("evaluations.supervisor_show", written_id=written.id))
