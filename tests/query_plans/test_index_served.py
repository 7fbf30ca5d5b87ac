"""Every list query a key page issues is served by an index (issue 13), checked with EXPLAIN.

Each page in ``PAGES`` is requested as its persona while every SELECT it issues is recorded
with its parameters. Each statement is then explained: on PostgreSQL (the real check) inside a
transaction with ``SET LOCAL enable_seqscan = off`` (and nested-loop joins only), so on this
small data the planner still takes an index whenever one can serve the query. Then:

- a ``Seq Scan`` left on one of the big tables, or an index walked whole (no ``Index Cond``),
  means no index fits that query;
- a ``Limit`` over a ``Sort`` of a big table means the page sorts every matching row instead
  of reading one page from an index in its order.

On SQLite a bare ``SCAN <big table>`` in ``EXPLAIN QUERY PLAN`` is the same sign as the first.

To add a page: one entry in ``PAGES`` (persona from ``routes_world.PRINCIPALS``, URL built from
the world). A statement that may scan needs an entry in ``EXCEPTIONS`` with its reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from routes_world import World, build_world
from sqlalchemy import event
from support import sign_in

from supervision.extensions import db
from supervision.pagination import encode_cursor

# Tables that grow with use: a full read of any of them is what a page must never need.
BIG_TABLES = {
    "annotation_anchors",
    "annotation_replies",
    "annotation_responses",
    "annotations",
    "audit_entries",
    "case_flags",
    "case_revisions",
    "cases",
    "evaluations",
    "meeting_attendees",
    "meeting_cases",
    "meetings",
    "memberships",
    "notifications",
    "post_edits",
    "posts",
    "review_discrepancies",
    "review_scores",
    "reviews",
    "score_evidence",
    "thread_reads",
    "threads",
    "users",
}


@dataclass(frozen=True)
class Page:
    persona: str  # a key of World.users
    url: Callable[[World], str]


def _after(item: Any, *columns: str) -> str:
    return encode_cursor([getattr(item, column) for column in columns])


PAGES: dict[str, Page] = {
    "groups.index": Page("supervisee", lambda w: "/groups/"),
    "groups.home": Page("facilitator", lambda w: f"/groups/{w.group.id}"),
    "cases.group_list": Page("supervisee", lambda w: f"/groups/{w.group.id}/cases"),
    "cases.group_list (facilitator)": Page("facilitator", lambda w: f"/groups/{w.group.id}/cases"),
    "cases.group_list (older)": Page(
        "other_supervisee",
        lambda w: (
            f"/groups/{w.group.id}/cases?after=" + _after(w.cases["shared"], "updated_at", "id")
        ),
    ),
    "cases.group_list (status)": Page(
        "supervisee", lambda w: f"/groups/{w.group.id}/cases?status=shared"
    ),
    "cases.group_list (author)": Page(
        "facilitator",
        lambda w: f"/groups/{w.group.id}/cases?author={w.users['supervisee'].id}",
    ),
    "cases.my_cases": Page("supervisee", lambda w: "/cases/mine"),
    "cases.my_cases (newer)": Page(
        "supervisee",
        lambda w: "/cases/mine?before=" + _after(w.cases["shared"], "updated_at", "id"),
    ),
    "cases.my_cases (oldest)": Page("supervisee", lambda w: "/cases/mine?at=last"),
    "notifications.index": Page("other_supervisee", lambda w: "/notifications"),
    "notifications.index (older)": Page(
        "other_supervisee",
        lambda w: "/notifications?after=" + _after(w.notification, "created_at", "id"),
    ),
    "growth.mine": Page("supervisee", lambda w: "/growth"),
    "growth.show": Page("supervisor", lambda w: f"/growth/people/{w.users['supervisee'].id}"),
    "desk.index": Page("supervisor", lambda w: "/desk/"),
    "meetings.group_list": Page("supervisee", lambda w: f"/groups/{w.group.id}/meetings"),
    "meetings.group_list (facilitator)": Page(
        "facilitator", lambda w: f"/groups/{w.group.id}/meetings"
    ),
    "meetings.hours": Page("supervisee", lambda w: "/meetings/hours"),
    "meetings.supervising": Page("supervisor", lambda w: "/meetings/supervising"),
    "evaluations.index": Page("supervisee", lambda w: f"/groups/{w.group.id}/evaluations"),
    "reviews.index": Page("supervisor", lambda w: f"/cases/{w.cases['shared'].id}/reviews/list"),
    "agreements.group_list": Page("facilitator", lambda w: f"/groups/{w.group.id}/agreements"),
    "audit.group_index": Page("facilitator", lambda w: f"/groups/{w.group.id}/audit"),
    "audit.my_reads": Page("supervisee", lambda w: "/account/reads"),
    "audit.admin_index": Page("site_admin", lambda w: "/admin/audit"),
    "emergency.index": Page("site_admin", lambda w: "/admin/emergency"),
    "emergency.group_grants": Page(
        "facilitator", lambda w: f"/groups/{w.group.id}/emergency-access"
    ),
    "discussions.index": Page("supervisee", lambda w: f"/groups/{w.group.id}/discussions"),
    "discussions.index (older)": Page(
        "supervisee",
        lambda w: f"/groups/{w.group.id}/discussions?after={w.threads['locked'].id}",
    ),
    "discussions.index (newer)": Page(
        "facilitator",
        lambda w: f"/groups/{w.group.id}/discussions?before={w.threads['gated'].id}",
    ),
    "discussions.show": Page("supervisee", lambda w: f"/discussions/{w.threads['open'].id}"),
    "discussions.show (facilitator)": Page(
        "facilitator", lambda w: f"/discussions/{w.threads['open'].id}"
    ),
    "discussions.show (page)": Page(
        "supervisee", lambda w: f"/discussions/{w.threads['open'].id}?page=1"
    ),
    "discussions.show (after)": Page(
        "supervisee",
        lambda w: f"/discussions/{w.threads['open'].id}?after={w.posts['reply'].id}",
    ),
    "discussions.show (before)": Page(
        "supervisee",
        lambda w: f"/discussions/{w.threads['open'].id}?before={w.posts['hidden'].id}",
    ),
    "cases.show": Page("supervisor", lambda w: f"/cases/{w.cases['shared'].id}"),
    "cases.show (author)": Page("supervisee", lambda w: f"/cases/{w.cases['shared'].id}"),
}

# (page, a regular expression the statement matches) -> why it may scan a big table.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("desk.index", r"NOT \(EXISTS \(SELECT reviews\.id"): (
        "Cases waiting for my review span all my groups: no one index orders cases across"
        " several groups, so the shared cases of my groups (found by index, bounded by their"
        " size, not the platform's) are sorted for the first 21."
    ),
    ("desk.index", r"FROM review_discrepancies"): (
        "Discrepancies to settle, newest case first: the filter is my review of the revision"
        " and my membership, the order the case; the rows sorted are the kept discrepancies"
        " of the revisions I reviewed in my groups (found by ix_memberships_user_id,"
        " ix_cases_group_status_updated, the reviews' and discrepancies' keys), bounded by my"
        " own reviewing, not the platform's, for the first 21."
    ),
    ("desk.index", r"JOIN annotation_responses"): (
        "My answered annotations, newest answer first: the order is the response's time, the"
        " filter the annotation's author, two tables; the rows sorted are one person's"
        " annotations with an open answer, found by index."
    ),
    ("growth.mine", r"ORDER BY reviews\.released_at DESC, reviews\.id DESC"): (
        "One supervisee's released reviews, newest first: the filter is the case's author,"
        " the order the review's release, two tables; the rows sorted are one person's"
        " released reviews (found by ix_cases_author_updated and ix_reviews_case_id), bounded"
        " by their own work, not the platform's, for one window (25) or the latest feedback (10)."
    ),
    ("growth.show", r"ORDER BY reviews\.released_at DESC, reviews\.id DESC"): (
        "One supervisee's released reviews, newest first: the filter is the case's author,"
        " the order the review's release, two tables; the rows sorted are one person's"
        " released reviews (found by ix_cases_author_updated and ix_reviews_case_id), bounded"
        " by their own work, not the platform's, for one window (25) or the latest feedback (10)."
    ),
    ("meetings.hours", r"ORDER BY meetings\.held_on( DESC)?, meetings\.id"): (
        "One supervisee's meetings in the period, signed newest first or awaiting oldest"
        " first: the filter is the attendee, the order the meeting's day, two tables; the rows"
        " sorted are the meetings one person attended in the period (found by"
        " ix_meeting_attendees_user_id), bounded by their own supervision, not the platform's,"
        " for one page (25) or the awaiting list (20)."
    ),
    ("growth.mine", r"ORDER BY annotations\.created_at, annotations\.id"): (
        "Annotations waiting for my answer, oldest first: the filter is the case's author, the"
        " order the annotation's time; the rows sorted are others' unanswered annotations on"
        " one person's cases, found by index, for the first 21."
    ),
}


@contextmanager
def recorded_selects() -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if not executemany and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _driving_relation(plan: dict[str, Any]) -> str | None:
    """The table whose rows a plan's output is made of: the leaf down the outer side (joined
    tables on the inner side are looked up once per row)."""
    while plan.get("Plans") and "Relation Name" not in plan:  # a scan's children are subplans
        children = plan["Plans"]
        plan = next((c for c in children if c.get("Parent Relationship") == "Outer"), children[0])
    return plan.get("Relation Name")


# Nodes that pass rows through as they come: under a Limit they stop when the page is full.
_STREAMING = {"Limit", "Nested Loop", "Result", "Memoize", "Unique", "Subquery Scan"}


def _postgres_problems(plan: dict[str, Any], paged: bool = False) -> list[str]:
    """``paged``: the node's rows feed a LIMIT directly, so an ordered index walk stops early."""
    problems = []
    relation = plan.get("Relation Name")
    kind = plan["Node Type"]
    if kind == "Limit":
        # A page (LIMIT) over a sort reads and sorts every matching row: an index in the
        # ORDER BY's order lets the LIMIT stop after a page.
        for child in plan.get("Plans", []):
            if child["Node Type"] == "Sort" and _driving_relation(child) in BIG_TABLES:
                problems.append(f"LIMIT over a Sort of {_driving_relation(child)}")
    if relation in BIG_TABLES:
        if kind == "Seq Scan":
            problems.append(f"Seq Scan on {relation}")
        # An index walked whole: fine newest first with nothing to skip (ORDER BY seq DESC
        # LIMIT n reads one page); a walk that filters rows out may read the table to fill it.
        elif (
            kind in {"Index Scan", "Index Only Scan"}
            and "Index Cond" not in plan
            and (not paged or "Filter" in plan)
        ):
            problems.append(f"whole index {plan.get('Index Name')} walked on {relation}")
    for child in plan.get("Plans", []):
        outer = child.get("Parent Relationship") in {"Outer", None}
        child_paged = (kind == "Limit" or paged) and kind in _STREAMING and outer
        problems.extend(_postgres_problems(child, child_paged))
    return problems


def plan_problems(statement: str, parameters: Any) -> tuple[list[str], str]:
    """What in the statement's plan reads a big table whole, and the plan as text."""
    with db.engine.connect() as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            # Nested loops only: at scale a join reaches the other table through an index; on
            # tiny data a merge or hash join that reads it whole would hide whether one exists.
            for setting in ("enable_seqscan", "enable_mergejoin", "enable_hashjoin"):
                conn.exec_driver_sql(f"SET LOCAL {setting} = off")
            rows = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters)
            plan = rows.scalar_one()
            plan = json.loads(plan) if isinstance(plan, str) else plan
            return _postgres_problems(plan[0]["Plan"]), json.dumps(plan[0]["Plan"], indent=1)
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
        details = [row[-1] for row in rows]
        # As on PostgreSQL, a table walked in its key's order under a LIMIT with nothing
        # filtered (the newest page of a log) reads one page, not the table.
        if (
            "WHERE" not in statement
            and "LIMIT" in statement
            and not any("TEMP B-TREE" in detail for detail in details)
        ):
            return [], "\n".join(details)
        problems = [
            detail
            for detail in details
            if (match := re.fullmatch(r"SCAN (\w+)(?: AS \w+)?", detail))
            and match.group(1) in BIG_TABLES
        ]
        return problems, "\n".join(details)


def _excused(page: str, statement: str) -> bool:
    return any(name == page and re.search(pattern, statement) for name, pattern in EXCEPTIONS)


def unserved_queries(app: Flask, world: World, pages: dict[str, Page]) -> list[str]:
    failures = []
    for name, page in pages.items():
        client = app.test_client()
        sign_in(client, world.users[page.persona])
        with recorded_selects() as statements:
            response = client.get(page.url(world))
        assert response.status_code == 200, (name, response.status_code)
        for statement, parameters in statements:
            if _excused(name, statement):
                continue
            problems, plan = plan_problems(statement, parameters)
            if problems:
                failures.append(f"{name}: {problems}\n{statement}\n{parameters}\n{plan}")
    return failures


@pytest.fixture()
def world(app: Flask, make_user, make_group) -> World:  # type: ignore[no-untyped-def]
    return build_world(make_user, make_group)


def test_every_list_query_of_the_key_pages_is_served_by_an_index(app: Flask, world: World):
    failures = unserved_queries(app, world, PAGES)
    assert not failures, "\n\n".join(failures)


def test_a_query_no_index_serves_is_caught(app: Flask, world: World):
    # The check itself can fail: a filter on a column no index has must show as a full read.
    problems, plan = plan_problems(
        "SELECT id FROM posts WHERE body = 'x' ORDER BY id DESC LIMIT 5", {}
    )
    assert problems, plan
