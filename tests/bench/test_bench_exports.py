"""Benchmarks of the exports (`make bench`): the portfolio page (it builds every section, as the
download does) and each group report cost the same number of queries for one case in one group
as for many cases in several groups."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from test_bench_pages import QUOTE, _compare, _review_input, _shared_case, _signed_in

from supervision.annotations import services as annotations
from supervision.annotations.services import reply, section_texts
from supervision.cases.services import revision_by_number
from supervision.extensions import db
from supervision.models import Group, GroupKind, Role, User
from supervision.reviews.services import release_review, save_review, start_review, submit_review

pytestmark = pytest.mark.bench


def _scene(
    app: Flask,
    make_user: Callable[..., User],
    make_group: Callable[..., Group],
    groups: int,
    cases: int,
    tag: str,
) -> tuple[User, User, int]:
    """A supervisee with ``cases`` shared cases per group, each annotated (with a reply) and
    reviewed by two supervisors and released. The author, the first group's facilitator and
    that group's id."""
    author = make_user(f"Alex {tag}")
    first, second = make_user(f"Sam {tag}"), make_user(f"Kim {tag}")
    facilitators = []
    with app.test_request_context():
        for number in range(groups):
            facilitator = make_user(f"Fran {tag}{number}")
            facilitators.append(facilitator)
            group = make_group(
                GroupKind.SUPERVISION,
                {
                    facilitator: Role.FACILITATOR,
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
                reply(annotation, second, "Agreed.")
                for reviewer, level in ((first, 1 + n % 5), (second, 1 + (n + 1) % 5)):
                    review = start_review(case, reviewer)
                    save_review(review, _review_input(review, {"boundaries": level}))
                    submit_review(review)
                    release_review(review)
            if number == 0:
                first_group = group.id
        db.session.commit()
    return author, facilitators[0], first_group


def test_bench_exports(benchmark, app, make_user, make_group) -> None:
    few_author, few_facilitator, few_group = _scene(app, make_user, make_group, 1, 1, "S")
    many_author, many_facilitator, many_group = _scene(app, make_user, make_group, 3, 6, "L")
    small, large = "1 case in 1 group", "18 cases in 3 groups"
    many_client = _signed_in(app, many_author)
    _compare(
        benchmark,
        "portfolio page",
        (small, _signed_in(app, few_author), "/account/portfolio"),
        (large, many_client, "/account/portfolio"),
    )
    few_reports, many_reports = _signed_in(app, few_facilitator), _signed_in(app, many_facilitator)
    for key in ("members", "reviews"):
        _compare(
            benchmark,
            f"group report {key}",
            ("1 case", few_reports, f"/groups/{few_group}/reports/{key}.csv"),
            ("6 cases", many_reports, f"/groups/{many_group}/reports/{key}.csv"),
        )
    page = many_client.get("/account/portfolio").get_data(as_text=True)
    assert '<th scope="row">Cases</th>\n            <td>18</td>' in page
    assert '<th scope="row">Feedback</th>\n            <td>54</td>' in page  # 36 + 18
    benchmark(lambda: many_client.get("/account/portfolio"))
