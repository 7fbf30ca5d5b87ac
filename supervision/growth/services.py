"""Sharing one's growth page: per supervisor and group, revocable. Who may then read it is the
permissions' rule (``GROWTH_VIEW``); this module records the choice and lists it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from supervision.extensions import db
from supervision.models import Group, GrowthShare, Membership, Role, User
from supervision.permissions import Permission, can, forget_growth_shares, know_roles_of
from supervision.permissions.queries import growth_sharers


class GrowthError(Exception):
    """A choice the rules do not allow (the message is for the user)."""


@dataclass(frozen=True)
class ReviewerChoice:
    group_id: int
    group_name: str
    reviewer_id: int
    reviewer_name: str
    role_label: str
    shared: bool


def reviewers_of(group: Group, supervisee: User) -> list[Membership]:
    """The members who review ``supervisee``'s cases in ``group``: everyone but supervisees
    (supervisors and facilitators; in a peer group, the peers), the supervisee excepted."""
    return list(
        db.session.scalars(
            select(Membership)
            .where(
                Membership.group_id == group.id,
                Membership.user_id != supervisee.id,
                Membership.role != Role.SUPERVISEE,
            )
            .order_by(Membership.id)
        )
    )


def sharing_choices(supervisee: User) -> list[ReviewerChoice]:
    """Every reviewer of the supervisee across the groups where they may write cases, and
    whether each may read their growth page now (four queries)."""
    know_roles_of(supervisee)
    memberships = db.session.scalars(
        select(Membership)
        .options(selectinload(Membership.group))
        .where(Membership.user_id == supervisee.id)
        .order_by(Membership.id)
    ).all()
    groups = {
        m.group_id: m.group
        for m in memberships
        if can(supervisee, Permission.GROWTH_SHARE, m.group)
    }
    if not groups:
        return []
    shared = set(
        db.session.execute(
            select(GrowthShare.group_id, GrowthShare.supervisor_id).where(
                GrowthShare.supervisee_id == supervisee.id
            )
        ).all()
    )
    reviewers = db.session.scalars(
        select(Membership)
        .options(selectinload(Membership.user))
        .where(
            Membership.group_id.in_(groups),
            Membership.user_id != supervisee.id,
            Membership.role != Role.SUPERVISEE,
        )
        .order_by(Membership.group_id, Membership.id)
    ).all()
    return [
        ReviewerChoice(
            group_id=m.group_id,
            group_name=groups[m.group_id].name,
            reviewer_id=m.user_id,
            reviewer_name=m.user.display_name,
            role_label=m.role.label,
            shared=(m.group_id, m.user_id) in shared,
        )
        for m in reviewers
    ]


def set_growth_share(supervisee: User, group: Group, reviewer_id: int, shared: bool) -> None:
    """Let one reviewer of ``group`` read the supervisee's growth page (for that group's cases),
    or stop them. Raises GrowthError for anyone who does not review in the group."""
    if reviewer_id not in {m.user_id for m in reviewers_of(group, supervisee)}:
        raise GrowthError("Choose one of the people who review your cases in this group.")
    existing = select(GrowthShare.id).where(
        GrowthShare.supervisee_id == supervisee.id,
        GrowthShare.supervisor_id == reviewer_id,
        GrowthShare.group_id == group.id,
    )
    if shared and db.session.scalar(existing) is None:
        db.session.add(
            GrowthShare(supervisee_id=supervisee.id, supervisor_id=reviewer_id, group_id=group.id)
        )
    elif not shared:
        db.session.execute(
            delete(GrowthShare).where(GrowthShare.id.in_(existing.scalar_subquery()))
        )
    db.session.flush()
    forget_growth_shares()


def growth_shared_with(supervisor: User) -> list[tuple[User, Group]]:
    """(supervisee, group): whose growth ``supervisor`` may read, and for which group's cases;
    only shares that count now (both still members, the supervisor still reviewing there)."""
    shares = growth_sharers(supervisor).subquery()
    pairs = [
        (supervisee, group)
        for supervisee, group in db.session.execute(
            select(User, Group)
            .join(shares, shares.c.supervisee_id == User.id)
            .join(Group, Group.id == shares.c.group_id)
        )
    ]
    return sorted(pairs, key=lambda pair: (pair[0].display_name, pair[1].name, pair[1].id))
