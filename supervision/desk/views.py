"""The supervisor's desk, and the pooled relationship trend behind it.

The desk composes other features' lists (reviews, annotations, the relationship), so it sits
above them, like ``pages``: they never import it.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from supervision.agreements.services import awaiting_my_signature  # supervision agreements
from supervision.auth.sessions import signed_in_user
from supervision.desk.services import (
    discrepancies_to_settle,
    my_drafts,
    open_answers,
    shared_growth,
    waiting_cases,
)
from supervision.permissions import Permission, can, require
from supervision.relationship.items import ITEMS
from supervision.relationship.trend import DROP, trend_for

bp = Blueprint("desk", __name__, url_prefix="/desk")


@bp.get("/")
@login_required
def index() -> str:
    user = signed_in_user()
    trend = trend_for(user) if can(user, Permission.RELATIONSHIP_TREND_VIEW, user) else None
    return render_template(
        "desk/index.html",
        waiting=waiting_cases(user),
        drafts=my_drafts(user),
        discrepancies=discrepancies_to_settle(user),
        answers=open_answers(user),
        growth=shared_growth(user),
        trend=trend,
        to_sign=awaiting_my_signature(user),  # supervision agreements
    )


@bp.get("/relationship")
@login_required
def relationship() -> str:
    # Below the threshold there is nothing to show (403), and no count that could date one.
    require(Permission.RELATIONSHIP_TREND_VIEW, current_user)
    return render_template(
        "desk/relationship.html", trend=trend_for(current_user), items=ITEMS, drop=DROP
    )
