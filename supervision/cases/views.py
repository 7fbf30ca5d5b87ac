"""Case vignettes: lists, writing, the anonymization gate, flags, redaction.

The case page itself (``cases.show``) is assembled in ``supervision.pages``, above the features
whose panels it shows.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from supervision.cases import gate_views
from supervision.cases.diffing import diff_revisions
from supervision.cases.forms import (
    CaseFilterForm,
    CaseForm,
    FlagForm,
    RedactForm,
    ResolveFindingForm,
    ShareForm,
)
from supervision.cases.gate import (
    GateError,
    keep_gate_answers,
    resolve_finding,
    review_revision,
    share_case,
)
from supervision.cases.privacy import clear_flag, flag_case, redact_passage
from supervision.cases.sections import SECTIONS
from supervision.cases.services import (
    CaseError,
    approve_case,
    close_case,
    create_case,
    latest_revision,
    revision_by_number,
    save_case,
    withdraw_case,
    working_revision,
)
from supervision.extensions import db
from supervision.groups.services import members_of
from supervision.models import Case, CaseFlag, CaseRevision, CaseStatus, Group
from supervision.pagination import keyset_page
from supervision.permissions import (
    Permission,
    can,
    load_case,
    load_group,
    require,
    visible_cases,
)
from supervision.routing import arg_int, form_int
from supervision.security import is_safe_next

bp = Blueprint("cases", __name__)
bp.add_url_rule(
    "/cases/<int:case_id>/findings/replace", view_func=gate_views.replace, methods=["POST"]
)

PER_PAGE = 20


def _case_url(case: Case, **params: object) -> str:
    return url_for("cases.show", case_id=case.id, **params)


@bp.get("/groups/<int:group_id>/cases")
@login_required
def group_list(group_id: int) -> str:
    group = load_group(group_id)
    require(Permission.GROUP_VIEW, group)
    filters = CaseFilterForm(request.args)
    query = visible_cases(current_user, group).options(joinedload(Case.author))
    status = filters.status.data if filters.validate() else None
    if status in {s.value for s in CaseStatus}:
        query = query.where(Case.status == CaseStatus(status))
    if filters.author.data:
        query = query.where(Case.author_id == filters.author.data)
    page = keyset_page(query, (Case.updated_at, Case.id), per_page=PER_PAGE)
    return render_template(
        "cases/group_list.html",
        group=group,
        page=page,
        statuses=list(CaseStatus),
        members=members_of(group),
        current_status=status or "",
        current_author=filters.author.data,
        can_create=can(current_user, Permission.CASE_CREATE, group),
    )


@bp.get("/cases/mine")
@login_required
def my_cases() -> str:
    query = select(Case).options(joinedload(Case.group)).where(Case.author_id == current_user.id)
    page = keyset_page(query, (Case.updated_at, Case.id), per_page=PER_PAGE)
    return render_template("cases/my_cases.html", page=page)


def _render_form(form: CaseForm, group: Group, case: Case | None, status: int = 200, back=None):  # type: ignore[no-untyped-def]
    return (
        render_template(
            "cases/form.html", form=form, group=group, case=case, sections=SECTIONS, back=back
        ),
        status,
    )


@bp.route("/groups/<int:group_id>/cases/new", methods=["GET", "POST"])
@login_required
def create(group_id: int):  # type: ignore[no-untyped-def]
    group = load_group(group_id)
    require(Permission.CASE_CREATE, group)
    form = CaseForm()
    if form.validate_on_submit():
        case = create_case(group, current_user, form.title.data, form.sections())
        db.session.commit()
        flash("Draft saved. Only you can see it until you share it.", "success")
        return redirect(_case_url(case))
    return _render_form(form, group, None, 400 if form.is_submitted() else 200)


@bp.route("/cases/<int:case_id>/edit", methods=["GET", "POST"])
@login_required
def edit(case_id: int):  # type: ignore[no-untyped-def]
    case = load_case(case_id)
    require(Permission.CASE_EDIT, case)
    revision = latest_revision(case)
    form = CaseForm(obj=None if request.method == "POST" else revision)
    back = request.args.get("next")  # e.g. the gate, which sent the author here
    back = back if is_safe_next(back) else None
    if request.method == "GET":
        form.edit_version.data = str(case.edit_version)
    if form.validate_on_submit():
        try:
            version = form_int(form.edit_version.data)
            save_case(case, current_user, form.title.data, form.sections(), version)
        except CaseError as error:
            db.session.rollback()
            flash(str(error), "error")
            return _render_form(form, case.group, case, 409, back)
        db.session.commit()
        if case.published_number is None:
            flash("Draft saved.", "success")
        else:
            flash(
                "Saved as a new revision. The group still sees the previous one until you "
                "share this one.",
                "success",
            )
        return redirect(back or _case_url(case))
    return _render_form(form, case.group, case, 400 if form.is_submitted() else 200, back)


@bp.route("/cases/<int:case_id>/share", methods=["GET", "POST"])
@login_required
def share(case_id: int):  # type: ignore[no-untyped-def]
    case = load_case(case_id)
    require(Permission.CASE_EDIT, case)
    revision = working_revision(case)
    if revision is None:
        flash("Everything is already shared. Edit the case to make a new revision.", "info")
        return redirect(_case_url(case))
    form = ShareForm()
    if request.method == "GET":
        form.altered_note.data = revision.altered_note
        form.checklist.data = list(revision.checklist or [])
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            share_case(case, current_user, form.checklist.data or [], form.altered_note.data or "")
        except GateError as error:
            db.session.rollback()
            problems = error.problems
        else:
            db.session.commit()
            if case.status is CaseStatus.PENDING:
                flash("Shared with the facilitators. The group sees it once approved.", "success")
            else:
                flash("Shared with the group.", "success")
            return redirect(_case_url(case))
    review = review_revision(case, revision)
    return render_template(
        "cases/share.html",
        case=case,
        revision=revision,
        review=review,
        form=form,
        problems=problems,
        resolve_form=ResolveFindingForm(),
    ), (400 if problems else 200)


@bp.post("/cases/<int:case_id>/findings")
@login_required
def resolve(case_id: int) -> Response:
    case = load_case(case_id)
    require(Permission.CASE_EDIT, case)
    form = ResolveFindingForm()
    revision = working_revision(case)
    anchor = ""
    if revision is not None and "altered_note" in request.form:
        # app.js sends the checklist and the note along with the answer: keep them.
        keep_gate_answers(
            revision, request.form.getlist("checklist"), request.form.get("altered_note", "")
        )
        db.session.commit()
    if revision is None or not form.validate_on_submit() or form.revision.data != revision.number:
        flash("Give a reason for marking it as not identifying.", "error")
    else:
        try:
            resolve_finding(
                case,
                revision,
                current_user,
                form.section.data,
                form.kind.data,
                form.text.data,
                form.reason.data,
            )
        except CaseError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            # Flashes sit in the stored session: they never quote case text.
            flash("Marked the finding as not identifying.", "success")
            anchor = "#findings"
    return redirect(url_for("cases.share", case_id=case.id) + anchor)


def _simple_action(case_id: int, permission: Permission, action, message: str) -> Response:  # type: ignore[no-untyped-def]
    case = load_case(case_id)
    require(permission, case)
    try:
        action(case)
    except CaseError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(_case_url(case))


@bp.post("/cases/<int:case_id>/approve")
@login_required
def approve(case_id: int) -> Response:
    return _simple_action(
        case_id,
        Permission.CASE_APPROVE,
        lambda case: approve_case(case, approver=current_user),  # not told of their own approval
        "Approved: the group can now see it.",
    )


@bp.post("/cases/<int:case_id>/close")
@login_required
def close(case_id: int) -> Response:
    return _simple_action(
        case_id, Permission.CASE_CLOSE, close_case, "Case closed. It stays readable."
    )


@bp.route("/cases/<int:case_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(case_id: int):  # type: ignore[no-untyped-def]
    case = load_case(case_id)
    require(Permission.CASE_WITHDRAW, case)
    if request.method == "GET":
        return render_template("cases/withdraw.html", case=case)
    group_id = case.group_id
    withdraw_case(case)
    db.session.commit()
    flash("The case is withdrawn and removed for everyone.", "success")
    return redirect(url_for("cases.group_list", group_id=group_id))


@bp.get("/cases/<int:case_id>/revisions")
@login_required
def revisions(case_id: int) -> str:
    case = load_case(case_id)
    is_author = case.author_id == current_user.id
    available: list[CaseRevision] = [
        r for r in case.revisions if is_author or r.cleared_at is not None
    ]
    numbers = [r.number for r in available]
    old_n = arg_int("from") or (numbers[-2] if len(numbers) > 1 else None)
    new_n = arg_int("to") or numbers[-1]
    diff, problem = None, None
    if old_n is not None:
        if old_n not in numbers or new_n not in numbers:
            problem = "Choose two revisions from the list."
        else:
            diff = diff_revisions(revision_by_number(case, old_n), revision_by_number(case, new_n))
    return render_template(
        "cases/revisions.html",
        case=case,
        revisions=available,
        diff=diff,
        old_number=old_n,
        new_number=new_n,
        problem=problem,
    )


@bp.route("/cases/<int:case_id>/flag", methods=["GET", "POST"])
@login_required
def flag(case_id: int):  # type: ignore[no-untyped-def]
    case = load_case(case_id)
    require(Permission.CASE_FLAG, case)
    form = FlagForm()
    if form.validate_on_submit():
        try:
            flag_case(case, current_user, form.passage.data or "", form.reason.data)
        except CaseError as error:
            db.session.rollback()
            form.passage.errors = [*form.passage.errors, str(error)]
        else:
            db.session.commit()
            flash(
                "Thank you. The case is hidden from the group until its author revises it or "
                "a facilitator clears the flag.",
                "success",
            )
            return redirect(url_for("cases.group_list", group_id=case.group_id))
    return render_template("cases/flag.html", case=case, form=form), (
        400 if form.is_submitted() else 200
    )


@bp.post("/cases/<int:case_id>/flags/<int:flag_id>/clear")
@login_required
def clear(case_id: int, flag_id: int) -> Response:
    case = load_case(case_id)
    case_flag = db.session.get(CaseFlag, flag_id)
    if case_flag is None or case_flag.case_id != case.id:
        abort(404)
    require(Permission.CASE_CLEAR_FLAG, case)
    try:
        clear_flag(case_flag, current_user)
    except CaseError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash("Flag cleared. The group can see the case again.", "success")
    return redirect(_case_url(case))


@bp.route("/cases/<int:case_id>/redact", methods=["GET", "POST"])
@login_required
def redact(case_id: int):  # type: ignore[no-untyped-def]
    case = load_case(case_id)
    require(Permission.CASE_REDACT, case)
    form = RedactForm()
    if form.validate_on_submit():
        try:
            count = redact_passage(case, current_user, form.passage.data)
        except CaseError as error:
            db.session.rollback()
            form.passage.errors = [*form.passage.errors, str(error)]
        else:
            db.session.commit()
            flash(f"Redacted {count} occurrence{'s' if count != 1 else ''}.", "success")
            return redirect(_case_url(case))
    return render_template("cases/redact.html", case=case, form=form), (
        400 if form.is_submitted() else 200
    )
