"""Who is in the demo: fictional clinicians in a supervision group and a peer group.

``DemoWorkspace`` carries them (and the moment of loading) to every demo content module; it sits
below those modules, and ``workspace.py`` above them calls each in turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from supervision.demo.accounts import DEMO_PASSWORD
from supervision.demo.timeline import GROUPS_DAYS_AGO, PEOPLE_DAYS_AGO
from supervision.extensions import db
from supervision.models import Group, GroupKind, Membership, Role, User
from supervision.models.types import utcnow
from supervision.passwords import hash_password

# example.org is reserved for examples (RFC 2606): no real mailbox, and it passes email checks.
DEMO_DOMAIN = "demo.example.org"

PEOPLE = [
    ("rosa", "Dr. Rosa Lindqvist (demo)"),
    ("tomas", "Tomás Ferreira (demo)"),
    ("amara", "Amara Osei (demo)"),
    ("jun", "Jun Park (demo)"),
    ("elena", "Elena Marković (demo)"),
    ("sam", "Sam Whitford (demo)"),
    ("noor", "Noor Haddad (demo)"),
]

GROUPS = [
    (
        "Thursday group supervision (demo)",
        GroupKind.SUPERVISION,
        "Fortnightly group supervision for trainees in their placement year. We bring one "
        "moment each and look at the relationship in it.",
        [
            ("rosa", Role.FACILITATOR),
            ("tomas", Role.SUPERVISOR),
            ("amara", Role.SUPERVISEE),
            ("jun", Role.SUPERVISEE),
            ("sam", Role.SUPERVISEE),
        ],
    ),
    (
        "Relational practice peer circle (demo)",
        GroupKind.PEER,
        "Qualified counsellors consulting on ruptures, silence and pacing. Peers post and review.",
        [
            ("elena", Role.FACILITATOR),
            ("tomas", Role.PEER),
            ("noor", Role.PEER),
            ("jun", Role.PEER),
        ],
    ),
]


@dataclass
class DemoWorkspace:
    users: dict[str, User] = field(default_factory=dict)
    groups: list[Group] = field(default_factory=list)
    # The moment of loading: the demo's content is dated in days before it (see timeline.py).
    loaded_at: datetime = field(default_factory=utcnow)

    def ago(self, days: float) -> datetime:
        return self.loaded_at - timedelta(days=days)


def demo_email(handle: str) -> str:
    return f"{handle}@{DEMO_DOMAIN}"


def add_people_and_groups() -> DemoWorkspace:
    """Add the demo people and groups (flushes, the caller commits)."""
    workspace = DemoWorkspace()
    password_hash = hash_password(DEMO_PASSWORD)  # one hash: argon2 is slow on purpose
    for handle, name in PEOPLE:
        user = User(
            email=demo_email(handle),
            display_name=name,
            password_hash=password_hash,
            is_demo=True,
            created_at=workspace.ago(PEOPLE_DAYS_AGO),
        )
        db.session.add(user)
        workspace.users[handle] = user
    for name, kind, description, members in GROUPS:
        started = workspace.ago(GROUPS_DAYS_AGO)
        group = Group(
            name=name, kind=kind, description=description, is_demo=True, created_at=started
        )
        for handle, role in members:
            group.memberships.append(
                Membership(user=workspace.users[handle], role=role, joined_at=started)
            )
        db.session.add(group)
        workspace.groups.append(group)
    db.session.flush()
    return workspace
