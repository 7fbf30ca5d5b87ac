"""Emergency access: the site admins' page to open and end grants, the facilitators' page that
shows the grants to their group, and the banner on every page read under a grant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from supervision.auth.reauth import ReauthError, confirm_identity
from supervision.emergency.forms import EndGrantForm, OpenGrantForm
from supervision.emergency.services import (
    EmergencyError,
    end_grant,
    grants_page,
    group_choices,
    group_grants_page,
    open_grant,
)
from supervision.extensions import db
from supervision.models import EmergencyGrant, Group
from supervision.models.types import utcnow
from supervision.permissions import (
    Permission,
    grants_used,
    load_emergency_grant,
    load_group,
    require,
)

bp = Blueprint("emergency", __name__)


@dataclass(frozen=True)
class GrantItem:
    id: int
    group_id: int
    group_name: str
    admin_name: str
    reason: str
    opened_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    ended_by: str
    is_open: bool


def _items(grants: list[EmergencyGrant]) -> list[GrantItem]:
    now = utcnow()
    return [
        GrantItem(
            grant.id,
            grant.group_id,
            grant.group.name,
            grant.admin.display_name,
            grant.reason,
            grant.opened_at,
            grant.expires_at,
            grant.ended_at,
            grant.ended_by.display_name if grant.ended_by else "",
            grant.is_open(now),
        )
        for grant in grants
    ]


@dataclass(frozen=True)
class BannerItem:
    group_name: str
    expires_at: datetime
    reason: str


@bp.app_context_processor
def _emergency_banner() -> dict[str, Any]:
    # The grants this request read under (recorded by the permissions as they were used).
    return {
        "emergency_grants": [
            BannerItem(grant.group.name, grant.expires_at, grant.reason) for grant in grants_used()
        ]
    }


def _show_error(form: OpenGrantForm, error: ReauthError | EmergencyError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        flash(str(error), "error")


def _render_index(form: OpenGrantForm, status: int = 200) -> tuple[str, int]:
    page = grants_page()
    return (
        render_template(
            "emergency/index.html",
            form=form,
            page=page,
            items=_items(page.items),
        ),
        status,
    )


@bp.route("/admin/emergency", methods=["GET", "POST"])
@login_required
def index() -> Response | tuple[str, int]:
    require(Permission.EMERGENCY_OPEN)
    form = OpenGrantForm()
    form.group_id.choices = group_choices()
    if not form.validate_on_submit():
        return _render_index(form, 400 if form.is_submitted() else 200)
    group = db.session.get(Group, form.group_id.data)
    admin = current_user._get_current_object()
    try:
        confirm_identity(admin, form.password.data, form.code.data)
        grant = open_grant(admin, group, form.reason.data, form.hours.data)
    except (ReauthError, EmergencyError) as error:
        db.session.rollback()
        _show_error(form, error)
        return _render_index(form, 400)
    db.session.commit()
    flash(
        f"Emergency read access to {group.name} is open until "
        f"{grant.expires_at.strftime('%H:%M UTC on %d %b')}. Its facilitators were told.",
        "success",
    )
    return redirect(url_for("groups.home", group_id=group.id))


@bp.post("/admin/emergency/<int:grant_id>/end")
@login_required
def end(grant_id: int) -> Response:
    require(Permission.EMERGENCY_OPEN)
    grant = load_emergency_grant(grant_id)
    if not EndGrantForm().validate_on_submit():
        flash("The form expired. Try again.", "error")
        return redirect(url_for("emergency.index"))
    require(Permission.EMERGENCY_END, grant)
    end_grant(current_user._get_current_object(), grant)
    db.session.commit()
    flash("Emergency access is ended.", "success")
    return redirect(url_for("emergency.index"))


@bp.get("/groups/<int:group_id>/emergency-access")
@login_required
def group_grants(group_id: int) -> str:
    group = load_group(group_id)
    require(Permission.GROUP_EMERGENCY_VIEW, group)
    page = group_grants_page(group)
    return render_template("emergency/group.html", group=group, page=page, items=_items(page.items))
