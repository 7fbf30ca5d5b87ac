"""Supervision agreements: the group's list, one agreement with its versions, starting one,
editing the draft, signing, proposing a change, and the group's template.

Thin views: load (404), require (403), validate, call a service, commit once, redirect.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from supervision.agreements import profile_views  # noqa: F401  (its routes join the blueprint)
from supervision.agreements.blueprint import bp
from supervision.agreements.forms import ProposeForm, SectionsForm, SignForm, StartForm
from supervision.agreements.presenting import show_version, signatures_of, supervisor_credentials
from supervision.agreements.sections import SECTIONS
from supervision.agreements.services import (
    AgreementConflict,
    AgreementError,
    counterparts,
    group_template,
    propose_change,
    save_draft,
    save_template,
    sign_version,
    start_agreement,
    status_of,
    template_sections,
)
from supervision.auth.reauth import ReauthError, sign
from supervision.extensions import db
from supervision.models import Agreement, Group
from supervision.models.types import utcnow
from supervision.permissions import (
    Permission,
    can,
    load_agreement,
    load_group,
    require,
    visible_agreements,
)
from supervision.routing import arg_int, form_int

__all__ = ["bp"]


def _agreement_url(agreement: Agreement, **values: object) -> str:
    return url_for("agreements.show", agreement_id=agreement.id, **values)


@bp.get("/groups/<int:group_id>/agreements")
@login_required
def group_list(group_id: int) -> str:
    group = load_group(group_id)
    require(Permission.GROUP_VIEW, group)
    agreements = db.session.scalars(
        visible_agreements(current_user, group)
        .options(
            selectinload(Agreement.versions),
            selectinload(Agreement.supervisor),
            selectinload(Agreement.supervisee),
        )
        .order_by(Agreement.created_at)
    ).all()
    rows = [(agreement, status_of(agreement)) for agreement in agreements]
    return render_template(
        "agreements/group_list.html",
        group=group,
        rows=rows,
        may_start=can(current_user, Permission.AGREEMENT_CREATE, group),
        may_edit_template=can(current_user, Permission.AGREEMENT_TEMPLATE_EDIT, group),
    )


@bp.route("/groups/<int:group_id>/agreements/new", methods=["GET", "POST"])
@login_required
def start(group_id: int) -> ResponseReturnValue:
    group = load_group(group_id)
    require(Permission.AGREEMENT_CREATE, group)
    people = counterparts(group, current_user)
    form = StartForm()
    form.other.choices = [("", "Choose…")] + [(str(p.id), p.display_name) for p in people]
    if form.validate_on_submit():
        other = next((p for p in people if p.id == form_int(form.other.data)), None)
        if other is None:
            form.other.errors = ["Choose one of the people listed."]
        else:
            try:
                agreement = start_agreement(group, current_user, other)
            except AgreementError as error:
                db.session.rollback()
                form.other.errors = [str(error)]
            else:
                db.session.commit()
                flash("Agreement started from the group's template. Adapt it together.", "success")
                return redirect(url_for("agreements.edit", agreement_id=agreement.id))
    status = 400 if form.is_submitted() else 200
    return render_template("agreements/start.html", group=group, form=form, people=people), status


@bp.get("/agreements/<int:agreement_id>")
@login_required
def show(agreement_id: int) -> ResponseReturnValue:
    agreement = load_agreement(agreement_id)
    shown = show_version(agreement, arg_int("version"))
    if shown is None:
        abort(404)
    party = agreement.party(current_user)
    latest = agreement.latest
    return render_template(
        "agreements/show.html",
        agreement=agreement,
        shown=shown,
        is_latest=shown.version is latest,
        in_force=agreement.in_force,
        history=[(version, signatures_of(version)) for version in reversed(agreement.versions)],
        credentials=supervisor_credentials(agreement, utcnow().date()),
        may_edit=can(current_user, Permission.AGREEMENT_EDIT, agreement),
        may_sign=can(current_user, Permission.AGREEMENT_SIGN, agreement)
        and party is not None
        and latest.signed_at(party) is None,
        propose_form=ProposeForm(),
    )


def _sections_page(
    template: str, form: SectionsForm, status: int, **values: object
) -> ResponseReturnValue:
    return render_template(template, form=form, sections=SECTIONS, **values), status


@bp.route("/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
@login_required
def edit(agreement_id: int) -> ResponseReturnValue:
    agreement = load_agreement(agreement_id)
    require(Permission.AGREEMENT_EDIT, agreement)
    version = agreement.latest
    if version.is_locked:
        flash("This version has been signed, so its text is locked. Propose a change.", "info")
        return redirect(_agreement_url(agreement))
    form = SectionsForm(obj=None if request.method == "POST" else version)
    if request.method == "GET":
        form.edit_version.data = str(version.edit_version)
    if form.validate_on_submit():
        try:
            save_draft(version, current_user, form.sections(), form_int(form.edit_version.data))
        except AgreementError as error:
            db.session.rollback()
            flash(str(error), "error")
            conflict = isinstance(error, AgreementConflict)
            current = show_version(agreement, None) if conflict else None
            return _sections_page(
                "agreements/edit.html",
                form,
                409 if conflict else 400,
                agreement=agreement,
                version=agreement.latest,
                current=current,
            )
        db.session.commit()
        flash(f"Version {version.number} saved. Both of you sign it when it is ready.", "success")
        return redirect(_agreement_url(agreement))
    status = 400 if form.is_submitted() else 200
    return _sections_page(
        "agreements/edit.html", form, status, agreement=agreement, version=version, current=None
    )


@bp.route("/agreements/<int:agreement_id>/sign", methods=["GET", "POST"])
@login_required
def sign_page(agreement_id: int) -> ResponseReturnValue:
    agreement = load_agreement(agreement_id)
    require(Permission.AGREEMENT_SIGN, agreement)
    version = agreement.latest
    party = agreement.party(current_user)
    if party is not None and version.signed_at(party) is not None:  # a second tab: no error
        flash(f"You have signed version {version.number}.", "info")
        return redirect(_agreement_url(agreement))
    form = SignForm()
    if request.method == "GET":
        form.edit_version.data = str(version.edit_version)
    status = 200
    if form.validate_on_submit():
        try:
            signature = sign(
                current_user, form.signature.data, form.password.data, form.code.data or ""
            )
            sign_version(version, current_user, signature, form_int(form.edit_version.data))
        except ReauthError as error:
            form[error.field].errors = [str(error)]
            status = 400
        except AgreementError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(_agreement_url(agreement))
        else:
            db.session.commit()
            if version.is_signed_by_both:
                flash(f"Signed. Version {version.number} is now in force.", "success")
            else:
                flash("Signed. The other party is reminded to sign too.", "success")
            return redirect(_agreement_url(agreement))
    elif form.is_submitted():
        status = 400
    return render_template(
        "agreements/sign.html",
        agreement=agreement,
        shown=show_version(agreement, None),
        form=form,
    ), status


@bp.post("/agreements/<int:agreement_id>/propose")
@login_required
def propose(agreement_id: int) -> Response:
    agreement = load_agreement(agreement_id)
    require(Permission.AGREEMENT_EDIT, agreement)
    if not ProposeForm().validate_on_submit():
        abort(400)
    try:
        version = propose_change(agreement, current_user)
    except AgreementError as error:
        db.session.rollback()
        flash(str(error), "info")
        return redirect(_agreement_url(agreement))
    db.session.commit()
    flash(
        f"Version {version.number} drafted from version {version.number - 1}, which stays "
        "readable. Edit it, then both of you sign.",
        "success",
    )
    return redirect(url_for("agreements.edit", agreement_id=agreement.id))


@bp.route("/groups/<int:group_id>/agreement-template", methods=["GET", "POST"])
@login_required
def template(group_id: int) -> ResponseReturnValue:
    group: Group = load_group(group_id)
    require(Permission.AGREEMENT_TEMPLATE_EDIT, group)
    saved = group_template(group)
    form = SectionsForm(data=None if request.method == "POST" else template_sections(group))
    if request.method == "GET":
        form.edit_version.data = str(saved.edit_version if saved else 0)
    status = 200
    if form.validate_on_submit():
        try:
            save_template(group, current_user, form.sections(), form_int(form.edit_version.data))
        except AgreementConflict as error:
            db.session.rollback()
            flash(str(error), "error")
            status = 409
        else:
            db.session.commit()
            flash("Template saved. New agreements in this group start from it.", "success")
            return redirect(url_for("agreements.group_list", group_id=group.id))
    elif form.is_submitted():
        status = 400
    current = template_sections(group) if status == 409 else None
    return _sections_page(
        "agreements/template.html", form, status, group=group, saved=saved, current=current
    )
