"""Two simultaneous writes of the same versioned object: exactly one wins, the other is told.

Real concurrency: two threads, each with its own app context (so its own database session and
connection), both load the object, meet at a barrier, and only then write, so that neither sees
the other's write when it loads. On PostgreSQL (the CI pass that sets TEST_DATABASE_URL) the
loser's UPDATE waits on the winner's row lock and re-checks the version once the winner commits;
on SQLite, which lets one writer at a time, the same race runs with the writes queued on the
database lock: weaker, but still two sessions that loaded the same version.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from conftest import PASSWORD, csrf_token
from flask import Flask
from routes_world import World, build_world
from test_routes_by_principal import sign_in

from supervision.agreements.services import AgreementConflict, save_draft, sign_version
from supervision.annotations.services import AnnotationConflict, update_annotation
from supervision.auth.reauth import Signature
from supervision.cases.services import EditConflict, save_case
from supervision.discussions.services import PostConflict, edit_post
from supervision.evaluations.services import (
    EVALUATOR,
    SELF,
    EvaluationConflict,
    PartInput,
    save_part,
    save_response,
    sign_evaluation,
)
from supervision.extensions import db
from supervision.meetings.services import MeetingConflict, MeetingInput, save_meeting, sign_meeting
from supervision.models import (
    AgreementVersion,
    Annotation,
    AnnotationVisibility,
    Case,
    Evaluation,
    Meeting,
    MeetingFormat,
    MeetingModality,
    Post,
    Review,
    ReviewedWork,
    ReviewStatus,
    RubricVersion,
)
from supervision.models.types import utcnow
from supervision.reviews.forms import NOT_VISIBLE
from supervision.reviews.services import (
    ReviewConflict,
    ReviewInput,
    ScoreInput,
    save_review,
    submit_review,
)
from supervision.rubrics.services import RubricConflict, update_draft, version_data

TIMEOUT = 60  # seconds a thread may wait at the barrier or for a lock: a hang fails, not blocks

# One writer per versioned object: (model, its id in the world, the conflict it raises, the write).
Write = Callable[[Any, int, str], None]


def _save_case(case: Case, seen: int, text: str) -> None:
    save_case(case, case.author, f"Title {text}", {"moment": text}, seen)


def _save_review(review: Review, seen: int, text: str) -> None:
    scores = {s.criterion_key: ScoreInput(not_visible=True) for s in review.scores}
    save_review(review, ReviewInput(scores, f"Feedback {text}", ""), seen)


def _submit_review(review: Review, seen: int, text: str) -> None:
    _save_review(review, seen, text)
    submit_review(review)


def _update_draft(version: RubricVersion, seen: int, text: str) -> None:
    update_draft(version, replace(version_data(version), name=f"Rubric {text}"), seen)


def _edit_post(post: Post, seen: int, text: str) -> None:
    edit_post(post, post.author, f"Edited {text}.", seen)


def _update_annotation(annotation: Annotation, seen: int, text: str) -> None:
    update_annotation(annotation, f"Note {text}", None, AnnotationVisibility.GROUP, seen)


def _save_agreement_draft(version: AgreementVersion, seen: int, text: str) -> None:
    sections = {"goals": f"Goals {text}"}
    save_draft(version, version.agreement.supervisee, sections, seen)


def _save_meeting(meeting: Meeting, seen: int, text: str) -> None:
    data = MeetingInput(
        held_on=date(2026, 3, 4),
        duration_minutes=50,
        format=MeetingFormat.INDIVIDUAL,
        modality=MeetingModality.IN_PERSON,
        reviewed_work=ReviewedWork.NONE,
        supervisor_id=meeting.supervisor_id,
        attendee_ids=[a.user_id for a in meeting.attendees],
        notes=f"Notes {text}",
    )
    save_meeting(meeting, meeting.supervisor, data, seen)


def _evaluation_part(side: str) -> Write:
    def write(evaluation: Evaluation, seen: int, text: str) -> None:
        save_part(evaluation, side, PartInput({}, {}, f"Overall {text}", False), seen)

    return write


def _respond(evaluation: Evaluation, seen: int, text: str) -> None:
    save_response(evaluation, f"Response {text}", seen)


WRITERS: dict[str, tuple[type, Callable[[World], int], type[Exception], Write]] = {
    "case revision": (Case, lambda w: w.cases["draft"].id, EditConflict, _save_case),
    "review draft": (Review, lambda w: w.reviews["draft"].id, ReviewConflict, _save_review),
    "review submit": (Review, lambda w: w.reviews["draft"].id, ReviewConflict, _submit_review),
    "rubric draft": (
        RubricVersion,
        lambda w: w.rubric_versions["draft"].id,
        RubricConflict,
        _update_draft,
    ),
    "post edit": (Post, lambda w: w.posts["reply"].id, PostConflict, _edit_post),
    "annotation edit": (
        Annotation,
        lambda w: w.annotations["group"].id,
        AnnotationConflict,
        _update_annotation,
    ),
    "agreement draft": (
        AgreementVersion,
        lambda w: w.agreement.latest.id,  # type: ignore[union-attr]
        AgreementConflict,
        _save_agreement_draft,
    ),
    "meeting entry": (Meeting, lambda w: w.meetings["draft"].id, MeetingConflict, _save_meeting),
    "evaluation part": (
        Evaluation,
        lambda w: w.evaluations["drafting"].id,
        EvaluationConflict,
        _evaluation_part(EVALUATOR),
    ),
    "evaluation self part": (
        Evaluation,
        lambda w: w.evaluations["drafting"].id,
        EvaluationConflict,
        _evaluation_part(SELF),
    ),
    "evaluation response": (
        Evaluation,
        lambda w: w.evaluations["ready"].id,
        EvaluationConflict,
        _respond,
    ),
}


def race(app: Flask, attempt: Callable[[threading.Barrier, str], str]) -> list[str]:
    """Run ``attempt`` in two threads at once; what each one reported, sorted."""
    barrier = threading.Barrier(2, timeout=TIMEOUT)
    results: list[str] = []

    def run(name: str) -> None:
        with app.app_context():
            try:
                results.append(attempt(barrier, name))
            except Exception as error:  # reported, so the assertion shows it
                results.append(f"error {error!r}")
            finally:
                db.session.rollback()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return sorted(results)


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_two_writes_from_the_same_version_one_wins(app, make_user, make_group, writer):
    model, object_id, conflict, write = WRITERS[writer]
    world = build_world(make_user, make_group)
    target_id = object_id(world)
    db.session.commit()
    before = db.session.get(model, target_id).edit_version

    def attempt(barrier: threading.Barrier, name: str) -> str:
        obj = db.session.get(model, target_id)
        seen = obj.edit_version
        barrier.wait()  # both have loaded the same version; neither has written
        try:
            write(obj, seen, name)
        except conflict:
            return "conflict"
        db.session.commit()
        return f"won {name}"

    results = race(app, attempt)
    assert [r.split()[0] for r in results] == ["conflict", "won"], results
    db.session.expire_all()
    stored = db.session.get(model, target_id)
    assert stored.edit_version > before
    winner = results[1].split()[1]
    assert winner in _visible_text(stored), "the stored text is the winner's"


def _visible_text(obj: Any) -> str:
    if isinstance(obj, Case):
        return obj.revisions[-1].moment
    if isinstance(obj, Review):
        return obj.overall_feedback
    if isinstance(obj, RubricVersion):
        return obj.name
    if isinstance(obj, AgreementVersion):
        return obj.goals
    if isinstance(obj, Meeting):
        return obj.notes
    if isinstance(obj, Evaluation):
        return f"{obj.evaluator_comments} {obj.self_comments} {obj.supervisee_response}"
    return obj.body


# Signing twice at once (two tabs of the signer): one signature, the other told the record moved.
def _sign_agreement(version: AgreementVersion, seen: int) -> None:
    signer = version.agreement.supervisee
    sign_version(version, signer, Signature(signer.display_name, utcnow()), seen)


def _sign_meeting(meeting: Meeting, seen: int) -> None:
    supervisor = meeting.supervisor
    sign_meeting(meeting, supervisor, supervisor.display_name, PASSWORD, seen)


def _sign_evaluation(evaluation: Evaluation, seen: int) -> None:
    evaluator = evaluation.evaluator
    sign_evaluation(evaluation, evaluator, evaluator.display_name, PASSWORD, seen)


SIGNERS: dict[str, tuple[type, Callable[[World], int], type[Exception], Any, Any]] = {
    "agreement": (
        AgreementVersion,
        lambda w: w.agreement.latest.id,  # type: ignore[union-attr]
        AgreementConflict,
        _sign_agreement,
        lambda v: v.supervisee_signed_at,
    ),
    "meeting": (
        Meeting,
        lambda w: w.meetings["draft"].id,
        MeetingConflict,
        _sign_meeting,
        lambda m: m.signed_at,
    ),
    "evaluation": (
        Evaluation,
        lambda w: w.evaluations["ready"].id,
        EvaluationConflict,
        _sign_evaluation,
        lambda e: e.evaluator_signed_at,
    ),
}


@pytest.mark.parametrize("record", sorted(SIGNERS))
def test_two_signatures_from_the_same_version_one_wins(app, make_user, make_group, record):
    model, object_id, conflict, signs, signed_at = SIGNERS[record]
    world = build_world(make_user, make_group)
    target_id = object_id(world)
    db.session.commit()
    before = db.session.get(model, target_id).edit_version

    def attempt(barrier: threading.Barrier, name: str) -> str:
        obj = db.session.get(model, target_id)
        seen = obj.edit_version
        barrier.wait()
        try:
            signs(obj, seen)
        except conflict:
            return "conflict"
        db.session.commit()
        return f"won {name}"

    results = race(app, attempt)
    assert [r.split()[0] for r in results] == ["conflict", "won"], results
    db.session.expire_all()
    stored = db.session.get(model, target_id)
    assert stored.edit_version == before + 1, "signed once"
    assert signed_at(stored) is not None


def test_two_submits_of_the_review_form_at_once_one_gets_409(
    app, make_user, make_group, monkeypatch
):
    """Through the app: the supervisor presses Submit in two tabs at the same moment."""
    import supervision.reviews.views as review_views

    world = build_world(make_user, make_group)
    review = world.reviews["draft"]
    review_id, supervisor = review.id, world.users["supervisor"]
    form = {
        "edit_version": str(review.edit_version),
        "overall_feedback": "Clear and kind.",
        "private_notes": "",
        "submit_review": "Submit review",
    }
    for score in review.scores:
        form[f"criterion_{score.criterion_key}-level"] = NOT_VISIBLE
    db.session.commit()
    clients = {name: app.test_client() for name in ("one", "two")}
    tokens = {}
    for name, client in clients.items():
        sign_in(client, supervisor)
        tokens[name] = csrf_token(client, f"/reviews/{review_id}/edit")
    barrier = threading.Barrier(2, timeout=TIMEOUT)
    loaded = review_views.load_review

    def load_then_wait(object_id: int) -> Review:
        found = loaded(object_id)
        barrier.wait()  # both requests have the draft in hand before either saves it
        return found

    monkeypatch.setattr(review_views, "load_review", load_then_wait)
    statuses: list[int] = []

    def press(name: str) -> None:
        response = clients[name].post(
            f"/reviews/{review_id}/edit", data={**form, "csrf_token": tokens[name]}
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=press, args=(name,)) for name in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert sorted(statuses) == [302, 409]
    db.session.expire_all()
    assert db.session.get(Review, review_id).status is ReviewStatus.SUBMITTED
