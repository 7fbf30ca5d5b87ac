"""Demo accounts, listed on the login page only while demo mode is on."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from supervision.extensions import db
from supervision.models import Group, Membership, User

DEMO_PASSWORD = "attune-demo-workspace"  # noqa: S105 (fictional accounts, demo mode only)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    summary: str


def demo_accounts() -> list[DemoAccount]:
    if not current_app.config.get("DEMO_MODE"):
        return []
    users = db.session.scalars(select(User).where(User.is_demo.is_(True)).order_by(User.id)).all()
    roles: dict[int, list[str]] = {user.id: [] for user in users}
    memberships = db.session.execute(
        select(Membership.user_id, Membership.role, Group.name)
        .join(Group, Group.id == Membership.group_id)
        .where(Membership.user_id.in_(roles))
        .order_by(Membership.group_id)
    )
    for user_id, role, group_name in memberships:
        roles[user_id].append(f"{role.label.lower()} in {group_name}")
    return [
        DemoAccount(user.email, user.display_name, ", ".join(roles[user.id]) or "no group yet")
        for user in users
    ]
