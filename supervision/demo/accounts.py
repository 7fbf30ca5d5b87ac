"""Demo accounts, listed on the login page only while demo mode is on."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from supervision.extensions import db
from supervision.models import User

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
    accounts = []
    for user in users:
        roles = ", ".join(
            f"{m.role.label.lower()} in {m.group.name}"
            for m in sorted(user.memberships, key=lambda m: m.group_id)
        )
        accounts.append(DemoAccount(user.email, user.display_name, roles or "no group yet"))
    return accounts
