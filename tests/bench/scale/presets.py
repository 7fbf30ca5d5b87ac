"""The dataset sizes, and who is who in the seeded world (derived from the ids, so any process
can find the personas without asking the database)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

PASSWORD = "bench-correct-horse-battery"
GROUP_SIZE = 20  # members per group; each user is in GROUP_SIZE * groups / users groups
REVIEWERS = 3  # members 0..2 of each group: facilitator, two supervisors (they review)
HOT_ANNOTATIONS = 100  # the case page of issue 13: 100 annotations and 300 posts
HOT_POSTS = 300


@dataclass(frozen=True)
class Sizes:
    name: str
    users: int
    groups: int
    cases: int
    reviews: int
    annotations: int
    posts: int
    long_thread_posts: int
    persona_cases: int  # the supervisee persona's own cases (my cases, growth)
    persona_notifications: int
    persona_meetings: int  # meetings the supervisee persona attended (the hours log)
    threads_per_group: int
    notifications_per_user: int = 5
    meetings_per_group: int = 6

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


PRESETS = {
    "quick": Sizes("quick", 60, 3, 300, 600, 2_000, 3_000, 600, 30, 100, 20, 5),
    "small": Sizes("small", 400, 40, 2_000, 5_000, 20_000, 50_000, 2_000, 60, 400, 40, 10),
    "large": Sizes(
        "large", 2_000, 200, 20_000, 50_000, 200_000, 500_000, 20_000, 200, 2_000, 150, 20
    ),
}


@dataclass(frozen=True)
class World:
    """The ids the pages are measured at (all in group 1)."""

    group_id: int = 1
    facilitator_id: int = 1  # member 0 of group 1
    supervisor_id: int = 2  # member 1: the full desk
    supervisee_id: int = 6  # member 5: many cases, meetings, growth shared with the supervisor
    notified_id: int = 7  # member 6: many notifications
    hot_case_id: int = 1  # the supervisee persona's first case: 100 annotations, 300 posts
    long_thread_id: int = 1  # the group's first free-standing thread: the long one


WORLD = World()


def email(user_id: int) -> str:
    return f"user{user_id}@bench.example"


def member_ids(sizes: Sizes, group_index: int) -> list[int]:
    """Group ``group_index``'s members in order (member 0 facilitates, 1-2 supervise)."""
    step = max(1, sizes.users // sizes.groups)
    return [(group_index * step + k) % sizes.users + 1 for k in range(GROUP_SIZE)]


def is_peer_group(group_index: int) -> bool:
    return group_index % 10 == 9  # one group in ten is a peer-consultation group
