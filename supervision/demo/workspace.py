"""Build the demo workspace: fictional clinicians in a supervision group and a peer group.

Every person, group and case here is invented for the demo; later features add their own
content through ``build_workspace``'s steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

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


def workspace_exists() -> bool:
    return db.session.scalar(select(User.id).where(User.is_demo.is_(True)).limit(1)) is not None


def build_workspace() -> DemoWorkspace:
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
    # Later features add their demo content here, after the people and groups exist.
    from supervision.demo.annotations import load_demo_annotations
    from supervision.demo.cases import load_demo_cases
    from supervision.demo.discussions import load_demo_discussions
    from supervision.demo.reviews import load_demo_reviews

    cases = load_demo_cases(workspace)
    load_demo_reviews(workspace, cases)
    load_demo_annotations(workspace, cases)  # after the reviews: a score cites an annotation
    load_demo_discussions(workspace)
    return workspace
