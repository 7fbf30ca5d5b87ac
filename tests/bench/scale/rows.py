"""The rows of the seeded world, table by table, as the services would have written them.

Ids are given explicitly and derived from the sizes, so they are known without a query:
cases 1..C (the first ``persona_cases`` are the supervisee persona's, in group 1), one revision
per case (id = case id), one case thread per case that was ever shared (id = G * threads_per_group
+ case id), free-standing threads 1..G * threads_per_group (thread 1 is the long one).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tests.bench.scale.content import (
    SECTION_KEYS,
    Vignette,
    annotation_body,
)
from tests.bench.scale.presets import (
    HOT_ANNOTATIONS,
    REVIEWERS,
    WORLD,
    Sizes,
    email,
    is_peer_group,
    member_ids,
)

Row = dict[str, Any]
FIRST = ("Ada", "Bea", "Cai", "Dov", "Eli", "Fay", "Gus", "Hal", "Ida", "Jon", "Kai", "Lea")
LAST = ("Moss", "Nash", "Orr", "Park", "Quinn", "Reyes", "Sato", "Toth", "Usman", "Vidal")


@dataclass
class Ctx:
    sizes: Sizes
    vignettes: list[Vignette]
    password_hash: str
    rubric_version_id: int
    criteria: list[tuple[int, str, int]]  # id, key, position
    now: datetime
    rng: random.Random = field(default_factory=lambda: random.Random(13))

    @property
    def start(self) -> datetime:
        return self.now - timedelta(days=400)

    def group_of_case(self, case_id: int) -> int:
        """The group index of a case (the persona's cases are in group 0)."""
        if case_id <= self.sizes.persona_cases:
            return 0
        return case_id % self.sizes.groups

    def author_of_case(self, case_id: int) -> int:
        if case_id <= self.sizes.persona_cases:
            return WORLD.supervisee_id
        authors = member_ids(self.sizes, self.group_of_case(case_id))[REVIEWERS:]
        return authors[(case_id // self.sizes.groups) % len(authors)]

    def _tenth(self, case_id: int) -> int:
        # Not case_id % 10 alone: a group's cases are case_id % groups, so that would make
        # every case of some groups a draft and of others closed.
        return (case_id + case_id // self.sizes.groups) % 10

    def is_draft(self, case_id: int) -> bool:
        return case_id != WORLD.hot_case_id and self._tenth(case_id) == 0

    def is_closed(self, case_id: int) -> bool:
        return case_id != WORLD.hot_case_id and self._tenth(case_id) == 1

    def vignette(self, case_id: int) -> Vignette:
        return self.vignettes[case_id % len(self.vignettes)]

    def case_time(self, case_id: int) -> datetime:
        return self.start + timedelta(minutes=case_id * 20 * 1000 // self.sizes.cases)

    def free_threads(self) -> int:
        return self.sizes.groups * self.sizes.threads_per_group

    def case_thread_id(self, case_id: int) -> int:
        return self.free_threads() + case_id

    def shared_cases(self) -> Iterator[int]:
        return (c for c in range(1, self.sizes.cases + 1) if not self.is_draft(c))


def users(ctx: Ctx) -> Iterator[Row]:
    for i in range(1, ctx.sizes.users + 1):
        yield {
            "id": i,
            "email": email(i),
            "display_name": f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]} {i}",
            "password_hash": ctx.password_hash,
            "session_token": f"bench-{i}-{ctx.rng.getrandbits(64):016x}",
            "created_at": ctx.start,
        }


def groups(ctx: Ctx) -> Iterator[Row]:
    for g in range(ctx.sizes.groups):
        yield {
            "id": g + 1,
            "name": f"Bench group {g + 1}",
            "kind": "peer" if is_peer_group(g) else "supervision",
            "description": "A group of the scale benchmark.",
            "created_at": ctx.start,
            "created_by_id": member_ids(ctx.sizes, g)[0],
        }


def role(group_index: int, position: int) -> str:
    if position == 0:
        return "facilitator"
    if is_peer_group(group_index):
        return "peer"
    return "supervisor" if position < REVIEWERS else "supervisee"


def memberships(ctx: Ctx) -> Iterator[Row]:
    n = 0
    for g in range(ctx.sizes.groups):
        for position, user_id in enumerate(member_ids(ctx.sizes, g)):
            n += 1
            yield {
                "id": n,
                "group_id": g + 1,
                "user_id": user_id,
                "role": role(g, position),
                "joined_at": ctx.start,
            }


def cases(ctx: Ctx) -> Iterator[Row]:
    for c in range(1, ctx.sizes.cases + 1):
        at = ctx.case_time(c)
        status = "draft" if ctx.is_draft(c) else "closed" if ctx.is_closed(c) else "shared"
        yield {
            "id": c,
            "group_id": ctx.group_of_case(c) + 1,
            "author_id": ctx.author_of_case(c),
            "status": status,
            "title": f"{ctx.vignette(c).title} ({c})",
            "published_number": None if status == "draft" else 1,
            "created_at": at,
            "updated_at": at + timedelta(hours=1),
            "shared_at": None if status == "draft" else at + timedelta(minutes=30),
            "closed_at": at + timedelta(days=30) if status == "closed" else None,
        }


def revisions(ctx: Ctx) -> Iterator[Row]:
    for c in range(1, ctx.sizes.cases + 1):
        vignette, at = ctx.vignette(c), ctx.case_time(c)
        row: Row = {
            "id": c,
            "case_id": c,
            "number": 1,
            "title": f"{vignette.title} ({c})",
            "checklist": [],
            "created_by_id": ctx.author_of_case(c),
            "created_at": at,
            "updated_at": at,
            "cleared_at": None if ctx.is_draft(c) else at + timedelta(minutes=30),
            "cleared_by_id": None if ctx.is_draft(c) else ctx.author_of_case(c),
        }
        for key in SECTION_KEYS:
            row[key] = vignette.sections[key]
            row[f"{key}_html"] = vignette.html[key]
        yield row


def reviewers_of(ctx: Ctx, case_id: int) -> list[int]:
    return member_ids(ctx.sizes, ctx.group_of_case(case_id))[:REVIEWERS]


def review_counts(ctx: Ctx) -> dict[int, int]:
    """How many reviews each shared case has: the budget spread evenly, at most one per
    reviewer."""
    shared = list(ctx.shared_cases())
    base, extra = divmod(ctx.sizes.reviews, len(shared))
    return {c: min(REVIEWERS, base + (1 if i < extra else 0)) for i, c in enumerate(shared)}


def reviews_and_scores(ctx: Ctx) -> tuple[list[Row], list[Row]]:
    reviews, scores = [], []
    for c, n in review_counts(ctx).items():
        at = ctx.case_time(c) + timedelta(days=2)
        for reviewer in reviewers_of(ctx, c)[:n]:
            rid = len(reviews) + 1
            status = ("released", "released", "submitted", "released", "draft")[rid % 5]
            if c == WORLD.hot_case_id or (reviewer == WORLD.supervisor_id and rid % 3 == 0):
                status = "draft" if reviewer == WORLD.supervisor_id else "released"
            done = None if status == "draft" else at
            reviews.append(
                {
                    "id": rid,
                    "case_id": c,
                    "revision_number": 1,
                    "reviewer_id": reviewer,
                    "rubric_version_id": ctx.rubric_version_id,
                    "status": status,
                    "overall_feedback": "Careful work with the pause.",
                    "overall_feedback_html": "<p>Careful work with the pause.</p>",
                    "created_at": at,
                    "updated_at": at,
                    "submitted_at": done,
                    "released_at": at if status == "released" else None,
                }
            )
            for criterion_id, key, position in ctx.criteria:
                scores.append(
                    {
                        "id": len(scores) + 1,
                        "review_id": rid,
                        "criterion_id": criterion_id,
                        "criterion_key": key,
                        "position": position,
                        "level": 1 + (rid * 7 + position * 3 + c) % 5,
                        "not_visible": False,
                    }
                )
    return reviews, scores


def annotations_and_anchors(ctx: Ctx) -> tuple[list[Row], list[Row]]:
    shared = [c for c in ctx.shared_cases() if c != WORLD.hot_case_id]
    rest = max(0, ctx.sizes.annotations - HOT_ANNOTATIONS)
    per_case = {WORLD.hot_case_id: HOT_ANNOTATIONS}
    base, extra = divmod(rest, len(shared))
    per_case.update({c: base + (1 if i < extra else 0) for i, c in enumerate(shared)})
    notes, anchors = [], []
    for c, n in per_case.items():
        spans, reviewers = ctx.vignette(c).spans, reviewers_of(ctx, c)
        peer = is_peer_group(ctx.group_of_case(c))
        at = ctx.case_time(c) + timedelta(days=1)
        for j in range(n):
            aid = len(notes) + 1
            span = spans[j % len(spans)]
            body, html = annotation_body(aid)
            notes.append(
                {
                    "id": aid,
                    "case_id": c,
                    "author_id": reviewers[j % len(reviewers)],
                    "revision_number": 1,
                    "section": span.section,
                    "original_exact": span.exact,
                    "body": body,
                    "body_html": html,
                    "visibility": "group" if peer else "supervisee",
                    "created_at": at,
                    "updated_at": at,
                }
            )
            anchors.append(
                {
                    "id": aid,
                    "annotation_id": aid,
                    "case_id": c,
                    "revision_number": 1,
                    "status": "created",
                    "section": span.section,
                    "start": span.start,
                    "end": span.end,
                    "exact": span.exact,
                    "prefix": span.prefix,
                    "suffix": span.suffix,
                }
            )
    return notes, anchors
