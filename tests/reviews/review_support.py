"""Helpers for the review tests: a group with two supervisors, shared cases, signed-in browsers,
and quick set-up verbs that go through the services.

Set-up uses the services (fast, and the rules live there); what each member sees is then
checked through the pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import escape
from support import CLEAN_SECTIONS, CLEAN_TITLE, supervision_group
from support import Browser as Browser  # re-exported for the tests, as are the next two
from support import revise_and_share as revise_and_share
from support import shared_case as shared_case

from supervision.extensions import db
from supervision.models import Case, Group, Review, User
from supervision.reviews.services import (
    ReviewInput,
    ScoreInput,
    release_review,
    save_review,
    start_review,
    submit_review,
)

TITLE = CLEAN_TITLE
SECTIONS = CLEAN_SECTIONS
QUOTE = "At the end the client offered a small gift and I hesitated."
KEYS = (
    "boundaries",
    "pacing",
    "corrective_experience",
    "holding_steady",
    "attunement",
    "silence",
    "rupture_repair",
)
NOT_VISIBLE = "n/o"


@dataclass
class World:
    """A supervision group: a facilitator, two supervisors, the author and another supervisee."""

    group: Group
    facilitator: User
    first: User  # supervisor
    second: User  # supervisor
    author: User  # supervisee
    reader: User  # another supervisee


def make_world(make_user: Callable[..., User], make_group: Callable[..., Group]) -> World:
    facilitator = make_user("Fran Facilitator")
    first = make_user("Sam Supervisor")
    second = make_user("Kim Supervisor")
    author = make_user("Alex Author")
    reader = make_user("Robin Reader")
    group = supervision_group(
        make_group, facilitator, [first, second], [author, reader], name="Tuesday supervision"
    )
    return World(group, facilitator, first, second, author, reader)


def review_input(
    levels: dict[str, int | str] | None = None,
    *,
    evidence: str = QUOTE,
    comment: str = "",
    feedback: str = "Warm and specific feedback.",
    private: str = "",
) -> ReviewInput:
    """Every criterion "not visible" unless given a level (or "n/o") in ``levels``."""
    scores = {}
    for key in KEYS:
        given = (levels or {}).get(key, NOT_VISIBLE)
        if given == NOT_VISIBLE:
            scores[key] = ScoreInput(not_visible=True, comment=comment)
        else:
            scores[key] = ScoreInput(level=int(given), evidence=evidence, comment=comment)
    return ReviewInput(scores=scores, overall_feedback=feedback, private_notes=private)


def write_review(
    case: Case,
    reviewer: User,
    levels: dict[str, int | str] | None = None,
    *,
    submit: bool = True,
    release: bool = False,
    **kwargs: Any,
) -> Review:
    """A review by ``reviewer`` of the case's current revision, committed."""
    review = start_review(case, reviewer)
    save_review(review, review_input(levels, **kwargs), review.edit_version)
    if submit or release:
        submit_review(review)
    if release:
        release_review(review)
    db.session.commit()
    return review


def fetch_review(review_id: int) -> Review:
    db.session.expire_all()
    review = db.session.get(Review, review_id)
    assert review is not None
    return review


def form_payload(
    review: Review,
    levels: dict[str, int | str] | None = None,
    *,
    evidence: dict[str, str] | None = None,
    comments: dict[str, str] | None = None,
    feedback: str = "",
    private: str = "",
    version: int | None = None,
) -> dict[str, Any]:
    """The edit form as a browser posts it (an unchosen level is simply absent)."""
    data: dict[str, Any] = {
        "edit_version": str(review.edit_version if version is None else version),
        "overall_feedback": feedback,
        "private_notes": private,
    }
    for key in KEYS:
        data[f"criterion_{key}-evidence"] = (evidence or {}).get(key, "")
        data[f"criterion_{key}-comment"] = (comments or {}).get(key, "")
        if key in (levels or {}):
            data[f"criterion_{key}-level"] = str((levels or {})[key])
    return data


def escaped(text: str) -> str:
    return str(escape(text))


def section(page: str, element_id: str, tag: str = "section") -> str:
    """The HTML of the element with ``element_id`` up to its closing tag (no nesting of ``tag``)."""
    match = re.search(rf'<{tag}[^>]*id="{element_id}".*?</{tag}>', page, re.DOTALL)
    assert match, f"no <{tag}> #{element_id}"
    return match.group(0)


def review_links(page: str) -> set[int]:
    """Ids of the reviews a page links to."""
    return {int(n) for n in re.findall(r'href="/reviews/(\d+)(?:/edit)?"', page)}
