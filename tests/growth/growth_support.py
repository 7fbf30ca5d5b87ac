"""Helpers for the growth tests: released reviews made through the services."""

from __future__ import annotations

from sqlalchemy import select

from supervision.annotations.services import create_annotation, section_texts
from supervision.cases.services import revision_by_number
from supervision.extensions import db
from supervision.models import Annotation, Case, Review, User
from supervision.reviews.services import (
    ReviewInput,
    ScoreInput,
    release_review,
    save_citations,
    save_review,
    start_review,
    submit_review,
)

PASSAGE = "offered a small gift"  # in the clean vignette's "moment"


def annotate(case: Case, user: User, phrase: str = PASSAGE) -> Annotation:
    number = case.published_number
    assert number is not None
    text = section_texts(revision_by_number(case, number))["moment"]
    start = text.index(phrase)
    annotation = create_annotation(
        case, user, number, "moment", start, start + len(phrase), phrase, "Worth slowing down."
    )
    db.session.commit()
    return annotation


def review(
    case: Case,
    reviewer: User,
    levels: dict[str, int | None],
    *,
    release: bool = True,
    submit: bool = True,
    cite: dict[str, list[Annotation]] | None = None,
    feedback: str = "Warm and specific feedback.",
) -> Review:
    """A review of the case's current revision: the given levels (None: not visible), every
    other criterion not visible; released unless told otherwise; committed."""
    started = start_review(case, reviewer)
    scores = {s.criterion_key: ScoreInput(not_visible=True) for s in started.scores}
    for key, level in levels.items():
        scores[key] = (
            ScoreInput(not_visible=True)
            if level is None
            else ScoreInput(level=level, evidence=PASSAGE, comment="Seen.")
        )
    save_review(started, ReviewInput(scores, feedback, ""), started.edit_version)
    if cite:
        save_citations(started, cite)
    if submit or release:
        submit_review(started)
    if release:
        release_review(started)
    db.session.commit()
    return started


def all_reviews() -> list[Review]:
    return list(db.session.scalars(select(Review)))
