"""The scale benchmark's seeder (tests/bench/scale) yields a consistent world.

The quick preset is loaded the way ``make bench`` loads the large one (Alembic, then bulk rows,
COPY on PostgreSQL when TEST_DATABASE_URL is set), and the key pages answer their personas with
what the seeded rows say they hold. No timings: those are ``make bench``'s.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from supervision.annotations.services import section_texts
from supervision.extensions import db
from supervision.models import AnnotationAnchor, Case, CaseRevision, Post, Thread, User
from supervision.rendering import render_markdown
from tests.bench.scale.pages import PAGES
from tests.bench.scale.presets import HOT_ANNOTATIONS, HOT_POSTS, PRESETS, WORLD
from tests.bench.scale.queries import page_statements
from tests.bench.scale.seed import bench_app, is_seeded, seed

QUICK = PRESETS["quick"]


def _url(tmp_path: Path, worker_id: str) -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_path / 'bench_quick.sqlite'}"
    url = make_url(base)
    return url.set(database=f"{url.database}_{worker_id}_scale").render_as_string(False)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Any]:
    url = _url(tmp_path_factory.mktemp("scale"), worker_id)
    summary = seed(url, QUICK)
    app = bench_app(url)
    yield url, summary, app, page_statements(app)
    with app.app_context():
        db.engine.dispose()


def test_the_quick_preset_loads_every_table_the_pages_read(world: Any) -> None:
    url, summary, _, _ = world
    rows = summary["rows"]
    assert rows["users"] == QUICK.users
    assert rows["cases"] == rows["case_revisions"] == QUICK.cases
    assert rows["reviews"] == QUICK.reviews
    assert rows["annotations"] == rows["annotation_anchors"] == QUICK.annotations
    assert rows["posts"] == QUICK.posts
    assert rows["review_scores"] > rows["reviews"]
    assert min(rows[t] for t in ("notifications", "meetings", "meeting_attendees")) > 0
    assert is_seeded(url, QUICK)


def test_every_key_page_answers_its_persona(world: Any) -> None:
    pages = world[3]
    assert {page.name for page in PAGES} == set(pages)
    assert {name: found["status"] for name, found in pages.items()} == dict.fromkeys(pages, 200)


def test_the_long_thread_pages_show_its_first_and_last_posts(world: Any) -> None:
    pages = world[3]
    first, last = pages["thread_first"], pages["thread_last"]
    assert first["path"] != last["path"]  # the last page was found from the first one's links
    assert "Post no. 1 of this thread." in first["html"]
    assert f"Post no. {QUICK.long_thread_posts} of this thread." in last["html"]
    assert f"Post no. {QUICK.long_thread_posts} of this thread." not in first["html"]


def test_the_personas_pages_show_their_rows(world: Any) -> None:
    pages, app = world[3], world[2]
    with app.app_context():
        hot = db.session.get(Case, WORLD.hot_case_id)
        assert hot is not None and hot.author_id == WORLD.supervisee_id
        title = hot.title
        # My cases pages by keyset, newest first: its first page holds the latest updated.
        newest = db.session.scalars(
            select(Case)
            .where(Case.author_id == WORLD.supervisee_id)
            .order_by(Case.updated_at.desc(), Case.id.desc())
        ).first()
        assert newest is not None
        newest_title = newest.title
    assert title in pages["case_page"]["html"]
    assert "Comment no. " in pages["case_page"]["html"]  # its annotations are shown
    assert newest_title in pages["my_cases"]["html"]
    assert "A long conversation" in pages["discussion_index"]["html"]
    assert "A case was shared in your group." in pages["notifications"]["html"]


def test_the_hot_case_and_the_rows_are_what_the_services_would_write(world: Any) -> None:
    app: Flask = world[2]
    with app.app_context():
        thread = db.session.scalar(select(Thread).where(Thread.case_id == WORLD.hot_case_id))
        assert thread is not None
        posts = db.session.scalar(select(func.count()).where(Post.thread_id == thread.id))
        assert posts == HOT_POSTS
        revision = db.session.scalar(
            select(CaseRevision).where(CaseRevision.case_id == WORLD.hot_case_id)
        )
        texts = section_texts(revision)
        anchors = db.session.scalars(
            select(AnnotationAnchor).where(AnnotationAnchor.case_id == WORLD.hot_case_id)
        ).all()
        assert len(anchors) == HOT_ANNOTATIONS
        assert all(texts[a.section][a.start : a.end] == a.exact for a in anchors)
        for post in db.session.scalars(select(Post).order_by(Post.id).limit(50)):
            assert post.body_html == render_markdown(post.body)
        user = db.session.get(User, WORLD.supervisee_id)
        assert user is not None and not user.is_disabled
