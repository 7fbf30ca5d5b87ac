"""The reviewer's preference for the review form's level descriptors (collapsed or shown).

review-form.js sends it when the reviewer folds or unfolds them; the page reads it back, so the
choice follows the reviewer from browser to browser. Without JavaScript they always show.
Registered on the reviews blueprint by ``views`` (no import back, so no cycle).
"""

from __future__ import annotations

from flask import jsonify, redirect, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from supervision.extensions import db
from supervision.models import User
from supervision.reviews.forms import DescriptorsForm
from supervision.security import is_safe_next


def remember_descriptors(user: User, collapsed: bool) -> None:
    """Service: store the choice; flushes, never commits."""
    user.collapse_level_descriptors = collapsed
    db.session.flush()


@login_required
def descriptors() -> Response | tuple[Response, int]:
    form = DescriptorsForm()
    wants_json = request.accept_mimetypes.best == "application/json"
    if not form.validate_on_submit():
        if wants_json:
            return jsonify(ok=False, error="Choose collapsed or shown."), 400
        return redirect(url_for("groups.index"))
    remember_descriptors(current_user, form.collapsed.data == "1")
    db.session.commit()
    if wants_json:
        return jsonify(ok=True, collapsed=current_user.collapse_level_descriptors)
    back = form.return_to.data
    return redirect(back if is_safe_next(back) else url_for("groups.index"))
