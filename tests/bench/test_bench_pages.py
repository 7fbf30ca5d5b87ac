"""Benchmarks (`make bench`): page times and SQL query counts as the data grows.

Not run by `make test`. Each benchmark also records how many SQL statements one request issues
at two data sizes, in ``extra_info``, and fails if the count grows with the data: pages must
issue a bounded number of queries whatever the data size. When the counts differ, the failure
lists the statements that ran more often with more data (the N+1).
"""

from __future__ import annotations

import html
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from conftest import PASSWORD, csrf_token, post
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select, update
from support import pass_gate

from supervision.annotations import services as annotations
from supervision.annotations.panel import CHUNK
from supervision.cases.gate import share_case
from supervision.cases.privacy import flag_case
from supervision.cases.sections import CHECKLIST_KEYS
from supervision.cases.services import (
    close_case,
    create_case,
    save_case,
)
from supervision.discussions import services as discussions
from supervision.discussions.case_threads import case_thread
from supervision.extensions import db
from supervision.groups.services import invite
from supervision.models import (
    Annotation,
    AnnotationVisibility,
    Case,
    Group,
    GroupKind,
    Notification,
    NotificationEvent,
    Post,
    ResponseKind,
    Review,
    Role,
    Rubric,
    Thread,
    User,
)
from supervision.models.rubric import LEVELS
from supervision.models.types import utcnow
from supervision.notifications.services import notify
from supervision.reviews.services import (
    ReviewInput,
    ScoreInput,
    add_reconciliation_note,
    record_consensus,
    release_review,
    save_citations,
    save_review,
    start_review,
    submit_review,
)
from supervision.rubrics.schema import CriterionData
from supervision.rubrics.services import (
    builtin_rubric,
    choose_rubric,
    default_rubric_data,
    latest_published,
    new_draft_version,
    publish_version,
    update_draft,
)

pytestmark = pytest.mark.bench

SECTIONS = {
    "context": "Third session of twelve, short-term counselling in a community service.",
    "client": "The client is a woman in her thirties who cares for a parent.",
    "moment": "She went quiet after I named the pattern, then changed the subject. " * 20,
    "reactions": "I felt I had rushed her and wanted to make it right at once.",
    "question": "How could I have paced this differently?",
}
QUOTE = "named the pattern"  # appears 20 times in "moment": each annotation takes its own one
EVIDENCE = "She went quiet after I named the pattern, then changed the subject."
FIRST_NAMES = (
    "Ada", "Bea", "Cai", "Dov", "Eli", "Fay", "Gus", "Hal", "Ida", "Jon", "Kai", "Lea",
    "Max", "Nia", "Oli", "Pia", "Quy", "Rex", "Sia", "Tom", "Uma", "Vic", "Wes", "Xia",
)  # fmt: skip


# -- counting -------------------------------------------------------------------------------------


# Flask-Session deletes expired sessions on a random one request in 201 (cleanup_n_requests in
# supervision/sessions.py): housekeeping, not what the page costs, so it is not counted.
SESSION_CLEANUP = "DELETE FROM server_sessions WHERE server_sessions.expiry"


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if not " ".join(statement.split()).startswith(SESSION_CLEANUP):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _queries(client, path: str) -> int:  # type: ignore[no-untyped-def]
    with counting_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def _statements(client: FlaskClient, path: str) -> list[str]:
    with counting_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return statements


def _shape(statement: str) -> str:
    """A statement with its IN lists and whitespace folded, so equal queries compare equal."""
    statement = re.sub(r"\(__\[POSTCOMPILE_\w+\]\)|\((?:\?, )*\?\)", "(...)", statement)
    return " ".join(statement.split())


def _growth(small: list[str], large: list[str]) -> str:
    """The statements that ran a different number of times at the two sizes."""
    few, many = Counter(map(_shape, small)), Counter(map(_shape, large))
    lines = [
        f"{few[shape]} -> {many[shape]}: {shape[:400]}"
        for shape in sorted(few.keys() | many.keys())
        if few[shape] != many[shape]
    ]
    return "\n".join(lines) or "the same statements, in another order"


def _compare(
    benchmark: Any,
    label: str,
    small: tuple[str, FlaskClient, str],
    large: tuple[str, FlaskClient, str],
) -> tuple[int, int]:
    """Count one request's statements at both sizes, report them, and fail if they differ.

    Each page is requested once before counting: the first request in a fresh database does
    one-off work (the built-in rubric is created, a first read mark is inserted, and so on) that
    is not what the page costs, and both sizes must be measured in the same state.
    """
    (small_name, small_client, small_path), (large_name, large_client, large_path) = small, large
    small_client.get(small_path)
    large_client.get(large_path)
    few = _statements(small_client, small_path)
    many = _statements(large_client, large_path)
    if os.environ.get("BENCH_SHOW_SQL"):  # BENCH_SHOW_SQL=1 make bench: every statement
        print(f"\n-- {label}, {large_name}:\n" + "\n".join(map(_shape, many)))
    slug = label.replace(" ", "_").replace("'", "")
    benchmark.extra_info.update(
        {
            f"{slug}_queries_{small_name.replace(' ', '_')}": len(few),
            f"{slug}_queries_{large_name.replace(' ', '_')}": len(many),
        }
    )
    print(f"\n{label}: {len(few)} queries with {small_name}, {len(many)} with {large_name}")
    assert len(few) == len(many), f"{label}: {len(few)} != {len(many)}\n{_growth(few, many)}"
    return len(few), len(many)


def _shows(client: FlaskClient, path: str, pattern: str) -> int:
    """How often ``pattern`` occurs in the page: the world is as rich as the labels say."""
    return len(re.findall(pattern, client.get(path).get_data(as_text=True)))


def _signed_in(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302
    return client


# -- building worlds through the services ---------------------------------------------------------


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


def _revision_text(number: int) -> dict[str, str]:
    """Each revision rewrites the author's reactions a little; the moment stays as it was."""
    extra = " Looking back, I also felt relief." * (number - 1)
    return {**SECTIONS, "reactions": SECTIONS["reactions"] + extra}


def _shared_case(group: Group, author: User, title: str, revisions: int = 1) -> Case:
    case = create_case(group, author, title, _revision_text(1))
    pass_gate(case, author, commit=False)
    for number in range(2, revisions + 1):
        save_case(case, author, title, _revision_text(number), case.edit_version)
        pass_gate(case, author, commit=False)
    db.session.commit()
    return case


def _people(make_user: Callable[..., User], prefix: str, count: int) -> list[User]:
    return [make_user(f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {prefix}{n}") for n in range(count)]


def _review_input(review: Review, levels: dict[str, int]) -> ReviewInput:
    """Levels (with quoted evidence) for the criteria given, "not visible" for the others."""
    scores = {
        score.criterion_key: (
            ScoreInput(level=levels[score.criterion_key], evidence=EVIDENCE, comment="Seen here.")
            if score.criterion_key in levels
            else ScoreInput(not_visible=True)
        )
        for score in review.scores
    }
    return ReviewInput(scores, "Warm, specific feedback.", "A private thought.")


def _group_rubric(group: Group, facilitator: User, criteria: int) -> None:
    """The group reviews with its own rubric: the built-in one's criteria, and more."""
    base = default_rubric_data()
    levels = {str(level): f"Level {level} of the skill." for level in LEVELS}
    extra = [
        CriterionData(f"extra_{n}", f"Extra criterion {n}", "What to look for.", "", False, levels)
        for n in range(criteria - len(base.criteria))
    ]
    version = new_draft_version(group, latest_published(builtin_rubric()), facilitator)
    update_draft(version, replace(base, criteria=[*base.criteria, *extra]))
    publish_version(version)
    choose_rubric(group, version.rubric)


@dataclass(frozen=True)
class Size:
    criteria: int  # in the group's rubric
    revisions: int
    annotations: int
    replies: int  # per annotation
    reviewers: int  # who submit (and release) a review of the current revision
    earlier_reviews: bool  # the reviewers also reviewed revision 1
    posts: int  # in the case's discussion
    notes: int  # on the reconciliation of a discrepancy


SMALL = Size(7, 1, 1, 1, 1, False, 1, 1)
LARGE = Size(20, 20, 30, 3, 3, True, 40, 30)


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def _describe(size: Size) -> str:
    return ", ".join(
        (
            _count(size.criteria, "criterion", "criteria"),
            _count(size.revisions, "revision"),
            _count(size.annotations, "annotation"),
            _count(size.reviewers * (2 if size.earlier_reviews else 1), "review"),
            _count(size.posts, "post"),
        )
    )


VISIBILITIES = (
    AnnotationVisibility.SUPERVISEE,
    AnnotationVisibility.GROUP,
    AnnotationVisibility.REVIEWERS,
    AnnotationVisibility.PRIVATE,
)
CRITERIA = ("boundaries", "pacing", "attunement", None)


@dataclass
class CaseScene:
    """A supervision group around one richly worked case.

    Supervisors review it (``reviewers``, the first of them is who reads the page), annotate it,
    reply, answer and discuss; the facilitator has a draft review of the current revision that
    cites every annotation placed in it.
    """

    size: Size
    group: Group
    facilitator: User
    supervisors: list[User]
    author: User
    peer: User
    case: Case
    thread: Thread
    annotations: list[Annotation] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    draft: Review | None = None

    @property
    def supervisor(self) -> User:
        return self.supervisors[0]

    @property
    def own_review(self) -> Review:
        """The supervisor's released review of the current revision."""
        number = self.case.published_number
        return next(
            r
            for r in self.reviews
            if r.reviewer_id == self.supervisor.id and r.revision_number == number
        )

    @property
    def members(self) -> list[User]:
        return [self.author, *self.supervisors, self.facilitator, self.peer]


def _review_round(scene: CaseScene, size: Size, cite: list[Annotation]) -> None:
    """Each reviewer submits and releases a review of the current revision; their levels for
    "boundaries" differ by two or more, so there is a discrepancy to reconcile."""
    for index, reviewer in enumerate(scene.supervisors[: size.reviewers]):
        review = start_review(scene.case, reviewer)
        levels = {"boundaries": 1 + 2 * index, "pacing": 3, "silence": 2 + index % 2}
        save_review(review, _review_input(review, levels))
        readable = [
            a
            for a in cite
            if a.visibility is not AnnotationVisibility.PRIVATE or a.author_id == reviewer.id
        ]
        save_citations(review, {"boundaries": readable, "pacing": readable[index::2]})
        submit_review(review)
        release_review(review)
        scene.reviews.append(review)
    db.session.commit()


def _annotate(scene: CaseScene, size: Size) -> None:
    case = scene.case
    for index in range(size.annotations):
        number = 1 + index * size.revisions // size.annotations  # spread over the revisions
        revision = next(r for r in case.revisions if r.number == number)
        text = annotations.section_texts(revision)["moment"]
        start = -1
        for _ in range(index % 20 + 1):
            start = text.index(QUOTE, start + 1)
        reviewer = scene.supervisors[index % size.reviewers]
        annotation = annotations.create_annotation(
            case,
            reviewer,
            number,
            "moment",
            start,
            start + len(QUOTE),
            QUOTE,
            f"Annotation {index}: **you** noticed the pause.",
            criterion_key=CRITERIA[index % len(CRITERIA)],
            visibility=VISIBILITIES[index % len(VISIBILITIES)],
        )
        repliers = [scene.author, *scene.supervisors, scene.facilitator]
        for count in range(size.replies):
            annotations.reply(annotation, repliers[count % len(repliers)], f"Reply {count}.")
        if annotation.visibility in (AnnotationVisibility.SUPERVISEE, AnnotationVisibility.GROUP):
            kinds = list(ResponseKind)
            annotations.respond(annotation, scene.author, kinds[index % len(kinds)])
        scene.annotations.append(annotation)
    db.session.commit()


def _discuss(scene: CaseScene, size: Size) -> None:
    posts: list[Post] = []
    for index in range(size.posts):
        writer = scene.members[index % len(scene.members)]
        mentioned = scene.members[(index + 1) % len(scene.members)]
        body = f"Post {index}: what do you make of the pause, @{mentioned.display_name}?"
        answered = posts[index // 2] if posts and index % 3 == 1 else None
        posts.append(discussions.add_post(scene.thread, writer, body, answered))
    db.session.commit()


def _case_scene(
    make_user: Callable[..., User], make_group: Callable[..., Group], size: Size, tag: str
) -> CaseScene:
    facilitator = make_user(f"Fran {tag}")
    supervisors = _people(make_user, f"Supervisor{tag}-", 3)
    author, peer = make_user(f"Alex {tag}"), make_user(f"Robin {tag}")
    roles = {facilitator: Role.FACILITATOR, author: Role.SUPERVISEE, peer: Role.SUPERVISEE}
    group = make_group(GroupKind.SUPERVISION, roles | dict.fromkeys(supervisors, Role.SUPERVISOR))
    _group_rubric(group, facilitator, size.criteria)
    case = create_case(group, author, f"Case {tag}", _revision_text(1))
    pass_gate(case, author, commit=False)
    db.session.commit()
    thread = case_thread(case)
    assert thread is not None  # opened by the first share
    scene = CaseScene(size, group, facilitator, supervisors, author, peer, case, thread)
    if size.earlier_reviews:
        _review_round(scene, size, [])
    for number in range(2, size.revisions + 1):
        save_case(case, author, case.title, _revision_text(number), case.edit_version)
        pass_gate(case, author, commit=False)
    db.session.commit()
    _annotate(scene, size)
    _review_round(scene, size, scene.annotations)
    draft = start_review(case, facilitator)
    save_review(draft, _review_input(draft, {"boundaries": 4}))
    save_citations(draft, {"boundaries": scene.annotations, "attunement": scene.annotations[:1]})
    scene.draft = draft
    number = case.published_number
    assert number is not None
    for index in range(size.notes):
        writer = scene.supervisors[index % size.reviewers] if index % 2 else facilitator
        add_reconciliation_note(case, number, "boundaries", writer, f"Note {index}.")
    if size.notes:
        record_consensus(case, number, "boundaries", facilitator, 3, "One of us saw a 4.")
    db.session.commit()
    _discuss(scene, size)
    return scene


# -- the pages ------------------------------------------------------------------------------------


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


SMALL_CASE, LARGE_CASE = _describe(SMALL), _describe(LARGE)


@pytest.fixture()
def case_scenes(app, make_user, make_group) -> tuple[CaseScene, CaseScene]:  # type: ignore[no-untyped-def]
    return (
        _case_scene(make_user, make_group, SMALL, "S"),
        _case_scene(make_user, make_group, LARGE, "L"),
    )


def test_bench_case_page(benchmark, app, case_scenes) -> None:
    few, many = case_scenes
    # _compare requests each page once before it counts: the first case-page visit in a fresh
    # database creates the built-in rubric (ensure_builtin_rubric, from pages.views.case_page) and
    # commits it, a dozen statements that no later visit issues.
    for who in ("supervisor", "author"):
        small_client = _signed_in(app, getattr(few, who))
        large_client = _signed_in(app, getattr(many, who))
        _compare(
            benchmark,
            f"case page as the {who}",
            (SMALL_CASE, small_client, f"/cases/{few.case.id}"),
            (LARGE_CASE, large_client, f"/cases/{many.case.id}"),
        )
    # An earlier revision, where the annotations made later do not show.
    _compare(
        benchmark,
        "case page, revision 1, as the supervisor",
        (SMALL_CASE, _signed_in(app, few.supervisor), f"/cases/{few.case.id}?revision=1"),
        (LARGE_CASE, _signed_in(app, many.supervisor), f"/cases/{many.case.id}?revision=1"),
    )
    client = _signed_in(app, many.supervisor)
    # The list renders one chunk of the annotations, and links to the next.
    assert _shows(client, f"/cases/{many.case.id}", r'id="annotation-\d+"') == CHUNK
    assert _shows(client, f"/cases/{many.case.id}", r"data-load-more ") == 1
    benchmark(lambda: client.get(f"/cases/{many.case.id}"))


def test_bench_case_reviews_list(benchmark, app, case_scenes) -> None:
    few, many = case_scenes
    for who in ("supervisor", "author"):
        _compare(
            benchmark,
            f"case reviews list as the {who}",
            (SMALL_CASE, _signed_in(app, getattr(few, who)), f"/cases/{few.case.id}/reviews/list"),
            (
                LARGE_CASE,
                _signed_in(app, getattr(many, who)),
                f"/cases/{many.case.id}/reviews/list",
            ),
        )
    client = _signed_in(app, many.supervisor)
    assert _shows(client, f"/cases/{many.case.id}/reviews/list", r'id="review-\d+"') == 6
    benchmark(lambda: client.get(f"/cases/{many.case.id}/reviews/list"))


def test_bench_review_page(benchmark, app, case_scenes) -> None:
    """The supervisor's released review, whose scores cite 1 annotation, or 30."""
    few, many = case_scenes
    for who in ("supervisor", "author"):
        _compare(
            benchmark,
            f"review page as the {who}",
            (SMALL_CASE, _signed_in(app, getattr(few, who)), f"/reviews/{few.own_review.id}"),
            (LARGE_CASE, _signed_in(app, getattr(many, who)), f"/reviews/{many.own_review.id}"),
        )
    client = _signed_in(app, many.supervisor)
    assert _shows(client, f"/reviews/{many.own_review.id}", r'id="score-') == 2 * LARGE.criteria
    benchmark(lambda: client.get(f"/reviews/{many.own_review.id}"))


def _review_form(benchmark: Any, app: Flask, few: CaseScene, many: CaseScene, label: str) -> None:
    """The facilitator's draft, which cites every annotation placed in the revision."""
    assert few.draft is not None and many.draft is not None
    client = _signed_in(app, many.facilitator)
    _compare(
        benchmark,
        label,
        (_describe(few.size), _signed_in(app, few.facilitator), f"/reviews/{few.draft.id}/edit"),
        (_describe(many.size), client, f"/reviews/{many.draft.id}/edit"),
    )
    assert _shows(client, f"/reviews/{many.draft.id}/edit", 'type="checkbox"') > 30
    benchmark(lambda: client.get(f"/reviews/{many.draft.id}/edit"))


def test_bench_review_form(benchmark, app, make_user, make_group) -> None:
    """1 citable annotation, or 30, with the same rubric."""
    few = _case_scene(make_user, make_group, SMALL, "S")
    many = _case_scene(make_user, make_group, replace(LARGE, criteria=SMALL.criteria), "L")
    _review_form(benchmark, app, few, many, "review form")


def test_bench_review_form_criteria(benchmark, app, case_scenes) -> None:
    """A rubric of 7 criteria, or of 20."""
    _review_form(benchmark, app, *case_scenes, "review form, more criteria")


def test_bench_reconcile_page(benchmark, app, make_user, make_group) -> None:
    """A discrepancy between 2 reviewers with 1 note, or 3 reviewers with 30 notes."""
    few = _case_scene(make_user, make_group, replace(SMALL, reviewers=2), "S")
    many = _case_scene(make_user, make_group, LARGE, "L")

    def path(scene: CaseScene) -> str:
        return f"/cases/{scene.case.id}/reconcile/{scene.case.published_number}/boundaries"

    client = _signed_in(app, many.supervisor)
    _compare(
        benchmark,
        "reconcile page",
        (f"{_describe(few.size)}, 1 note", _signed_in(app, few.supervisor), path(few)),
        (f"{_describe(many.size)}, 30 notes", client, path(many)),
    )
    assert _shows(client, path(many), r"Note \d+\.") == 30
    benchmark(lambda: client.get(path(many)))


def test_bench_compare_revisions(benchmark, app, make_user, make_group) -> None:
    author, _, _, few = _world(make_user, make_group, 1, 2)
    other, _, _, many = _world(make_user, make_group, 1, 20)
    client = _signed_in(app, other)
    _compare(
        benchmark,
        "compare revisions",
        ("2 revisions", _signed_in(app, author), f"/cases/{few[0].id}/revisions"),
        ("20 revisions", client, f"/cases/{many[0].id}/revisions"),
    )
    benchmark(lambda: client.get(f"/cases/{many[0].id}/revisions"))


# -- discussions ----------------------------------------------------------------------------------


@dataclass
class ForumScene:
    group: Group
    facilitator: User
    reader: User  # a supervisee: "reply before you read" applies to them
    writers: list[User]


def _forum(
    make_user: Callable[..., User], make_group: Callable[..., Group], writers: int, tag: str
):  # type: ignore[no-untyped-def]
    facilitator, reader = make_user(f"Fran {tag}"), make_user(f"Robin {tag}")
    people = _people(make_user, f"Writer{tag}-", writers)
    roles = {facilitator: Role.FACILITATOR, reader: Role.SUPERVISEE}
    roles |= {
        person: (Role.SUPERVISOR if n % 3 == 0 else Role.SUPERVISEE)
        for n, person in enumerate(people)
    }
    group = make_group(GroupKind.SUPERVISION, roles)
    return ForumScene(group, facilitator, reader, people)


def _threads(scene: ForumScene, count: int) -> None:
    """Free threads (pinned, locked, "reply before you read") and cases' own threads, each with
    a few posts; the reader has read some, posted in some, and one opening post is hidden."""
    writers = scene.writers
    for number in range(count):
        writer = writers[number % len(writers)]
        if number % 3 == 0:
            case = _shared_case(scene.group, writer, f"Case {number}")
            thread = case_thread(case)
            assert thread is not None
            discussions.add_post(thread, writer, "The case's first post.")
        else:
            thread = discussions.create_thread(
                scene.group,
                writer,
                f"Thread {number}",
                f"Question {number}: how do you hold a long silence?",
                reply_before_read=number % 3 == 2,
            )
        other = writers[(number + 1) % len(writers)]
        for reply in range(1 + number % 3):
            discussions.add_post(thread, other, f"Reply {reply} to thread {number}.")
        if number % 4 == 1:
            discussions.set_pinned(thread, True)
        if number % 5 == 1:
            discussions.add_post(thread, scene.reader, "My own answer.")
        if number % 5 == 2:
            discussions.set_locked(thread, True)
        if number % 4 == 3:
            last = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))
            discussions.mark_read(thread, scene.reader, last or 0)
        if number % 7 == 4:
            opening = db.session.scalar(
                select(Post).where(Post.thread_id == thread.id).order_by(Post.id)
            )
            discussions.hide_post(opening, scene.facilitator, "Off topic.")
    db.session.commit()


def test_bench_discussion_index(benchmark, app, make_user, make_group) -> None:
    few, many = _forum(make_user, make_group, 3, "S"), _forum(make_user, make_group, 12, "L")
    # One of each kind of thread (case, free, pinned, locked, gated), or 40.
    _threads(few, 6)
    _threads(many, 40)
    for who in ("reader", "facilitator"):
        _compare(
            benchmark,
            f"discussion index as the {who}",
            (
                "6 threads",
                _signed_in(app, getattr(few, who)),
                f"/groups/{few.group.id}/discussions",
            ),
            (
                "40 threads",
                _signed_in(app, getattr(many, who)),
                f"/groups/{many.group.id}/discussions",
            ),
        )
    client = _signed_in(app, many.reader)
    assert _shows(client, f"/groups/{many.group.id}/discussions", 'class="card thread-row"') == 30
    benchmark(lambda: client.get(f"/groups/{many.group.id}/discussions"))


def _long_thread(scene: ForumScene, posts: int) -> tuple[Thread, int]:
    """A thread of ``posts`` posts from every writer: replies to earlier posts (on this page
    and on earlier ones), mentions, edits (some twice), a hidden and a removed post. Returns the
    thread and its last page."""
    writers = scene.writers
    thread = discussions.create_thread(
        scene.group, writers[0], "Holding silence", "What helps you stay with a long silence?"
    )
    made = [db.session.scalar(select(Post).where(Post.thread_id == thread.id))]
    for number in range(1, posts):
        writer = writers[number % len(writers)]
        body = f"Post {number}."
        if number % 4 == 1:
            body += f" @{writers[(number + 3) % len(writers)].display_name}, what do you think?"
        answered = made[number // 3] if number % 3 == 1 else None
        made.append(discussions.add_post(thread, writer, body, answered))
    for index, item in enumerate(made):
        if index % 5 == 2:
            for times in range(1 + index % 2):
                discussions.edit_post(
                    item,
                    db.session.get(User, item.author_id),
                    f"{item.body} Edited {times}, @{scene.reader.display_name}.",
                    item.edit_version,
                )
    discussions.hide_post(made[-2], scene.facilitator, "Identifying detail.")
    discussions.remove_post(made[-3])
    db.session.commit()
    return thread, -(-posts // 20)


def test_bench_discussion_thread(benchmark, app, make_user, make_group) -> None:
    few, many = _forum(make_user, make_group, 3, "S"), _forum(make_user, make_group, 12, "L")
    small_thread, small_last = _long_thread(few, 5)
    large_thread, large_last = _long_thread(many, 150)
    for who in ("reader", "facilitator"):
        for page in ("first", "last"):
            query = "" if page == "first" else f"?page={large_last}"
            small_query = "" if page == "first" else f"?page={small_last}"
            _compare(
                benchmark,
                f"discussion thread, {page} page, as the {who}",
                (
                    "5 posts",
                    _signed_in(app, getattr(few, who)),
                    f"/discussions/{small_thread.id}{small_query}",
                ),
                (
                    "150 posts",
                    _signed_in(app, getattr(many, who)),
                    f"/discussions/{large_thread.id}{query}",
                ),
            )
    client = _signed_in(app, many.reader)
    assert _shows(client, f"/discussions/{large_thread.id}", '<article class="post') == 20
    benchmark(lambda: client.get(f"/discussions/{large_thread.id}?page={large_last}"))


def test_bench_post_history(benchmark, app, make_user, make_group) -> None:
    few, many = _forum(make_user, make_group, 3, "S"), _forum(make_user, make_group, 12, "L")
    paths = []
    for scene, edits in ((few, 1), (many, 30)):
        thread = discussions.create_thread(scene.group, scene.writers[0], "Edited", "First text.")
        item = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
        for number in range(edits):
            text = f"Text {number}, @{scene.reader.display_name}."
            discussions.edit_post(item, scene.writers[0], text, item.edit_version)
        db.session.commit()
        paths.append(f"/discussions/posts/{item.id}/history")
    client = _signed_in(app, many.reader)
    _compare(
        benchmark,
        "post history",
        ("1 edit", _signed_in(app, few.reader), paths[0]),
        ("30 edits", client, paths[1]),
    )
    assert _shows(client, paths[1], r"Text \d+, ") == 30
    benchmark(lambda: client.get(paths[1]))


# -- notifications, groups, my cases --------------------------------------------------------------


def _notifications(scene: ForumScene, count: int) -> None:
    """``count`` notifications of every kind from several people, the older half read."""
    events = list(NotificationEvent)
    for number in range(count):
        actor = scene.writers[number % len(scene.writers)]
        notify(
            events[number % len(events)],
            [scene.reader],
            text=f"{actor.display_name} did something ({number}) in {scene.group.name}",
            url=f"/groups/{scene.group.id}" if number % 9 else "https://elsewhere.example/",
            actor=actor,
            group=scene.group,
            subject=("case", number),
        )
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == scene.reader.id, Notification.id % 2 == 0)
        .values(read_at=utcnow())
    )
    db.session.commit()


def test_bench_notifications(benchmark, app, make_user, make_group) -> None:
    few, many = _forum(make_user, make_group, 3, "S"), _forum(make_user, make_group, 12, "L")
    _notifications(few, 3)
    _notifications(many, 200)
    client = _signed_in(app, many.reader)
    first = client.get("/notifications").get_data(as_text=True)
    older = html.unescape(re.search(r'href="([^"]+)" rel="next"', first).group(1))
    for name, url in (("notifications", "/notifications"), ("notifications page 2", older)):
        _compare(
            benchmark,
            name,
            ("3 notifications", _signed_in(app, few.reader), "/notifications"),
            ("200 notifications", client, url),
        )
    assert _shows(client, "/notifications", 'class="notification__main"') == 30
    benchmark(lambda: client.get("/notifications"))


def _invite(app: Flask, scene: ForumScene, count: int) -> None:
    with app.test_request_context():
        for number in range(count):
            email = f"guest{number}.{scene.group.id}@example.org"
            invite(scene.group, scene.facilitator, email, Role.SUPERVISEE)
        db.session.commit()


def test_bench_group_home(benchmark, app, make_user, make_group) -> None:
    few, many = _forum(make_user, make_group, 1, "S"), _forum(make_user, make_group, 38, "L")
    _invite(app, few, 1)
    _invite(app, many, 10)
    for who in ("facilitator", "reader"):
        _compare(
            benchmark,
            f"group home as the {who}",
            (
                "3 members, 1 invitation",
                _signed_in(app, getattr(few, who)),
                f"/groups/{few.group.id}",
            ),
            (
                "40 members, 10 invitations",
                _signed_in(app, getattr(many, who)),
                f"/groups/{many.group.id}",
            ),
        )
    client = _signed_in(app, many.facilitator)
    assert _shows(client, f"/groups/{many.group.id}", r'id="member-\d+"') == 40
    benchmark(lambda: client.get(f"/groups/{many.group.id}"))


def _my_cases(make_user, make_group, groups: int, cases: int, tag: str) -> User:  # type: ignore[no-untyped-def]
    """An author with ``cases`` cases spread over ``groups`` groups, in every state."""
    author = make_user(f"Alex {tag}")
    facilitators = _people(make_user, f"Fran{tag}-", groups)
    made = [
        make_group(
            GroupKind.SUPERVISION if number % 2 == 0 else GroupKind.PEER,
            {
                facilitators[number]: Role.FACILITATOR,
                author: Role.SUPERVISEE if number % 2 == 0 else Role.PEER,
            },
        )
        for number in range(groups)
    ]
    for number in range(cases):
        group = made[number % groups]
        state = number % 5
        if state == 0:  # a draft
            create_case(group, author, f"Draft {number}", SECTIONS)
            continue
        group.require_case_approval = state == 1
        case = _shared_case(group, author, f"Case {number}", 1 + number % 2)
        facilitator = facilitators[number % groups]
        if state == 2:
            close_case(case)
        if state == 3:
            flag_case(case, facilitator, "", "Her job may identify her.")
        group.require_case_approval = False
    db.session.commit()
    return author


def test_bench_my_cases(benchmark, app, make_user, make_group) -> None:
    few = _my_cases(make_user, make_group, 2, 5, "S")
    many = _my_cases(make_user, make_group, 5, 40, "L")
    client = _signed_in(app, many)
    _compare(
        benchmark,
        "my cases",
        ("5 cases in 2 groups", _signed_in(app, few), "/cases/mine"),
        ("40 cases in 5 groups", client, "/cases/mine"),
    )
    assert _shows(client, "/cases/mine", "case-table__title") == 20  # a page
    benchmark(lambda: client.get("/cases/mine"))


def _rubric_scene(
    make_user, make_group, criteria: int, drafts: int
) -> tuple[User, Group, int, int]:  # type: ignore[no-untyped-def]
    """A group with its own published rubric of ``criteria`` criteria, a draft of its next
    version and ``drafts`` more rubrics begun from the built-in one; the facilitator, the group,
    the published and the draft version's ids."""
    facilitator = make_user()
    group = make_group(GroupKind.SUPERVISION, {facilitator: Role.FACILITATOR})
    for _ in range(drafts):
        new_draft_version(group, latest_published(builtin_rubric()), facilitator)
    _group_rubric(group, facilitator, criteria)
    published = latest_published(db.session.get(Rubric, group.rubric_id))
    assert published is not None
    draft = new_draft_version(group, published, facilitator)
    db.session.commit()
    return facilitator, group, published.id, draft.id


def test_bench_rubric_pages(benchmark, app, make_user, make_group) -> None:
    few = _rubric_scene(make_user, make_group, SMALL.criteria, drafts=0)
    many = _rubric_scene(make_user, make_group, LARGE.criteria, drafts=8)
    small_client, large_client = _signed_in(app, few[0]), _signed_in(app, many[0])
    pages = {
        "rubric list": lambda scene: f"/groups/{scene[1].id}/rubrics",
        "rubric version": lambda scene: f"/groups/{scene[1].id}/rubrics/versions/{scene[2]}",
        "rubric draft editor": lambda scene: (
            f"/groups/{scene[1].id}/rubrics/versions/{scene[3]}/edit"
        ),
    }
    for label, path in pages.items():
        _compare(
            benchmark,
            label,
            (f"2 rubrics, {SMALL.criteria} criteria", small_client, path(few)),
            (f"10 rubrics, {LARGE.criteria} criteria", large_client, path(many)),
        )
    version_page = pages["rubric version"](many)
    assert _shows(large_client, version_page, r"Extra criterion \d+") >= LARGE.criteria - 7
    benchmark(lambda: large_client.get(version_page))


def _desk_scene(make_user, make_group, groups: int, cases: int, tag: str) -> User:  # type: ignore[no-untyped-def]
    """A supervisor in ``groups`` groups with ``cases`` cases in turn waiting for their review,
    under their draft, in discrepancy with a co-reviewer (released, and answered with a
    relationship check-in), or carrying their annotation answered with a question."""
    from supervision.relationship.occasions import occasion_of
    from supervision.relationship.services import record_check

    supervisor, co_reviewer = make_user(f"Sam {tag}"), make_user(f"Kim {tag}")
    authors = _people(make_user, f"Author{tag}-", groups)
    made = [
        make_group(
            GroupKind.SUPERVISION,
            {
                make_user(): Role.FACILITATOR,
                supervisor: Role.SUPERVISOR,
                co_reviewer: Role.SUPERVISOR,
                authors[number]: Role.SUPERVISEE,
            },
        )
        for number in range(groups)
    ]
    for number in range(cases):
        group, author = made[number % groups], authors[number % groups]
        case = _shared_case(group, author, f"Case {number}")
        state = number % 4
        if state == 1:
            start_review(case, supervisor)
        elif state == 2:
            for reviewer, level in ((supervisor, 1), (co_reviewer, 4)):
                review = start_review(case, reviewer)
                save_review(review, _review_input(review, {"boundaries": level}))
                submit_review(review)
                release_review(review)
                if reviewer is supervisor:
                    values = {"safety": 5, "goals": 6, "tasks": 5, "heard": 6}
                    record_check(author, occasion_of(review), values, f"Note {number}.")
        elif state == 3:
            text = annotations.section_texts(case.revisions[0])["moment"]
            start = text.index(QUOTE)
            annotation = annotations.create_annotation(
                case, supervisor, 1, "moment", start, start + len(QUOTE), QUOTE, "Pause?",
                visibility=AnnotationVisibility.SUPERVISEE,
            )  # fmt: skip
            annotations.respond(annotation, author, ResponseKind.QUESTION)
    db.session.commit()
    return supervisor


def test_bench_desk(benchmark, app, make_user, make_group) -> None:
    few = _desk_scene(make_user, make_group, 2, 12, "S")
    many = _desk_scene(make_user, make_group, 5, 100, "L")
    client = _signed_in(app, many)
    for label, path in (("desk", "/desk/"), ("relationship trend", "/desk/relationship")):
        _compare(
            benchmark,
            label,
            ("12 cases in 2 groups, 3 check-ins", _signed_in(app, few), path),
            ("100 cases in 5 groups, 25 check-ins", client, path),
        )
    assert _shows(client, "/desk/", "levels apart") == 20  # the list's limit
    assert _shows(client, "/desk/relationship", r"Period \d+</th>") == 8
    benchmark(lambda: client.get("/desk/"))
