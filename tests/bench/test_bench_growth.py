"""Benchmarks of the growth pages (`make bench`): the query count of one request is the same
for a supervisee with one released review in one group and one with many in several groups."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from test_bench_pages import QUOTE, _compare, _review_input, _shared_case, _shows, _signed_in

from supervision.annotations import services as annotations
from supervision.annotations.services import section_texts
from supervision.cases.services import close_case, revision_by_number
from supervision.extensions import db
from supervision.growth.series import WINDOW
from supervision.growth.services import set_growth_share
from supervision.models import Group, GroupKind, Role, User
from supervision.reviews.services import (
    release_review,
    save_citations,
    save_review,
    start_review,
    submit_review,
)
from supervision.self_assessment.services import start_self_assessment, submit_self_assessment

pytestmark = pytest.mark.bench


def _growth_scene(
    app: Flask,
    make_user: Callable[..., User],
    make_group: Callable[..., Group],
    groups: int,
    cases: int,
    tag: str,
) -> tuple[User, User]:
    """A supervisee with ``cases`` closed cases per group, each scored by two supervisors (one
    level citing an annotation) and released, one shared case waiting for an answer per group,
    and their growth shared with the first supervisor in every group."""
    author = make_user(f"Alex {tag}")
    first, second = make_user(f"Sam {tag}"), make_user(f"Kim {tag}")
    with app.test_request_context():
        for number in range(groups):
            group = make_group(
                GroupKind.SUPERVISION,
                {
                    make_user(): Role.FACILITATOR,
                    first: Role.SUPERVISOR,
                    second: Role.SUPERVISOR,
                    author: Role.SUPERVISEE,
                },
            )
            for n in range(cases):
                case = _shared_case(group, author, f"Case {tag}{number}-{n}")
                text = section_texts(revision_by_number(case, 1))["moment"]
                start = text.index(QUOTE)
                annotation = annotations.create_annotation(
                    case, first, 1, "moment", start, start + len(QUOTE), QUOTE, "Look here."
                )
                for reviewer, level in ((first, 1 + n % 5), (second, 1 + (n + 1) % 5)):
                    review = start_review(case, reviewer)
                    save_review(review, _review_input(review, {"boundaries": level}))
                    save_citations(review, {"boundaries": [annotation]})
                    submit_review(review)
                    release_review(review)
                close_case(case)
            waiting = _shared_case(group, author, f"Waiting {tag}{number}")
            text = section_texts(revision_by_number(waiting, 1))["moment"]
            start = text.index(QUOTE)
            annotations.create_annotation(
                waiting, first, 1, "moment", start, start + len(QUOTE), QUOTE, "Answer me."
            )
            set_growth_share(author, group, first.id, True)
        db.session.commit()
    return author, first


def test_bench_growth_pages(benchmark, app, make_user, make_group) -> None:
    few_author, few_supervisor = _growth_scene(app, make_user, make_group, 1, 1, "S")
    many_author, many_supervisor = _growth_scene(app, make_user, make_group, 3, 6, "L")
    small, large = "1 case in 1 group", "18 cases in 3 groups"
    pages: dict[str, Callable[[User], str]] = {
        "growth page": lambda author: "/growth",
        "growth chart": lambda author: f"/growth/people/{author.id}/boundaries.svg",
        "growth sharing": lambda author: "/growth/sharing",
    }
    few_client, many_client = _signed_in(app, few_author), _signed_in(app, many_author)
    for label, path in pages.items():
        _compare(
            benchmark,
            label,
            (small, few_client, path(few_author)),
            (large, many_client, path(many_author)),
        )
    shared = lambda author: f"/growth/people/{author.id}"  # noqa: E731
    _compare(
        benchmark,
        "growth page shared with a supervisor",
        (small, _signed_in(app, few_supervisor), shared(few_author)),
        (large, _signed_in(app, many_supervisor), shared(many_author)),
    )
    # 36 released reviews: the page shows the latest window of them, each citing one passage.
    shown = min(36, WINDOW)
    assert _shows(many_client, "/growth", r"<td><a href=\"/cases/\d+\?revision=1\">") >= shown
    assert _shows(many_client, "/growth", r"#annotation-\d+\">") >= shown + 3
    benchmark(lambda: many_client.get("/growth"))


def _self_scene(
    app: Flask, make_user: Callable[..., User], make_group: Callable[..., Group], reviewers: int
) -> tuple[User, int]:
    """An author's submitted self-assessment of a revision that ``reviewers`` reviewed and
    released; the author and the case id."""
    author = make_user()
    people = [make_user() for _ in range(reviewers)]
    with app.test_request_context():
        group = make_group(
            GroupKind.SUPERVISION,
            {make_user(): Role.FACILITATOR, author: Role.SUPERVISEE}
            | dict.fromkeys(people, Role.SUPERVISOR),
        )
        case = _shared_case(group, author, "Scored by me")
        own = start_self_assessment(case, author)
        submit_self_assessment(own, {s.criterion_key: 3 for s in own.scores})
        for n, reviewer in enumerate(people):
            review = start_review(case, reviewer)
            save_review(review, _review_input(review, {"boundaries": 1 + n % 5}))
            submit_review(review)
            release_review(review)
        db.session.commit()
        return author, case.id


def test_bench_self_assessment_page(benchmark, app, make_user, make_group) -> None:
    few, few_case = _self_scene(app, make_user, make_group, 1)
    many, many_case = _self_scene(app, make_user, make_group, 6)
    client = _signed_in(app, many)
    _compare(
        benchmark,
        "self-assessment beside the reviews",
        ("1 released review", _signed_in(app, few), f"/cases/{few_case}/self-assessment"),
        ("6 released reviews", client, f"/cases/{many_case}/self-assessment"),
    )
    path = f"/cases/{many_case}/self-assessment"
    assert _shows(client, path, r"Person \d+: (?:\d|not visible)") == 6 * 7  # 6 reviews, 7 criteria
    benchmark(lambda: client.get(path))
