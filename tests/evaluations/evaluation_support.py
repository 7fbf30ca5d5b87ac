"""The evaluations tests' world: a supervision group with a member of each role, a shared case
of the supervisee's that the supervisor reviewed and released, and helpers that schedule,
fill and sign evaluations through the services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from conftest import PASSWORD
from support import shared_case

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
from supervision.extensions import db
from supervision.models import (
    Case,
    Evaluation,
    EvaluationKind,
    Group,
    GroupKind,
    Review,
    Role,
    User,
)
from supervision.models.types import utcnow
from supervision.reviews.services import (
    ReviewInput,
    ScoreInput,
    release_review,
    save_review,
    start_review,
    submit_review,
)

KEYS = (
    "boundaries",
    "pacing",
    "corrective_experience",
    "holding_steady",
    "attunement",
    "silence",
    "rupture_repair",
)
PRIVATE_NOTE = "Private: I worry about this trainee."
FEEDBACK = "You held the frame warmly."


@dataclass
class Scene:
    group: Group
    facilitator: User
    supervisor: User
    supervisee: User
    other_supervisee: User
    second_supervisor: User
    case: Case
    review: Review


def build_scene(make_user: Callable[..., User], make_group: Callable[..., Group]) -> Scene:
    facilitator, supervisor = make_user("Fran Facilitator"), make_user("Sam Supervisor")
    supervisee, other = make_user("Alex Supervisee"), make_user("Olu Other")
    second = make_user("Kim Second")
    group = make_group(
        GroupKind.SUPERVISION,
        {
            facilitator: Role.FACILITATOR,
            supervisor: Role.SUPERVISOR,
            second: Role.SUPERVISOR,
            supervisee: Role.SUPERVISEE,
            other: Role.SUPERVISEE,
        },
    )
    case = shared_case(group, supervisee, "A gift at the end")
    review = start_review(case, supervisor)
    scores = {s.criterion_key: ScoreInput(not_visible=True) for s in review.scores}
    scores["boundaries"] = ScoreInput(level=2, evidence="offered a small gift", comment="Seen.")
    save_review(review, ReviewInput(scores, FEEDBACK, PRIVATE_NOTE))
    submit_review(review)
    release_review(review)
    db.session.commit()
    return Scene(group, facilitator, supervisor, supervisee, other, second, case, review)


def schedule(scene: Scene, by: User | None = None, **changes: object) -> Evaluation:
    today = utcnow().date()
    values: dict[str, object] = {
        "supervisee_id": scene.supervisee.id,
        "evaluator_id": scene.supervisor.id,
        "kind": EvaluationKind.MIDTERM,
        "label": "",
        "period_start": today - timedelta(days=60),
        "period_end": today,
        "due_on": today + timedelta(days=3),
        "rubric_version_id": default_rubric_version(scene.group).id,
    }
    values.update(changes)
    evaluation = schedule_evaluation(
        scene.group,
        by or scene.facilitator,
        ScheduleInput(**values),  # type: ignore[arg-type]
    )
    db.session.commit()
    return evaluation


def all_levels(level: str = "3") -> dict[str, str]:
    return dict.fromkeys(KEYS, level)


def fill(evaluation: Evaluation, side: str, *, ready: bool = True, overall: str = "") -> None:
    data = PartInput(all_levels("4" if side == EVALUATOR else "3"), {}, overall, ready)
    save_part(evaluation, side, data, evaluation.edit_version)
    db.session.commit()


def sign_as(evaluation: Evaluation, user: User) -> None:
    sign_evaluation(evaluation, user, user.display_name, PASSWORD, evaluation.edit_version)
    db.session.commit()


def fully_signed(scene: Scene) -> Evaluation:
    evaluation = schedule(scene)
    fill(evaluation, EVALUATOR, overall="Steady growth over the term.")
    fill(evaluation, SELF, overall="I rush less than I did.")
    sign_as(evaluation, scene.supervisor)
    sign_as(evaluation, scene.supervisee)
    return evaluation


def days_ago(days: int) -> date:
    return utcnow().date() - timedelta(days=days)
