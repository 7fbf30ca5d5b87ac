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
from supervision.models import GroupKind, Role

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


@pytest.mark.parametrize("size", [10, 200])
def test_bench_group_case_list(benchmark, app, client, make_user, make_group, size) -> None:
    _, supervisor, group, _ = _world(make_user, make_group, size)
    post(client, "/login", {"email": supervisor.email, "password": PASSWORD})
    path = f"/groups/{group.id}/cases"
    benchmark.extra_info["queries"] = _queries(client, path)
    benchmark(lambda: client.get(path))
    assert benchmark.extra_info["queries"] <= 15


@pytest.mark.parametrize("revisions", [1, 20])
def test_bench_case_page(benchmark, app, client, make_user, make_group, revisions) -> None:
    _, supervisor, _, cases = _world(make_user, make_group, 1, revisions)
    post(client, "/login", {"email": supervisor.email, "password": PASSWORD})
    path = f"/cases/{cases[0].id}"
    benchmark.extra_info["queries"] = _queries(client, path)
    benchmark(lambda: client.get(path))
    assert benchmark.extra_info["queries"] <= 20


def test_bench_scanner_throughput(benchmark) -> None:
    dev = Path(__file__).resolve().parents[3] / "shared" / "deid" / "dev.jsonl"
    text = dev.read_text(encoding="utf-8")
    benchmark.extra_info["characters"] = len(text)
    benchmark(scan, text)
