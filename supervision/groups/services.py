"""Group services: plain verbs that flush and never commit."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import delete, func, select, update

from supervision.audit.trail import record
from supervision.auth.services import AccountError, normalize_email, token_digest
from supervision.extensions import db
from supervision.mail.services import queue_mail
from supervision.models import (
    ROLES_BY_KIND,
    Group,
    GroupKind,
    Invitation,
    Membership,
    Notification,
    NotificationEvent,
    Role,
    User,
)
from supervision.models.types import utcnow
from supervision.notifications.events import notify_invitation
from supervision.permissions import forget_roles


class GroupError(ValueError):
    """A rule about groups was broken; the message is safe to show to the user."""


def create_group(creator: User, name: str, kind: GroupKind, description: str = "") -> Group:
    group = Group(
        name=" ".join(name.split()),
        kind=kind,
        description=description.strip(),
        created_by_id=creator.id,
    )
    group.memberships.append(Membership(user=creator, role=Role.FACILITATOR))
    db.session.add(group)
    db.session.flush()
    forget_roles()
    return group


def update_group(group: Group, name: str, description: str, require_case_approval: bool) -> None:
    group.name = " ".join(name.split())
    group.description = description.strip()
    group.require_case_approval = require_case_approval
    db.session.flush()


def _check_role(group: Group, role: Role) -> None:
    if role not in ROLES_BY_KIND[group.kind]:
        raise GroupError(f"A {group.kind.label.lower()} has no {role.label.lower()} role.")


def facilitator_count(group: Group) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.group_id == group.id, Membership.role == Role.FACILITATOR)
        )
        or 0
    )


def invite(group: Group, inviter: User, email: str, role: Role) -> Invitation:
    """Create a single-use invitation and queue its email. Re-inviting replaces the old link."""
    try:
        email = normalize_email(email)
    except AccountError as error:
        raise GroupError(str(error)) from error
    _check_role(group, role)
    already = db.session.scalar(
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.group_id == group.id, func.lower(User.email) == email)
    )
    if already is not None:
        raise GroupError(f"{email} is already a member of this group.")
    now = utcnow()
    for pending in pending_invitations(group):
        if pending.email == email:
            pending.revoked_at = now
    token = secrets.token_urlsafe(32)
    days = current_app.config["INVITATION_DAYS"]
    invitation = Invitation(
        group=group,
        email=email,
        role=role,
        token_hash=token_digest(token),
        invited_by_id=inviter.id,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(invitation)
    link = current_app.config["BASE_URL"].rstrip("/") + url_for(
        "groups.open_invitation", token=token
    )
    # Who invited, to which group, in which role: names only, never anything the group wrote.
    queue_mail(
        email,
        "You are invited to a group on Attune",
        "invitation",
        secret_link=link,
        inviter=inviter.display_name,
        group_name=group.name,
        kind_label=group.kind.label,
        role_label=role.label,
        days=days,
    )
    db.session.flush()
    notify_invitation(invitation, inviter)  # notifications: in the app too, if they have an account
    return invitation


def pending_invitations(group: Group) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.group_id == group.id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.created_at)
        )
    )


def revoke_invitation(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise GroupError("This invitation was already accepted.")
    invitation.revoked_at = utcnow()
    db.session.flush()


def _open(invitation: Invitation | None) -> Invitation | None:
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.revoked_at is not None
        or invitation.expires_at <= utcnow()
    ):
        return None
    return invitation


def find_invitation(token: str) -> Invitation | None:
    """The invitation for the token of an emailed link, if it can still be accepted."""
    return _open(
        db.session.scalar(select(Invitation).where(Invitation.token_hash == token_digest(token)))
    )


def open_invitation(invitation_id: int | None) -> Invitation | None:
    """The invitation opened in this browser (held by id in the session), if still open."""
    if invitation_id is None:
        return None
    return _open(db.session.get(Invitation, invitation_id))


def accept_invitation(invitation: Invitation, user: User) -> Membership:
    if _open(invitation) is None:
        raise GroupError("This invitation has expired, was withdrawn, or was already used.")
    if invitation.email != user.email.lower():
        raise GroupError(
            f"This invitation was sent to {invitation.email}. Log in with that address to "
            "accept it."
        )
    existing = db.session.scalar(
        select(Membership).where(
            Membership.group_id == invitation.group_id, Membership.user_id == user.id
        )
    )
    invitation.accepted_at = utcnow()
    # The invitation is answered: its notifications (of this link or an earlier one) are read.
    db.session.execute(
        update(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.group_id == invitation.group_id,
            Notification.event == NotificationEvent.INVITATION,
            Notification.read_at.is_(None),
        )
        .values(read_at=invitation.accepted_at)
        .execution_options(synchronize_session=False)
    )
    if existing is not None:
        db.session.flush()
        return existing
    membership = Membership(group_id=invitation.group_id, user=user, role=invitation.role)
    db.session.add(membership)
    db.session.flush()
    forget_roles()
    return membership


def change_role(membership: Membership, role: Role) -> None:
    group = membership.group
    _check_role(group, role)
    if (
        membership.role is Role.FACILITATOR
        and role is not Role.FACILITATOR
        and facilitator_count(group) <= 1
    ):
        raise GroupError("A group needs at least one facilitator. Make someone else one first.")
    if membership.role is not role:
        record(
            "role_change",
            "memberships",
            membership.id,
            group_id=group.id,
            subject_id=membership.user_id,
            detail={"from": membership.role.value, "to": role.value},
        )
    membership.role = role
    db.session.flush()
    forget_roles()


def remove_member(membership: Membership) -> None:
    if membership.role is Role.FACILITATOR and facilitator_count(membership.group) <= 1:
        raise GroupError("A group needs at least one facilitator. Make someone else one first.")
    # What the group told them goes too: its links would lead nowhere they may go now.
    db.session.execute(
        delete(Notification).where(
            Notification.user_id == membership.user_id,
            Notification.group_id == membership.group_id,
        )
    )
    record(
        "member_removed",
        "memberships",
        membership.id,
        group_id=membership.group_id,
        subject_id=membership.user_id,
        detail={"role": membership.role.value},
    )
    db.session.delete(membership)
    db.session.flush()
    forget_roles()


def members_of(group: Group) -> list[Membership]:
    """Members with their users, facilitators first, in one query."""
    from sqlalchemy.orm import joinedload

    order = {Role.FACILITATOR: 0, Role.SUPERVISOR: 1, Role.PEER: 2, Role.SUPERVISEE: 3}
    memberships = db.session.scalars(
        select(Membership)
        .options(joinedload(Membership.user))
        .where(Membership.group_id == group.id)
    ).all()
    return sorted(memberships, key=lambda m: (order[m.role], m.user.display_name.lower()))
