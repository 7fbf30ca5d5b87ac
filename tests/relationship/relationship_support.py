"""Helpers for the relationship and desk tests: a supervision group, released reviews made
through the services, and check-ins answered through the service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from support import CLEAN_SECTIONS, shared_case, supervision_group

from supervision.extensions import db
from supervision.models import Case, Group, RelationshipCheck, Review, User
from supervision.relationship.occasions import occasion_of
from supervision.relationship.services import record_check
from supervision.reviews.services import (
    ReviewInput,
    ScoreInput,
    release_review,
    save_review,
    start_review,
    submit_review,
)

QUOTE = "At the end the client offered a small gift and I hesitated."


@dataclass
class World:
    group: Group
    facilitator: User
    supervisor: User
    other_supervisor: User
    supervisee: User
    other_supervisee: User


def make_world(make_user: Callable[..., User], make_group: Callable[..., Group]) -> World:
    facilitator = make_user("Fran Facilitator")
    supervisor = make_user("Sam Supervisor")
    other_supervisor = make_user("Kim Supervisor")
    supervisee = make_user("Alex Author")
    other = make_user("Robin Reader")
    group = supervision_group(
        make_group, facilitator, [supervisor, other_supervisor], [supervisee, other]
    )
    return World(group, facilitator, supervisor, other_supervisor, supervisee, other)


def case_by(world: World, author: User, title: str = "A session that went quiet") -> Case:
    return shared_case(world.group, author, title, CLEAN_SECTIONS)


def review(
    case: Case, reviewer: User, levels: dict[str, int] | None = None, *, release: bool = True
) -> Review:
    """A submitted (and by default released) review, "not visible" except for ``levels``."""
    made = start_review(case, reviewer)
    levels = levels or {"boundaries": 3}
    scores = {
        s.criterion_key: (
            ScoreInput(level=levels[s.criterion_key], evidence=QUOTE, comment="Seen.")
            if s.criterion_key in levels
            else ScoreInput(not_visible=True)
        )
        for s in made.scores
    }
    save_review(made, ReviewInput(scores, "Warm feedback.", ""), made.edit_version)
    submit_review(made)
    if release:
        release_review(made)
    db.session.commit()
    return made


def answer(supervisee: User, released: Review, value: int, note: str = "") -> RelationshipCheck:
    check = record_check(
        supervisee,
        occasion_of(released),
        {"safety": value, "goals": value, "tasks": value, "heard": value},
        note,
    )
    db.session.commit()
    return check


def answered_reviews(world: World, count: int, value: int = 6) -> list[Review]:
    """``count`` released reviews by the supervisor, each answered by its case's author."""
    made = []
    for number in range(count):
        author = world.supervisee if number % 2 == 0 else world.other_supervisee
        released = review(case_by(world, author, f"Case {number}"), world.supervisor)
        answer(author, released, value)
        made.append(released)
    return made
