"""One's own data: the download of everything the platform holds about one (My data), and
deleting one's account. Nobody else's exists at any of these URLs."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from supervision.audit.trail import note, record
from supervision.auth.reauth import ReauthError
from supervision.auth.sessions import end_session
from supervision.exports.csvfile import attachment
from supervision.extensions import db, limiter
from supervision.models.types import utcnow
from supervision.privacy.deletion import (
    FORMER_MEMBER,
    HandOverFirst,
    delete_account,
    groups_to_hand_over,
)
from supervision.privacy.export import personal_data_json
from supervision.privacy.forms import DeleteAccountForm
from supervision.two_factor.services import has_second_factor

bp = Blueprint("privacy", __name__)

DOWNLOAD_LIMIT = "5 per minute;30 per day"
# The deletion form checks a password: a borrowed session must not be able to guess it.
DELETE_LIMIT = "5 per minute;20 per hour"


def _per_account() -> str:
    return f"personal-data:{current_user.get_id()}"


def _deletions_per_account() -> str:
    return f"delete-account:{current_user.get_id()}"


@bp.get("/account/data")
@login_required
def my_data() -> str:
    return render_template("privacy/data.html")


@bp.post("/account/data/download")
@login_required
@limiter.limit(DOWNLOAD_LIMIT, key_func=_per_account)
def download() -> Response:
    user = current_user._get_current_object()
    now = utcnow()
    body = personal_data_json(user, now)
    record("export", "users", user.id, subject_id=user.id, detail={"what": "personal data"})
    db.session.commit()
    name = f"attune-my-data-{now.date().isoformat()}.json"
    return attachment(body, "application/json; charset=utf-8", name)


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(DELETE_LIMIT, key_func=_deletions_per_account, methods=["POST"])
def delete() -> Response | str:
    user = current_user._get_current_object()
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            delete_account(user, form.password.data, form.code.data or "", form.confirmation.data)
        except ReauthError as error:
            db.session.rollback()
            form[error.field].errors = [str(error)]
            if error.field in ("password", "code"):
                note(
                    "reauth_failed", "users", user.id, subject_id=user.id, detail={"for": "delete"}
                )
        except HandOverFirst as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            end_session()
            return redirect(url_for("privacy.deleted"))
    return render_template(
        "privacy/delete.html",
        form=form,
        hand_over=groups_to_hand_over(user),
        asks_code=has_second_factor(user),
        former=FORMER_MEMBER,
    )


@bp.get("/account/deleted")
def deleted() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    return render_template("privacy/deleted.html")
