"""The supervisee's side of the relationship: check-ins after a released review, and "I'd like
to talk about how supervision is going".

Thin views: load (404), require (403), validate, call a service, commit once, redirect.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from supervision.extensions import db
from supervision.permissions import Permission, load_meeting, load_person, load_review, require
from supervision.relationship.forms import CheckForm, TalkForm
from supervision.relationship.occasions import (
    Occasion,
    answered,
    occasion_of,
    occasion_of_meeting,
    pending_occasions,
)
from supervision.relationship.services import (
    RelationshipError,
    my_supervisors,
    record_check,
    request_talk,
)

bp = Blueprint("relationship", __name__, url_prefix="/supervision")


@bp.get("/")
@login_required
def index() -> str:
    return render_template(
        "relationship/index.html",
        occasions=pending_occasions(current_user),
        supervisors=my_supervisors(current_user),
        talk_form=TalkForm(),
    )


@bp.route("/reviews/<int:review_id>/check-in", methods=["GET", "POST"])
@login_required
def check(review_id: int) -> ResponseReturnValue:
    review = load_review(review_id)
    occasion = occasion_of(review)
    if answered(current_user, occasion):  # a second tab, or the back button: no error
        flash("You have already answered this check-in. Thank you.", "info")
        return redirect(url_for("relationship.index"))
    require(Permission.RELATIONSHIP_CHECK, review)
    return _check_in(occasion)


@bp.route("/meetings/<int:meeting_id>/check-in", methods=["GET", "POST"])
@login_required
def meeting_check(meeting_id: int) -> ResponseReturnValue:
    meeting = load_meeting(meeting_id)
    occasion = occasion_of_meeting(meeting)
    if answered(current_user, occasion):
        flash("You have already answered this check-in. Thank you.", "info")
        return redirect(url_for("relationship.index"))
    require(Permission.RELATIONSHIP_CHECK_MEETING, meeting)
    return _check_in(occasion)


def _check_in(occasion: Occasion) -> ResponseReturnValue:
    form = CheckForm()
    status = 200
    if form.validate_on_submit():
        try:
            record_check(current_user, occasion, form.answers(), form.note.data or "")
        except RelationshipError as error:
            flash(str(error), "error")
            return redirect(url_for("relationship.index"))
        db.session.commit()
        flash("Thank you. Your answers join the others, without your name or a date.", "success")
        return redirect(url_for("relationship.index"))
    if form.is_submitted():
        status = 400
    page = render_template("relationship/check.html", form=form, occasion=occasion)
    return page, status


@bp.post("/talk/<int:user_id>")
@login_required
def talk(user_id: int) -> Response:
    supervisor = load_person(user_id)
    require(Permission.RELATIONSHIP_TALK, supervisor)
    if not TalkForm().validate_on_submit():
        abort(400)
    if request_talk(current_user, supervisor):
        flash(f"{supervisor.display_name} has been told you would like to talk.", "success")
    else:
        flash(f"{supervisor.display_name} has not yet seen your last message.", "info")
    db.session.commit()
    return redirect(url_for("relationship.index"))
