"""Benchmark (`make bench`): the calibration page's query count does not grow with the rounds,
raters and criteria (2 rounds of 3 raters against 12 rounds of 8)."""

from __future__ import annotations

from typing import Any

import pytest
from support import CLEAN_SECTIONS, pass_gate, supervision_group
from test_bench_pages import _compare, _shows, _signed_in

from supervision.calibration.services import GoldInput, create_calibration_vignette, save_gold
from supervision.extensions import db
from supervision.models import Group, User
from supervision.reviews.services import (
    ReviewInput,
    ScoreInput,
    save_review,
    start_review,
    submit_review,
)

pytestmark = pytest.mark.bench


def _group(make_user: Any, make_group: Any, rounds: int, raters: int) -> tuple[Group, User, User]:
    facilitator = make_user()
    people = [make_user() for _ in range(raters)]
    group = supervision_group(make_group, facilitator, people, [make_user()])
    for number in range(rounds):
        case = create_calibration_vignette(group, facilitator, f"Round {number}", CLEAN_SECTIONS)
        pass_gate(case, facilitator, commit=False)
        save_gold(case, facilitator, {"boundaries": GoldInput(3), "pacing": GoldInput(2)})
        for index, rater in enumerate(people):
            review = start_review(case, rater)
            scores = {
                s.criterion_key: ScoreInput(level=1 + (index + number + p) % 5, evidence="R.")
                for p, s in enumerate(review.scores)
            }
            save_review(review, ReviewInput(scores, "Scored."))
            submit_review(review)
    db.session.commit()
    return group, facilitator, people[0]


def test_bench_calibration_report(
    benchmark: Any, app: Any, make_user: Any, make_group: Any
) -> None:
    few, few_facilitator, few_rater = _group(make_user, make_group, 2, 3)
    many, many_facilitator, many_rater = _group(make_user, make_group, 12, 8)
    for who, small_user, large_user in (
        ("facilitator", few_facilitator, many_facilitator),
        ("rater", few_rater, many_rater),
    ):
        _compare(
            benchmark,
            f"calibration report as a {who}",
            ("2 rounds of 3 raters", _signed_in(app, small_user), f"/groups/{few.id}/calibration"),
            (
                "12 rounds of 8 raters",
                _signed_in(app, large_user),
                f"/groups/{many.id}/calibration",
            ),
        )
    client = _signed_in(app, many_facilitator)
    path = f"/groups/{many.id}/calibration"
    assert _shows(client, path, r'<a href="/cases/\d+">Round \d+</a>') == 12
    benchmark(lambda: client.get(path))
