"""Seed the database the two instances share: a group with a facilitator and a member.

Run by .ci/two_instances (DATABASE_URL etc. in the environment): migrates the fresh database,
then seeds it (one app start for both). The tests import the names from here, so the script
and the tests agree on who exists.
"""

from __future__ import annotations

from flask_migrate import upgrade

from supervision import create_app
from supervision.extensions import db
from supervision.models import Group, GroupKind, Membership, Role, User
from supervision.passwords import hash_password

PASSWORD = "two instances share one harbour"
FACILITATOR = "fran@two.example.org"
MEMBER = "mo@two.example.org"
GROUP = "Two instances group"


def seed() -> None:
    app = create_app()
    with app.app_context():
        upgrade()
        password_hash = hash_password(PASSWORD)
        group = Group(name=GROUP, kind=GroupKind.SUPERVISION)
        for email, name, role in (
            (FACILITATOR, "Fran", Role.FACILITATOR),
            (MEMBER, "Mo", Role.SUPERVISEE),
        ):
            user = User(email=email, display_name=name, password_hash=password_hash)
            group.memberships.append(Membership(user=user, role=role))
        db.session.add(group)
        db.session.commit()


if __name__ == "__main__":
    seed()
