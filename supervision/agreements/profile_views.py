"""One's own profile: licences and credentials (type, number, jurisdiction, expiry), shown on
agreements and on exports. Each person sees and edits only their own."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from supervision.agreements.blueprint import bp
from supervision.agreements.credentials import (
    add_credential,
    my_credentials,
    remove_credential,
    update_credential,
)
from supervision.agreements.forms import CredentialForm, RemoveForm
from supervision.extensions import db
from supervision.models.types import utcnow
from supervision.permissions import load_own_credential


def _profile_page(form: CredentialForm, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "agreements/profile.html",
        credentials=my_credentials(current_user),
        today=utcnow().date(),
        form=form,
        remove_form=RemoveForm(),
    ), status


@bp.get("/account/profile")
@login_required
def profile() -> ResponseReturnValue:
    return _profile_page(CredentialForm(formdata=None))


@bp.post("/account/credentials")
@login_required
def add() -> ResponseReturnValue:
    form = CredentialForm()
    if not form.validate_on_submit():
        return _profile_page(form, 400)
    add_credential(
        current_user, form.kind.data, form.number.data, form.jurisdiction.data, form.expires_on.data
    )
    db.session.commit()
    flash("Credential added.", "success")
    return redirect(url_for("agreements.profile"))


@bp.route("/account/credentials/<int:credential_id>/edit", methods=["GET", "POST"])
@login_required
def edit_credential(credential_id: int) -> ResponseReturnValue:
    credential = load_own_credential(credential_id)
    form = CredentialForm(obj=credential)
    if form.validate_on_submit():
        update_credential(
            credential,
            form.kind.data,
            form.number.data,
            form.jurisdiction.data,
            form.expires_on.data,
        )
        db.session.commit()
        flash("Credential saved.", "success")
        return redirect(url_for("agreements.profile"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "agreements/credential_edit.html", form=form, credential=credential
    ), status


@bp.post("/account/credentials/<int:credential_id>/remove")
@login_required
def remove(credential_id: int) -> Response:
    credential = load_own_credential(credential_id)
    if not RemoveForm().validate_on_submit():
        abort(400)
    remove_credential(credential)
    db.session.commit()
    flash("Credential removed.", "success")
    return redirect(url_for("agreements.profile"))
