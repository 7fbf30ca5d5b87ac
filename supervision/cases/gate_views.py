"""The gate's "change it" answer: replace one finding in place, then scan again.

Registered on the cases blueprint by ``views`` (this module imports nothing from it, so there is
no import cycle); the check-and-share page itself is ``views.share``.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from supervision.cases.forms import ReplaceFindingForm
from supervision.cases.gate import keep_gate_answers, replace_finding
from supervision.cases.services import CaseError, working_revision
from supervision.extensions import db
from supervision.permissions import Permission, load_case, require


@login_required
def replace(case_id: int) -> Response:
    case = load_case(case_id)
    require(Permission.CASE_EDIT, case)
    form = ReplaceFindingForm()
    revision = working_revision(case)
    gate = url_for("cases.share", case_id=case.id)
    if revision is not None and "altered_note" in request.form:
        # app.js sends the checklist and the note along with the answer: keep them.
        keep_gate_answers(
            revision, request.form.getlist("checklist"), request.form.get("altered_note", "")
        )
        db.session.commit()
    if revision is None or not form.validate_on_submit():
        errors = [e for field in form for e in field.errors]
        flash(errors[0] if errors else "That answer could not be read; try again.", "error")
        return redirect(gate + "#findings")
    if form.revision.data != revision.number:
        flash("This is no longer the revision you were checking; here is the current one.", "error")
        return redirect(gate + "#findings")
    try:
        replace_finding(
            case,
            current_user,
            form.section.data,
            form.start.data,
            form.original.data,
            form.replacement.data,
            form.digest.data,
        )
    except CaseError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(gate + "#findings")
    db.session.commit()
    # Flashes sit in the stored session: they never quote case text (here, the identifier).
    flash("Replaced. The text was scanned again.", "success")
    return redirect(gate + f"#scan-{form.section.data}")
