"""Evaluations through their services: scheduling rules, each side's private part, the lock
after a signature, signing through re-authentication, and conflicts of stale forms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import PASSWORD
from evaluation_support import KEYS, Scene, all_levels, build_scene, fill, schedule, sign_as
from sqlalchemy import select

from supervision.auth.reauth import ReauthError
from supervision.evaluations.services import (
    EVALUATOR,
    SELF,
    EvaluationConflict,
    EvaluationError,
    PartInput,
    save_part,
    save_response,
    sign_evaluation,
)
from supervision.evaluations.supervisor import write_supervisor_evaluation
from supervision.extensions import db
from supervision.models import Evaluation, EvaluationKind, SupervisorEvaluation
from supervision.models.types import utcnow
from supervision.permissions import (
    Permission,
    can,
    visible_evaluations,
    visible_supervisor_evaluations,
)


@pytest.fixture()
def scene(make_user, make_group) -> Scene:
    return build_scene(make_user, make_group)


def test_scheduling_makes_one_row_per_criterion_of_the_relationship_rubric(scene: Scene) -> None:
    evaluation = schedule(scene)
    assert [s.criterion_key for s in evaluation.scores] == list(KEYS)
    assert evaluation.rubric_version.rubric.slug == "therapeutic-relationship"
    assert evaluation.status == "in progress"
    assert evaluation.title == "Mid-term evaluation"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"period_end_offset": -61}, "period_end", "end on or after"),
        ({"due_offset": -90}, "due_on", "before the period starts"),
        ({"due_offset": 400}, "due_on", "six months"),
        ({"kind": EvaluationKind.OTHER}, "label", "Name this evaluation"),
    ],
)
def test_scheduling_refuses_insane_dates_and_unnamed_others(
    scene: Scene, changes: dict, field: str, words: str
) -> None:
    today = utcnow().date()
    values: dict = {}
    if "period_end_offset" in changes:
        values["period_end"] = today + timedelta(days=changes["period_end_offset"])
    if "due_offset" in changes:
        values["due_on"] = today + timedelta(days=changes["due_offset"])
    if "kind" in changes:
        values["kind"] = changes["kind"]
    with pytest.raises(EvaluationError, match=words) as raised:
        schedule(scene, **values)
    assert raised.value.field == field


def test_people_must_hold_their_roles_in_the_group(scene: Scene, make_user) -> None:
    with pytest.raises(EvaluationError, match="supervisee of this group"):
        schedule(scene, supervisee_id=scene.supervisor.id)
    with pytest.raises(EvaluationError, match="supervisee of this group"):
        schedule(scene, supervisee_id=make_user().id)
    with pytest.raises(EvaluationError, match="evaluator"):
        schedule(scene, evaluator_id=scene.other_supervisee.id)
    # A supervisor schedules only evaluations they make themselves.
    with pytest.raises(EvaluationError, match="evaluator"):
        schedule(scene, by=scene.supervisor, evaluator_id=scene.second_supervisor.id)
    assert schedule(scene, by=scene.supervisor).evaluator_id == scene.supervisor.id


def test_each_part_is_private_to_its_author_until_marked_ready(scene: Scene) -> None:
    evaluation = schedule(scene)
    fill(evaluation, EVALUATOR, ready=False, overall="Draft thoughts.")
    read_evaluator = Permission.EVALUATION_READ_EVALUATOR_PART
    assert can(scene.supervisor, read_evaluator, evaluation)
    assert not can(scene.supervisee, read_evaluator, evaluation)
    assert not can(scene.facilitator, read_evaluator, evaluation)
    fill(evaluation, SELF, ready=True)
    assert can(scene.supervisor, Permission.EVALUATION_READ_SELF_PART, evaluation)
    assert not can(scene.supervisee, read_evaluator, evaluation)
    fill(evaluation, EVALUATOR, ready=True)
    assert can(scene.supervisee, read_evaluator, evaluation)
    assert can(scene.facilitator, read_evaluator, evaluation)


def test_marking_ready_needs_every_criterion_and_then_the_part_is_final(scene: Scene) -> None:
    evaluation = schedule(scene)
    levels = all_levels("3")
    levels["silence"] = ""
    with pytest.raises(EvaluationError, match="Use of silence"):
        save_part(evaluation, EVALUATOR, PartInput(levels, ready=True), evaluation.edit_version)
    db.session.rollback()
    levels["silence"] = "n/o"
    save_part(evaluation, EVALUATOR, PartInput(levels, ready=True), evaluation.edit_version)
    db.session.commit()
    silence = next(s for s in evaluation.scores if s.criterion_key == "silence")
    assert silence.evaluator_not_observed and silence.evaluator_level is None
    with pytest.raises(EvaluationError, match="already marked ready"):
        save_part(evaluation, EVALUATOR, PartInput(levels), evaluation.edit_version)


def test_a_level_out_of_range_is_refused(scene: Scene) -> None:
    evaluation = schedule(scene)
    with pytest.raises(EvaluationError, match="1 to 5"):
        save_part(evaluation, SELF, PartInput({"pacing": "9"}), evaluation.edit_version)


def test_a_stale_form_is_a_conflict_naming_both_versions(scene: Scene) -> None:
    evaluation = schedule(scene)
    opened = evaluation.edit_version
    fill(evaluation, SELF, ready=False)  # another tab saved meanwhile
    with pytest.raises(EvaluationConflict) as raised:
        save_part(evaluation, EVALUATOR, PartInput(all_levels()), opened)
    assert (raised.value.seen, raised.value.current) == (opened, opened + 1)
    assert f"version {opened}" in str(raised.value)


def test_signing_needs_both_parts_the_password_and_the_name(scene: Scene) -> None:
    evaluation = schedule(scene)
    fill(evaluation, EVALUATOR)
    assert not can(scene.supervisor, Permission.EVALUATION_SIGN, evaluation)
    with pytest.raises(EvaluationError, match="Both parts"):
        sign_as(evaluation, scene.supervisor)
    fill(evaluation, SELF)
    version = evaluation.edit_version
    with pytest.raises(ReauthError) as wrong:
        sign_evaluation(evaluation, scene.supervisor, "Sam Supervisor", "not it", version)
    assert wrong.value.field == "password"
    with pytest.raises(ReauthError) as misnamed:
        sign_evaluation(evaluation, scene.supervisor, "Someone Else", PASSWORD, version)
    assert misnamed.value.field == "signature"
    db.session.rollback()
    assert evaluation.evaluator_signed_at is None
    sign_as(evaluation, scene.supervisor)
    assert evaluation.evaluator_signature == "Sam Supervisor"
    assert evaluation.status == "awaiting a signature"


def test_after_the_first_signature_nothing_changes_and_both_signatures_lock_it(
    scene: Scene,
) -> None:
    evaluation = schedule(scene)
    fill(evaluation, EVALUATOR)
    fill(evaluation, SELF)
    save_response(evaluation, "I agree with most of it.", evaluation.edit_version)
    db.session.commit()
    sign_as(evaluation, scene.supervisee)
    with pytest.raises(EvaluationError, match="signed"):
        save_response(evaluation, "Changed my mind.", evaluation.edit_version)
    assert not can(scene.supervisee, Permission.EVALUATION_RESPOND, evaluation)
    assert not can(scene.supervisee, Permission.EVALUATION_SIGN, evaluation)
    assert can(scene.supervisor, Permission.EVALUATION_SIGN, evaluation)
    sign_as(evaluation, scene.supervisor)
    assert evaluation.is_signed and evaluation.status == "signed"
    assert evaluation.supervisee_response == "I agree with most of it."
    for permission in (
        Permission.EVALUATION_EVALUATE,
        Permission.EVALUATION_SELF,
        Permission.EVALUATION_SIGN,
    ):
        assert not can(scene.supervisor, permission, evaluation)
        assert not can(scene.supervisee, permission, evaluation)


def test_a_signature_over_text_changed_since_reading_is_a_conflict(scene: Scene) -> None:
    evaluation = schedule(scene)
    fill(evaluation, EVALUATOR)
    fill(evaluation, SELF)
    read = evaluation.edit_version
    save_response(evaluation, "Added after you read it.", read)
    db.session.commit()
    with pytest.raises(EvaluationConflict):
        sign_evaluation(evaluation, scene.supervisor, "Sam Supervisor", PASSWORD, read)


def test_who_reads_an_evaluation(scene: Scene, make_user) -> None:
    evaluation = schedule(scene)
    view = Permission.EVALUATION_VIEW
    assert can(scene.supervisee, view, evaluation)
    assert can(scene.supervisor, view, evaluation)
    assert can(scene.facilitator, view, evaluation)
    assert not can(scene.other_supervisee, view, evaluation)
    assert not can(scene.second_supervisor, view, evaluation)
    assert not can(make_user(), view, evaluation)


def test_the_list_queries_agree_with_the_single_object_rules(scene: Scene, make_user) -> None:
    schedule(scene)
    schedule(scene, supervisee_id=scene.other_supervisee.id)
    schedule(scene, by=scene.supervisor)
    answers = {"availability": 3, "clarity": 3, "safety": 3, "goals": 3, "respect": 3}
    for author, about, shared in [
        (scene.supervisee, scene.supervisor, False),
        (scene.supervisee, scene.facilitator, False),
        (scene.other_supervisee, scene.second_supervisor, True),
    ]:
        write_supervisor_evaluation(scene.group, author, about.id, answers, "", shared)
    db.session.commit()
    people = [
        scene.facilitator,
        scene.supervisor,
        scene.second_supervisor,
        scene.supervisee,
        scene.other_supervisee,
        make_user(),
    ]
    every = db.session.scalars(select(Evaluation)).all()
    written = db.session.scalars(select(SupervisorEvaluation)).all()
    for person in people:
        listed = set(db.session.scalars(visible_evaluations(person, scene.group)))
        assert listed == {e for e in every if can(person, Permission.EVALUATION_VIEW, e)}
        listed_written = set(
            db.session.scalars(visible_supervisor_evaluations(person, scene.group))
        )
        view = Permission.SUPERVISOR_EVALUATION_VIEW
        assert listed_written == {w for w in written if can(person, view, w)}
