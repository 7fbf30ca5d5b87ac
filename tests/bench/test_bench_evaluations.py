"""Benchmarks of the evaluation pages (`make bench`): the query count of one request is the same
for a group with one evaluation (and one released review as evidence) and one with many."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from test_bench_pages import _compare, _review_input, _shared_case, _shows, _signed_in

from supervision.evaluations.services import (
    EVALUATOR,
    SELF,
    PartInput,
    ScheduleInput,
    default_rubric_version,
    save_part,
    schedule_evaluation,
)
from supervision.evaluations.supervisor import write_supervisor_evaluation
from supervision.extensions import db
from supervision.models import EvaluationKind, Group, GroupKind, Role, User
from supervision.models.types import utcnow
from supervision.reviews.services import release_review, save_review, start_review, submit_review

pytestmark = pytest.mark.bench

ANSWERS = {"availability": 4, "clarity": 4, "safety": 5, "goals": 3, "respect": 5}


def _evaluation_scene(
    app: Flask,
    make_user: Callable[..., User],
    make_group: Callable[..., Group],
    supervisees: int,
    reviewers: int,
    tag: str,
) -> tuple[User, User, int, int]:
    """A group where each supervisee has a case released by ``reviewers`` supervisors, an
    evaluation with both parts ready, and an evaluation of the first supervisor (shared).
    The facilitator, the first supervisee, the group id and the first evaluation id."""
    facilitator = make_user(f"Rosa {tag}")
    people = [make_user(f"Sam {tag}{n}") for n in range(reviewers)]
    trainees = [make_user(f"Amara {tag}{n}") for n in range(supervisees)]
    today = utcnow().date()
    with app.test_request_context():
        group = make_group(
            GroupKind.SUPERVISION,
            {facilitator: Role.FACILITATOR}
            | dict.fromkeys(people, Role.SUPERVISOR)
            | dict.fromkeys(trainees, Role.SUPERVISEE),
        )
        first_id = 0
        for trainee in trainees:
            case = _shared_case(group, trainee, f"Case {tag} {trainee.id}")
            for n, reviewer in enumerate(people):
                review = start_review(case, reviewer)
                save_review(review, _review_input(review, {"boundaries": 1 + n % 5}))
                submit_review(review)
                release_review(review)
            data = ScheduleInput(
                trainee.id,
                people[0].id,
                EvaluationKind.MIDTERM,
                "",
                today - timedelta(days=30),
                today,
                today + timedelta(days=3),
                default_rubric_version(group).id,
            )
            evaluation = schedule_evaluation(group, facilitator, data)
            for side in (EVALUATOR, SELF):
                levels = {s.criterion_key: "3" for s in evaluation.scores}
                save_part(
                    evaluation, side, PartInput(levels, {}, "", True), evaluation.edit_version
                )
            write_supervisor_evaluation(group, trainee, people[0].id, ANSWERS, "", True)
            first_id = first_id or evaluation.id
        db.session.commit()
        return facilitator, trainees[0], group.id, first_id


def test_bench_evaluation_pages(benchmark, app, make_user, make_group) -> None:
    few = _evaluation_scene(app, make_user, make_group, 1, 1, "S")
    many = _evaluation_scene(app, make_user, make_group, 8, 6, "L")
    small, large = "1 evaluation, 1 review", "8 evaluations, 6 reviews each"
    clients = {
        "facilitator": (_signed_in(app, few[0]), _signed_in(app, many[0])),
        "supervisee": (_signed_in(app, few[1]), _signed_in(app, many[1])),
    }
    for who, (few_client, many_client) in clients.items():
        _compare(
            benchmark,
            f"evaluations list, as the {who}",
            (small, few_client, f"/groups/{few[2]}/evaluations"),
            (large, many_client, f"/groups/{many[2]}/evaluations"),
        )
        _compare(
            benchmark,
            f"one evaluation beside its evidence, as the {who}",
            (small, few_client, f"/evaluations/{few[3]}"),
            (large, many_client, f"/evaluations/{many[3]}"),
        )
    facilitator = clients["facilitator"][1]
    assert _shows(facilitator, f"/groups/{many[2]}/evaluations", r"/evaluations/\d+\"") == 8
    # 6 reviews, each listed under 7 criteria
    assert _shows(facilitator, f"/evaluations/{many[3]}", r"\?revision=1\">") == 6 * 7
    benchmark(lambda: facilitator.get(f"/groups/{many[2]}/evaluations"))
