"""Demo evaluations in the Thursday group: Amara's mid-term evaluation by Tomás, both parts
ready and signed by both about three months ago (on the platform's relationship rubric, which
the group used then); her final evaluation, scheduled by Rosa and due in a few days, with
Tomás's part still a draft; and Amara's evaluation of Tomás, which she lets him read.

Every person and word here is invented. It runs last, and dates everything it makes."""

from __future__ import annotations

from datetime import timedelta

from supervision.demo.accounts import DEMO_PASSWORD
from supervision.demo.people import DemoWorkspace
from supervision.evaluations.services import (
    EVALUATOR,
    SELF,
    PartInput,
    ScheduleInput,
    default_rubric_version,
    save_part,
    schedule_evaluation,
    sign_evaluation,
)
from supervision.evaluations.supervisor import write_supervisor_evaluation
from supervision.extensions import db
from supervision.models import Evaluation, EvaluationKind
from supervision.rubrics.services import builtin_rubric, latest_published

MIDTERM_LEVELS = {
    "boundaries": "3",
    "pacing": "2",
    "corrective_experience": "n/o",
    "holding_steady": "3",
    "attunement": "3",
    "silence": "2",
    "rupture_repair": "3",
}
SELF_LEVELS = {**MIDTERM_LEVELS, "pacing": "3", "silence": "3", "corrective_experience": "2"}
MIDTERM_COMMENTS = {
    "pacing": "Amara often moves to interpretation before the client has finished; she "
    "notices it afterwards, which is where change starts.",
    "boundaries": "Holds endings better since the spring; still over-runs when a client cries.",
}
SELF_COMMENTS = {"pacing": "I feel the urge to fix, especially with grief."}


def _midterm(workspace: DemoWorkspace) -> Evaluation:
    group, users = workspace.groups[0], workspace.users
    builtin = latest_published(builtin_rubric())
    assert builtin is not None
    day = workspace.ago
    evaluation = schedule_evaluation(
        group,
        users["rosa"],
        ScheduleInput(
            users["amara"].id,
            users["tomas"].id,
            EvaluationKind.MIDTERM,
            "",
            day(190).date(),
            day(100).date(),
            day(92).date(),
            builtin.id,
        ),
    )
    evaluator = PartInput(
        MIDTERM_LEVELS,
        MIDTERM_COMMENTS,
        "A thoughtful first half. The work for the second half is pacing: letting silence do "
        "some of the work.",
        ready=True,
    )
    save_part(evaluation, EVALUATOR, evaluator, evaluation.edit_version)
    own = PartInput(
        SELF_LEVELS,
        SELF_COMMENTS,
        "I rate myself a little higher on pacing than Tomás does; I want to look at why.",
        ready=True,
    )
    save_part(evaluation, SELF, own, evaluation.edit_version)
    for handle in ("tomas", "amara"):
        person = users[handle]
        sign_evaluation(
            evaluation, person, person.display_name, DEMO_PASSWORD, evaluation.edit_version
        )
    evaluation.created_at = day(105)
    evaluation.evaluator_ready_at, evaluation.self_ready_at = day(96), day(95)
    evaluation.evaluator_signed_at, evaluation.supervisee_signed_at = day(93), day(92.5)
    return evaluation


def _final(workspace: DemoWorkspace) -> Evaluation:
    group, users = workspace.groups[0], workspace.users
    today = workspace.loaded_at.date()
    evaluation = schedule_evaluation(
        group,
        users["rosa"],
        ScheduleInput(
            users["amara"].id,
            users["tomas"].id,
            EvaluationKind.FINAL,
            "",
            workspace.ago(99).date(),
            today + timedelta(days=2),
            today + timedelta(days=5),
            default_rubric_version(group).id,
        ),
    )
    draft = PartInput({"boundaries": "4", "pacing": "3"}, {}, "Started; to finish after Thursday.")
    save_part(evaluation, EVALUATOR, draft, evaluation.edit_version)
    evaluation.created_at = workspace.ago(12)
    return evaluation


def load_demo_evaluations(workspace: DemoWorkspace) -> None:
    """Add the demo evaluations (flushes, the caller commits)."""
    _midterm(workspace)
    _final(workspace)
    group, users = workspace.groups[0], workspace.users
    written = write_supervisor_evaluation(
        group,
        users["amara"],
        users["tomas"].id,
        {"availability": 4, "clarity": 4, "safety": 5, "goals": 4, "respect": 5},
        "I can bring the sessions that went badly, which I did not expect.",
        shared=True,
    )
    written.created_at = workspace.ago(90)
    db.session.flush()
