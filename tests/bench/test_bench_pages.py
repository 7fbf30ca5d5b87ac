"""Benchmarks (`make bench`): page times and SQL query counts as the data grows.

Not run by `make test`. Each benchmark also records how many SQL statements one request issues
at two data sizes, in ``extra_info``, and fails if the count grows with the data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import PASSWORD, post
from sqlalchemy import event

from supervision.cases.gate import share_case
from supervision.cases.sections import CHECKLIST_KEYS
from supervision.cases.services import create_case, save_case
from supervision.deid import scan
from supervision.extensions import db
from supervision.models import GroupKind, Membership, Role

pytestmark = pytest.mark.bench

SECTIONS = {
    "context": "Third session of twelve, short-term counselling in a community service.",
    "client": "The client is a woman in her thirties who cares for a parent.",
    "moment": "She went quiet after I named the pattern, then changed the subject. " * 20,
    "reactions": "I felt I had rushed her and wanted to make it right at once.",
    "question": "How could I have paced this differently?",
}


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _world(make_user: Callable, make_group: Callable, cases: int, revisions: int = 1):  # type: ignore[no-untyped-def]
    author, supervisor = make_user(), make_user()
    group = make_group(
        GroupKind.SUPERVISION, {author: Role.SUPERVISEE, supervisor: Role.FACILITATOR}
    )
    made = []
    for number in range(cases):
        case = create_case(group, author, f"Case {number}", SECTIONS)
        share_case(case, author, sorted(CHECKLIST_KEYS), "Changed age and occupation.")
        for _ in range(revisions - 1):
            save_case(case, author, f"Case {number}", SECTIONS, case.edit_version)
            share_case(case, author, sorted(CHECKLIST_KEYS), "Changed age.")
        made.append(case)
    db.session.commit()
    return author, supervisor, group, made


def _queries(client, path: str) -> int:  # type: ignore[no-untyped-def]
    with counting_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_bench_group_case_list(benchmark, app, client, make_user, make_group) -> None:
    author, supervisor, group, _ = _world(make_user, make_group, 10)
    post(client, "/login", {"email": supervisor.email, "password": PASSWORD})
    path = f"/groups/{group.id}/cases"
    small = _queries(client, path)
    for number in range(190):
        case = create_case(group, author, f"More {number}", SECTIONS)
        share_case(case, author, sorted(CHECKLIST_KEYS), "Changed age.")
    db.session.commit()
    large = _queries(client, path)
    benchmark.extra_info.update(queries_10_cases=small, queries_200_cases=large)
    print(f"\ngroup case list: {small} queries with 10 cases, {large} with 200")
    assert small == large
    benchmark(lambda: client.get(path))


def test_bench_case_page(benchmark, app, client, make_user, make_group) -> None:
    _, supervisor, _, cases = _world(make_user, make_group, 1, 1)
    _, _, _, revised = _world(make_user, make_group, 1, 20)
    post(client, "/login", {"email": supervisor.email, "password": PASSWORD})
    one = _queries(client, f"/cases/{cases[0].id}")
    db.session.execute(
        db.update(Membership)
        .where(Membership.user_id == supervisor.id)
        .values(group_id=revised[0].group_id)
    )
    db.session.commit()
    twenty = _queries(client, f"/cases/{revised[0].id}")
    benchmark.extra_info.update(queries_1_revision=one, queries_20_revisions=twenty)
    print(f"\ncase page: {one} queries with 1 revision, {twenty} with 20")
    assert one == twenty
    benchmark(lambda: client.get(f"/cases/{revised[0].id}"))


def test_bench_scanner_throughput(benchmark) -> None:
    dev = Path(__file__).resolve().parents[3] / "shared" / "deid" / "dev.jsonl"
    text = dev.read_text(encoding="utf-8")
    benchmark.extra_info["characters"] = len(text)
    benchmark(scan, text)
