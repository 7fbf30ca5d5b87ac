"""Groups: my groups, group home, settings, invitations and membership changes."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from supervision.auth.sessions import forget_signup_email, secret_in_path, suggest_signup_email
from supervision.extensions import db, login_manager
from supervision.groups.forms import CreateGroupForm, GroupSettingsForm, InviteForm, RoleForm
from supervision.groups.services import (
    GroupError,
    accept_invitation,
    change_role,
    create_group,
    find_invitation,
    invite,
    members_of,
    open_invitation,
    pending_invitations,
    remove_member,
    revoke_invitation,
    update_group,
)
from supervision.models import ROLES_BY_KIND, Group, GroupKind, Invitation, Membership, Role
from supervision.permissions import (
    Permission,
    load_group,
    load_in_group,
    require,
    role_in,
    visible_groups,
)

bp = Blueprint("groups", __name__, url_prefix="/groups")


@dataclass(frozen=True)
class GroupCard:
    name: str
    kind_label: str
    role_label: str
    member_count: int
    description: str
    is_demo: bool
    url: str


def group_cards(user) -> list[GroupCard]:  # type: ignore[no-untyped-def]
    """The user's groups with role and size, in two queries whatever the number of groups."""
    groups = db.session.scalars(visible_groups(user).order_by(Group.name)).all()
    if not groups:
        return []
    ids = [group.id for group in groups]
    counts = dict(
        db.session.execute(
            select(Membership.group_id, func.count())
            .where(Membership.group_id.in_(ids))
            .group_by(Membership.group_id)
        ).all()
    )
    roles = dict(
        db.session.execute(
            select(Membership.group_id, Membership.role).where(
                Membership.group_id.in_(ids), Membership.user_id == user.id
            )
        ).all()
    )
    return [
        GroupCard(
            name=group.name,
            kind_label=group.kind.label,
            role_label=roles[group.id].label,
            member_count=counts.get(group.id, 0),
            description=group.description,
            is_demo=group.is_demo,
            url=url_for("groups.home", group_id=group.id),
        )
        for group in groups
    ]


@bp.get("/")
@login_required
def index() -> str:
    return render_template("groups/index.html", groups=group_cards(current_user))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create() -> Response | str:
    require(Permission.GROUP_CREATE)
    form = CreateGroupForm()
    if form.validate_on_submit():
        group = create_group(
            current_user, form.name.data, GroupKind(form.kind.data), form.description.data or ""
        )
        db.session.commit()
        flash(f"“{group.name}” is ready. Invite your colleagues below.", "success")
        return redirect(url_for("groups.home", group_id=group.id))
    return render_template("groups/create.html", form=form)


def _invite_form(group: Group) -> InviteForm:
    form = InviteForm(prefix="invite")
    form.set_roles(ROLES_BY_KIND[group.kind])
    if not form.role.data:
        form.role.data = (
            Role.SUPERVISEE if group.kind is GroupKind.SUPERVISION else Role.PEER
        ).value
    return form


def _render_home(group: Group, invite_form: InviteForm | None = None) -> str:
    manage = role_in(current_user, group) is Role.FACILITATOR
    return render_template(
        "groups/home.html",
        group=group,
        my_role=role_in(current_user, group),
        members=members_of(group),
        role_choices=[(r.value, r.label) for r in ROLES_BY_KIND[group.kind]],
        invitations=pending_invitations(group) if manage else [],
        invite_form=(invite_form or _invite_form(group)) if manage else None,
        can_manage=manage,
    )


@bp.get("/<int:group_id>")
@login_required
def home(group_id: int) -> str:
    group = load_group(group_id)
    require(Permission.GROUP_VIEW, group)
    return _render_home(group)


@bp.route("/<int:group_id>/settings", methods=["GET", "POST"])
@login_required
def settings(group_id: int) -> Response | str:
    group = load_group(group_id)
    require(Permission.GROUP_MANAGE, group)
    form = GroupSettingsForm(obj=group)
    if form.validate_on_submit():
        update_group(
            group, form.name.data, form.description.data or "", form.require_case_approval.data
        )
        db.session.commit()
        flash("Group settings saved.", "success")
        return redirect(url_for("groups.home", group_id=group.id))
    return render_template("groups/settings.html", group=group, form=form)


@bp.post("/<int:group_id>/invitations")
@login_required
def send_invitation(group_id: int) -> Response | tuple[str, int]:
    group = load_group(group_id)
    require(Permission.GROUP_MANAGE, group)
    form = _invite_form(group)
    if form.validate_on_submit():
        try:
            invitation = invite(group, current_user, form.email.data, Role(form.role.data))
        except GroupError as error:
            db.session.rollback()
            form.email.errors = [*form.email.errors, str(error)]
        else:
            db.session.commit()
            flash(f"Invitation sent to {invitation.email}. The link works for 7 days.", "success")
            return redirect(url_for("groups.home", group_id=group.id))
    return _render_home(group, invite_form=form), 400


@bp.post("/<int:group_id>/invitations/<int:invitation_id>/revoke")
@login_required
def withdraw_invitation(group_id: int, invitation_id: int) -> Response:
    group = load_group(group_id)
    invitation = load_in_group(Invitation, invitation_id, group)
    require(Permission.GROUP_MANAGE, group)
    try:
        revoke_invitation(invitation)
    except GroupError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(f"The invitation to {invitation.email} is withdrawn.", "success")
    return redirect(url_for("groups.home", group_id=group.id))


@bp.post("/<int:group_id>/members/<int:membership_id>/role")
@login_required
def set_role(group_id: int, membership_id: int) -> Response:
    group = load_group(group_id)
    membership = load_in_group(Membership, membership_id, group)
    require(Permission.GROUP_MANAGE, group)
    form = RoleForm()
    form.set_roles(ROLES_BY_KIND[group.kind])
    if not form.validate_on_submit():
        flash("Choose one of the roles this kind of group has.", "error")
    else:
        try:
            change_role(membership, Role(form.role.data))
        except GroupError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            name = membership.user.display_name
            flash(f"{name} is now {membership.role.label.lower()}.", "success")
    return redirect(url_for("groups.home", group_id=group.id))


@bp.post("/<int:group_id>/members/<int:membership_id>/remove")
@login_required
def remove(group_id: int, membership_id: int) -> Response:
    group = load_group(group_id)
    membership = load_in_group(Membership, membership_id, group)
    require(Permission.GROUP_MANAGE, group)
    name = membership.user.display_name
    leaving_self = membership.user_id == current_user.id
    try:
        remove_member(membership)
    except GroupError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("groups.home", group_id=group.id))
    db.session.commit()
    flash(f"{name} is no longer a member of {group.name}.", "success")
    if leaving_self:
        return redirect(url_for("groups.index"))
    return redirect(url_for("groups.home", group_id=group.id))


@bp.post("/<int:group_id>/leave")
@login_required
def leave(group_id: int) -> Response:
    group = load_group(group_id)
    require(Permission.GROUP_LEAVE, group)
    membership = db.session.scalar(
        select(Membership).where(
            Membership.group_id == group.id, Membership.user_id == current_user.id
        )
    )
    if membership is None:  # the loader already proved membership; this is a race
        abort(404)
    try:
        remove_member(membership)
    except GroupError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("groups.home", group_id=group.id))
    db.session.commit()
    flash(f"You left {group.name}.", "success")
    return redirect(url_for("groups.index"))


# The invitation opened in this browser, by id: after the emailed link, no URL carries its token.
_HELD_INVITATION = "invitation_id"


def _held_invitation_id() -> int | None:
    value = session.get(_HELD_INVITATION)
    return value if isinstance(value, int) else None


def _forget_invitation() -> None:
    session.pop(_HELD_INVITATION, None)
    forget_signup_email()


@bp.get("/invitations/<token>", endpoint="open_invitation")
@secret_in_path
def open_invitation_link(token: str) -> Response | tuple[str, int]:
    """The emailed link: hold the invitation in the session, then move to a token-free URL."""
    invitation = find_invitation(token)
    if invitation is None:
        return render_template("groups/invitation_invalid.html"), 404
    session[_HELD_INVITATION] = invitation.id
    suggest_signup_email(invitation.email)  # registration is prefilled from here, not a URL
    return redirect(url_for("groups.invitation"), 303)


@bp.route("/invitation", methods=["GET", "POST"], endpoint="invitation")
def invitation_view() -> Response | tuple[str, int] | str:
    if request.method == "POST" and not current_user.is_authenticated:
        return login_manager.unauthorized()
    held = _held_invitation_id()
    if held is None:
        flash(
            "No invitation is open in this browser. Open the link in your invitation email.", "info"
        )
        return redirect(url_for("main.index"))
    invitation = open_invitation(held)
    if invitation is None:
        _forget_invitation()
        return render_template("groups/invitation_invalid.html"), 404
    if request.method == "POST":  # CSRFProtect checked it
        try:
            membership = accept_invitation(invitation, current_user)
        except GroupError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            _forget_invitation()
            flash(f"Welcome to {membership.group.name}.", "success")
            return redirect(url_for("groups.home", group_id=membership.group_id))
    return render_template("groups/invitation.html", invitation=invitation)
