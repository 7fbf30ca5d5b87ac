"""What an evaluation draws on and feeds: the released reviews of the period as evidence, the
reminders of a due evaluation, the portfolio section and group report, and redaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from evaluation_support import (
    FEEDBACK,
    PRIVATE_NOTE,
    Scene,
    build_scene,
    days_ago,
    fill,
    fully_signed,
    schedule,
)
from flask import Flask
from sqlalchemy import update

from supervision.cases.privacy import redact_passage
from supervision.evaluations.evidence import evaluation_evidence
from supervision.evaluations.services import EVALUATOR, SELF, load_scores
from supervision.evaluations.supervisor import write_supervisor_evaluation
from supervision.exports.sections import group_report, portfolio_sections
from supervision.extensions import db
from supervision.groups.services import remove_member
from supervision.models import EvaluationKind, Membership, NotificationEvent, Review
from supervision.models.types import utcnow
from supervision.permissions import forget_roles
from supervision.reminders.sources import due_now

ANSWERS = {"availability": 4, "clarity": 5, "safety": 3, "goals": 4, "respect": 5}


@pytest.fixture()
def scene(make_user, make_group) -> Scene:
    return build_scene(make_user, make_group)


def _write(scene: Scene, comment: str, shared: bool):  # type: ignore[no-untyped-def]
    return write_supervisor_evaluation(
        scene.group, scene.supervisee, scene.supervisor.id, ANSWERS, comment, shared
    )


def _levels_seen(scene: Scene, viewer, **changes) -> dict[str, list[int | None]]:
    evaluation = schedule(scene, **changes)
    evidence = evaluation_evidence(evaluation, load_scores(evaluation), viewer)
    return {row.key: [level.level for level in row.levels] for row in evidence.rows}


def test_the_released_reviews_of_the_period_are_the_evidence(scene: Scene) -> None:
    seen = _levels_seen(scene, scene.supervisee)
    assert seen["boundaries"] == [2]
    assert seen["pacing"] == [None]  # scored "not visible in this vignette"


def test_reviews_released_outside_the_period_are_not_evidence(scene: Scene) -> None:
    db.session.execute(
        update(Review)
        .where(Review.id == scene.review.id)
        .values(released_at=utcnow() - timedelta(days=90))
    )
    db.session.commit()
    assert _levels_seen(scene, scene.supervisee)["boundaries"] == []


def test_evidence_follows_the_reviews_own_reading_rules(scene: Scene) -> None:
    """The second supervisor may not read the released scores (not shared with the group):
    as the viewer, they see no evidence; the facilitator does."""
    assert _levels_seen(scene, scene.second_supervisor)["boundaries"] == []
    assert _levels_seen(scene, scene.facilitator)["boundaries"] == [2]


def test_a_rubric_without_the_reviews_criteria_says_so(scene: Scene) -> None:
    evaluation = schedule(scene)
    evidence = evaluation_evidence(evaluation, load_scores(evaluation), scene.supervisee)
    assert evidence.reviews == 1 and all(row.matched for row in evidence.rows)
    for score in evaluation.scores:  # as if the evaluation's rubric had other keys
        score.criterion_key = f"other_{score.criterion_key}"
    db.session.flush()
    evidence = evaluation_evidence(evaluation, load_scores(evaluation), scene.supervisee)
    assert evidence.reviews == 1 and not any(row.matched for row in evidence.rows)
    db.session.rollback()


def _due(scene: Scene) -> dict[str, tuple[int, str]]:
    return {
        due.key: (due.user_id, due.text)
        for due in due_now(utcnow())
        if due.event is NotificationEvent.EVALUATION_DUE
    }


def test_a_due_evaluation_reminds_whoever_still_has_a_step(scene: Scene) -> None:
    evaluation = schedule(scene)  # due in three days
    e, s = scene.supervisor.id, scene.supervisee.id
    assert set(_due(scene)) == {
        f"evaluation:{evaluation.id}:evaluate:{e}",
        f"evaluation:{evaluation.id}:self:{s}",
    }
    fill(evaluation, EVALUATOR)
    fill(evaluation, SELF)
    assert set(_due(scene)) == {
        f"evaluation:{evaluation.id}:sign:{e}",
        f"evaluation:{evaluation.id}:sign:{s}",
    }
    text = _due(scene)[f"evaluation:{evaluation.id}:sign:{e}"][1]
    assert "The mid-term evaluation of Alex Supervisee in" in text and "signature" in text
    assert "gift" not in text


def test_no_reminder_far_from_the_due_date_or_once_signed(scene: Scene) -> None:
    schedule(scene, due_on=utcnow().date() + timedelta(days=8))
    assert _due(scene) == {}
    fully_signed(scene)
    assert _due(scene) == {}


def test_a_past_due_evaluation_still_reminds_but_not_who_left(scene: Scene) -> None:
    evaluation = schedule(
        scene, period_start=days_ago(90), period_end=days_ago(20), due_on=days_ago(5)
    )
    assert "was due" in next(iter(_due(scene).values()))[1]
    membership = db.session.scalar(
        db.select(Membership).where(
            Membership.user_id == scene.supervisor.id, Membership.group_id == scene.group.id
        )
    )
    remove_member(membership)
    db.session.commit()
    forget_roles()
    assert set(_due(scene)) == {f"evaluation:{evaluation.id}:self:{scene.supervisee.id}"}


def test_the_portfolio_holds_signed_evaluations_and_ones_supervisor_evaluations(
    app: Flask, scene: Scene
) -> None:
    signed = fully_signed(scene)
    unsigned = schedule(
        scene,
        kind=EvaluationKind.FINAL,
    )
    fill(unsigned, EVALUATOR, ready=False, overall="Unfinished thoughts")
    write_supervisor_evaluation(
        scene.group, scene.supervisee, scene.supervisor.id, ANSWERS, "Kind and clear.", False
    )
    db.session.commit()
    with app.test_request_context():  # other sections build links, as in the download
        sections = portfolio_sections(scene.supervisee)
    section = next(s for s in sections if s.key == "evaluations")
    evaluations = [r for r in section.records if r["type"] == "evaluation"]
    assert [r["title"] for r in evaluations] == [signed.title]
    record = evaluations[0]
    assert record["evaluator_signature"]["typed_name"] == "Sam Supervisor"
    assert record["criteria"][0]["evaluator_level"] == "4"
    assert record["criteria"][0]["self_level"] == "3"
    assert "Steady growth over the term." in section.markdown
    assert "Unfinished thoughts" not in section.markdown
    assert PRIVATE_NOTE not in section.markdown and FEEDBACK not in section.markdown
    written = [r for r in section.records if r["type"] == "supervisor_evaluation"]
    assert written[0]["answers"] == ANSWERS and "Kind and clear." in section.markdown
    # The supervisor's portfolio has the signed evaluation, not the supervisee's writing.
    theirs = next(s for s in portfolio_sections(scene.supervisor) if s.key == "evaluations")
    assert len(theirs.records) == 1 and "Kind and clear." not in theirs.markdown


def test_the_group_report_has_levels_and_dates_but_no_free_text(scene: Scene) -> None:
    fully_signed(scene)
    drafted = schedule(scene)
    fill(drafted, EVALUATOR, ready=False, overall="Draft words")
    report = group_report("evaluations", scene.group)
    assert report is not None
    assert "boundaries_evaluator" in report.header and "boundaries_self" in report.header
    signed_row, draft_row = report.rows
    at = report.header.index("boundaries_evaluator")
    assert signed_row[at : at + 2] == ["4", "3"]
    assert draft_row[at : at + 2] == ["", ""]  # a draft part is its author's alone
    assert signed_row[report.header.index("status")] == "signed"
    flat = " ".join(str(cell) for row in report.rows for cell in row)
    assert "Steady growth" not in flat and "Draft words" not in flat


def test_a_redaction_scrubs_every_comment_in_the_group(scene: Scene) -> None:
    phrase = "offered a small gift"
    evaluation = schedule(scene)
    fill(evaluation, EVALUATOR, ready=False, overall=f"When the client {phrase} you paused.")
    evaluation.scores[0].self_comment = f"I {phrase} a thought."
    written = write_supervisor_evaluation(
        scene.group, scene.supervisee, scene.supervisor.id, ANSWERS, f"About the {phrase}.", True
    )
    db.session.commit()
    redact_passage(scene.case, scene.supervisee, phrase)
    db.session.commit()
    assert (
        phrase not in evaluation.evaluator_comments
        and "[redacted]" in evaluation.evaluator_comments
    )
    assert phrase not in evaluation.scores[0].self_comment
    assert written.comment == "About the [redacted]."
