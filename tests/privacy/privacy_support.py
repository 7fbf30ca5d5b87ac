"""Helpers for the privacy tests: reviews and annotations made through the services, a world
of one supervision group with material of every kind, and the download as its owner gets it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from conftest import csrf_token
from flask import Flask
from flask.testing import FlaskClient
from support import SupervisionWorld, shared_case, supervision_world

from supervision.annotations.services import create_annotation, section_texts
from supervision.cases.services import revision_by_number
from supervision.discussions.services import add_post, create_thread
from supervision.extensions import db
from supervision.models import (
    Annotation,
    AnnotationVisibility,
    Case,
    GroupKind,
    Post,
    Review,
    Role,
    User,
)
from supervision.reviews.services import (
    ReviewInput,
    ScoreInput,
    release_review,
    save_review,
    start_review,
    submit_review,
)

PRIVATE_NOTE = "Sam wonders privately about countertransference"
PRIVATE_ANNOTATION = "Only Sam reads this aside"
SHARED_ANNOTATION = "Worth slowing down here"
RELEASED_FEEDBACK = "You held the frame warmly"
UNRELEASED_FEEDBACK = "Feedback still waiting for release"
OTHER_GROUP_TEXT = "The client spoke at length about her garden and its roses."
ALEX_POST = "Alex asks how others handle gifts"
ROBIN_REPLY = "Robin answers Alex about gifts"


def annotate(
    case: Case,
    user: User,
    phrase: str,
    body: str,
    visibility: AnnotationVisibility = AnnotationVisibility.SUPERVISEE,
) -> Annotation:
    number = case.published_number
    assert number is not None
    text = section_texts(revision_by_number(case, number))["moment"]
    start = text.index(phrase)
    annotation = create_annotation(
        case, user, number, "moment", start, start + len(phrase), phrase, body,
        visibility=visibility,
    )  # fmt: skip
    db.session.commit()
    return annotation


def review(
    case: Case, reviewer: User, feedback: str, private_notes: str = "", release: bool = True
) -> Review:
    started = start_review(case, reviewer)
    scores = {s.criterion_key: ScoreInput(not_visible=True) for s in started.scores}
    scores["boundaries"] = ScoreInput(level=4, evidence="offered a small gift", comment="Seen.")
    save_review(started, ReviewInput(scores, feedback, private_notes), started.edit_version)
    submit_review(started)
    if release:
        release_review(started)
    db.session.commit()
    return started


@dataclass
class PrivacyWorld(SupervisionWorld):
    case: Case
    held_back: Case  # reviewed, the review submitted but not released
    other_case: Case  # in a group Alex is not in
    post: Post  # Alex's, answered by Robin
    reply: Post


def privacy_world(app: Flask, make_user: Any, make_group: Any) -> PrivacyWorld:
    """Tuesday supervision (support.supervision_world) with Alex's shared case reviewed and
    annotated by Sam, a second case whose review is not released yet, a thread Alex started
    that Robin answered, and another group's case."""
    w = supervision_world(make_user, make_group)
    stranger = make_user("Olu Outsider")
    other_group = make_group(GroupKind.PEER, {stranger: Role.FACILITATOR}, name="Elsewhere")
    with app.test_request_context():
        case = shared_case(w.group, w.author)
        review(case, w.supervisor, RELEASED_FEEDBACK, private_notes=PRIVATE_NOTE)
        annotate(case, w.supervisor, "offered a small gift", SHARED_ANNOTATION)
        annotate(
            case, w.supervisor, "I hesitated", PRIVATE_ANNOTATION, AnnotationVisibility.PRIVATE
        )
        held_back = shared_case(w.group, w.author, "A second vignette")
        review(held_back, w.supervisor, UNRELEASED_FEEDBACK, release=False)
        other_case = shared_case(other_group, stranger, "Elsewhere", moment=OTHER_GROUP_TEXT)
        thread = create_thread(w.group, w.author, "Gifts at the end", ALEX_POST)
        db.session.commit()
        post = db.session.query(Post).filter_by(thread_id=thread.id).one()
        reply = add_post(thread, w.reader, ROBIN_REPLY, reply_to=post)
        db.session.commit()
    return PrivacyWorld(
        w.group, w.facilitator, w.supervisor, w.author, w.reader,
        case, held_back, other_case, post, reply,
    )  # fmt: skip


def download(client: FlaskClient) -> Any:
    return client.post(
        "/account/data/download", data={"csrf_token": csrf_token(client, "/account/data")}
    )


def document_of(client: FlaskClient) -> dict[str, Any]:
    response = download(client)
    assert response.status_code == 200, response.status_code
    return json.loads(response.data)
