"""The trail's readers: the whole of it for site admins, a group's entries for its
facilitators, and "who read my cases" for everyone. Looking at the trail is itself noted."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from supervision.audit.forms import FilterForm
from supervision.audit.listing import (
    KNOWN_ACTIONS,
    Filters,
    detail_summary,
    entries_page,
    reads_of_my_cases,
)
from supervision.audit.trail import note
from supervision.auth.services import find_user_by_email
from supervision.permissions import Permission, load_group_audit, require
from supervision.routing import arg_int

bp = Blueprint("audit", __name__)


def _before() -> int | None:
    before = arg_int("before")
    return before if before is not None and before > 0 else None


def _admin_filters(form: FilterForm) -> tuple[Filters | None, str | None]:
    """The filters asked for, or None (and what to say) when they cannot match anything."""
    actor_id = None
    if email := form.cleaned("person"):
        person = find_user_by_email(email)
        if person is None:
            return None, "No account uses that email address now."
        actor_id = person.id
    filters = Filters(
        actor_id=actor_id,
        action=form.cleaned("action"),
        object_type=form.cleaned("object_type"),
        group_id=form.group.data,
        since=form.since.data,
        until=form.until.data,
    )
    return filters, None


@bp.get("/admin/audit")
@login_required
def admin_index() -> ResponseReturnValue:
    require(Permission.AUDIT_VIEW_ALL, current_user)
    form = FilterForm(request.args)
    filters, message, page = None, None, None
    valid = form.validate() if request.args else True
    if valid:
        filters, message = _admin_filters(form)
        if filters is not None:
            page = entries_page(filters, _before())
    note("audit_read", detail={"page": "admin", "filters": filters.names() if filters else []})
    args = {key: value for key, value in request.args.items() if key != "before"}
    html = render_template(
        "audit/admin.html",
        form=form,
        page=page,
        message=message,
        actions=KNOWN_ACTIONS,
        args=args,
        summary=detail_summary,
    )
    return html, 200 if valid else 400


@bp.get("/groups/<int:group_id>/audit")
@login_required
def group_index(group_id: int) -> str:
    group = load_group_audit(group_id)
    page = entries_page(Filters(group_id=group.id, hide_private=True), _before())
    note("audit_read", "groups", group.id, group_id=group.id, detail={"page": "group"})
    return render_template("audit/group.html", group=group, page=page, summary=detail_summary)


@bp.get("/account/reads")
@login_required
def my_reads() -> str:
    page = reads_of_my_cases(current_user, _before())
    return render_template("audit/reads.html", page=page)
