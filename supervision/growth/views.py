"""The growth page (one per supervisee, across their groups), its charts, and the choice of
which reviewers may read it."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from supervision.auth.sessions import signed_in_user
from supervision.extensions import db
from supervision.growth.chart import level_chart
from supervision.growth.forms import ShareForm
from supervision.growth.series import CriterionGrowth, growth_of
from supervision.growth.services import GrowthError, set_growth_share, sharing_choices
from supervision.models.rubric import CRITERION_KEY_MAX
from supervision.permissions import Permission, load_group, load_growth_of, require

bp = Blueprint("growth", __name__)


@bp.get("/growth")
@login_required
def mine() -> str:
    user = signed_in_user()
    growth = growth_of(user, user, request.args.to_dict())
    return render_template("growth/show.html", growth=growth)


@bp.get("/growth/people/<int:user_id>")
@login_required
def show(user_id: int) -> str:
    supervisee = load_growth_of(user_id)
    return render_template(
        "growth/show.html",
        growth=growth_of(signed_in_user(), supervisee, request.args.to_dict()),
    )


@bp.get("/growth/people/<int:user_id>/<key>.svg")
@login_required
def chart(user_id: int, key: str) -> Response:
    supervisee = load_growth_of(user_id)
    key = key[:CRITERION_KEY_MAX]
    # A criterion with nothing released (yet, or to this viewer) is an empty chart, not an error.
    # The chart URL carries the page's cursor: the same window of reviews, and no more.
    growth = growth_of(current_user, supervisee, request.args.to_dict())
    criterion = growth.criterion(key) or CriterionGrowth(key, key, ())
    svg = level_chart(criterion)
    response = Response(svg.body, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = svg.content_security_policy
    return response


@bp.get("/growth/sharing")
@login_required
def sharing() -> str:
    return render_template("growth/sharing.html", choices=sharing_choices(current_user))


@bp.post("/groups/<int:group_id>/growth-sharing")
@login_required
def set_share(group_id: int) -> BaseResponse:
    group = load_group(group_id)
    require(Permission.GROWTH_SHARE, group)
    form = ShareForm()
    if not form.validate():
        abort(400)
    try:
        set_growth_share(current_user, group, form.reviewer_id.data, form.shared.data == "1")
    except GrowthError as error:
        flash(str(error), "error")
        return redirect(url_for("growth.sharing"))
    db.session.commit()
    shared = form.shared.data == "1"
    flash("Shared: they now see your growth." if shared else "They no longer see it.", "success")
    return redirect(url_for("growth.sharing"))
