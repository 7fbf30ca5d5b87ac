"""Helpers for the notification tests: a supervision group, set-up verbs through the services,
and signed-in clients.

Set-up goes through the services, which emit the events; what each person is told is then read
back from the database or seen through the pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import support
from sqlalchemy import select
from support import Browser, revise_and_share, supervision_group

from supervision.extensions import db
from supervision.models import (
    Case,
    Group,
    GroupKind,
    Notification,
    NotificationEvent,
    Review,
    Role,
    User,
)
from supervision.reviews.services import (
    ReviewInput,
    ScoreInput,
    save_review,
    start_review,
    submit_review,
)

Client = Browser  # a test client signed in through the login form

GROUP_NAME = "Thursday group supervision"
TITLE = "The compass at the door"
# A phrase from the vignette that must never reach a notification or an email.
SECRET_PHRASE = "a small brass compass"
SECTIONS = {
    "context": "Fourth session of ten, short-term counselling.",
    "client": "The client is in her fifties and works in a bakery.",
    "moment": f"At the door the client handed me {SECRET_PHRASE} and said nothing.",
    "reactions": "I felt moved and unsure what to do with it.",
    "question": "What might the gesture have meant?",
}


@dataclass
class World:
    """Fran facilitates; Rosa and Sol supervise; Ana writes the case; Ben is another
    supervisee; Otto belongs to another group."""

    group: Group
    fran: User
    rosa: User
    sol: User
    ana: User
    ben: User
    otto: User


def make_world(make_user: Callable[..., User], make_group: Callable[..., Group]) -> World:
    fran, rosa, sol = make_user("Fran"), make_user("Rosa"), make_user("Sol")
    ana, ben, otto = make_user("Ana"), make_user("Ben"), make_user("Otto")
    group = supervision_group(make_group, fran, [rosa, sol], [ana, ben], name=GROUP_NAME)
    make_group(GroupKind.PEER, {otto: Role.FACILITATOR}, name="Another circle")
    return World(group, fran, rosa, sol, ana, ben, otto)


def shared_case(group: Group, author: User, title: str = TITLE) -> Case:
    return support.shared_case(group, author, title, SECTIONS)


def share_new_revision(case: Case, author: User) -> None:
    """The author (``author``) saves a changed revision and shares it."""
    assert author == case.author
    revise_and_share(case, reactions="I felt moved, and later uneasy.")


def submitted_review(case: Case, reviewer: User, level: int) -> Review:
    """A review scoring only "boundaries", at ``level``, submitted."""
    review = start_review(case, reviewer)
    scores = {s.criterion_key: ScoreInput(not_visible=True) for s in review.scores}
    scores["boundaries"] = ScoreInput(level=level, evidence="She said nothing.", comment="Seen.")
    save_review(review, ReviewInput(scores, "Thoughtful work.", "A private thought."))
    submit_review(review)
    db.session.commit()
    return review


def notifications_of(user: User, event: NotificationEvent | None = None) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user.id)
    if event is not None:
        query = query.where(Notification.event == event)
    return list(db.session.scalars(query.order_by(Notification.id)))


def told(world: World, event: NotificationEvent) -> set[str]:
    """The display names of everyone (in the world) told of ``event``."""
    people = (world.fran, world.rosa, world.sol, world.ana, world.ben, world.otto)
    return {user.display_name for user in people if notifications_of(user, event)}


_TAG_RE = re.compile(r"<[^>]+>")
_HIDDEN_RE = re.compile(r'<span[^>]*aria-hidden="true"[^>]*>.*?</span>', re.S)
_NAV_LINK_RE = re.compile(r'<a class="site-nav__link" href="/notifications"[^>]*>(.*?)</a>', re.S)


def nav_link_name(page: str) -> str | None:
    """The accessible name of the navigation's Notifications link (aria-hidden parts left out)."""
    match = _NAV_LINK_RE.search(page)
    if match is None:
        return None
    return " ".join(_TAG_RE.sub("", _HIDDEN_RE.sub("", match.group(1))).split())


def nav_badge(page: str) -> str | None:
    match = _NAV_LINK_RE.search(page)
    assert match is not None
    badge = re.search(r'<span class="site-nav__count" aria-hidden="true">([^<]*)</span>', match[1])
    return badge.group(1) if badge else None
