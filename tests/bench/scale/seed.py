"""Seed a database with the scale benchmark's world, fast.

``python -m tests.bench.scale seed --size large --database-url postgresql://...``

The schema is the real one (Alembic ``upgrade`` on a fresh database); the platform's rubric is
created through its service; every other row is loaded in bulk (COPY on PostgreSQL), then the
kept counters are recounted and the planner's statistics refreshed (ANALYZE).

The audit trail: bulk rows bypass the ORM, so they have no audit entries. The chain of entries
that does exist (the rubric's creation, then whatever the benchmark's writes add) stays intact,
so ``flask audit verify`` passes; it simply does not vouch for the seeded rows.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import psycopg
from flask import Flask
from flask_migrate import upgrade
from psycopg import sql
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from supervision import create_app
from supervision.counters import recount_all
from supervision.extensions import db
from supervision.models import RubricCriterion, RubricVersion
from supervision.models.types import utcnow
from supervision.passwords import hash_password
from supervision.rubrics.services import builtin_rubric, ensure_builtin_rubric, latest_published
from tests.bench.scale import activity, rows
from tests.bench.scale.content import vignettes
from tests.bench.scale.loader import BulkLoader
from tests.bench.scale.presets import PASSWORD, Sizes

LAST_POST_PG = """
UPDATE threads SET last_post_at = s.last, created_at = s.first
FROM (SELECT thread_id, max(created_at) AS last, min(created_at) AS first
      FROM posts GROUP BY thread_id) AS s
WHERE s.thread_id = threads.id
"""
LAST_POST_SQLITE = """
UPDATE threads SET
  last_post_at = COALESCE((SELECT max(created_at) FROM posts WHERE thread_id = threads.id),
                          last_post_at),
  created_at = COALESCE((SELECT min(created_at) FROM posts WHERE thread_id = threads.id),
                        created_at)
"""


def sqlalchemy_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def recreate_database(url: str) -> None:
    """An empty database at ``url`` (dropped first if it exists)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        path.unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    admin = parsed.set(drivername="postgresql", database="postgres")
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        name = sql.Identifier(parsed.database or "")
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def served_settings() -> dict[str, Any]:
    """What the measured app adds to ``bench_app``: sessions, rate limits and jobs in Redis, as
    production keeps them. ``BENCH_REDIS_URL`` (default database 14 of the local Redis;
    .ci/two_instances uses 15); ``none`` measures the small install instead (sessions in the
    database, limits in memory)."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    if url.lower() in {"", "none"}:
        return {}
    return {"REDIS_URL": url, "RATELIMIT_STORAGE_URI": url}


def bench_app(url: str, **config: Any) -> Flask:
    """The app on the bench database as production runs it, but for no TLS cookies on
    loopback. Mail waits in the outbox for the worker (SMTP transport, none delivered here):
    the development transport would deliver after every request, which production never does."""
    settings = {
        "SQLALCHEMY_DATABASE_URI": sqlalchemy_url(url),
        "SECRET_KEY": "bench-" + "x" * 40,
        "SESSION_COOKIE_SECURE": False,
        "MAIL_TRANSPORT": "smtp",
    }
    settings.update(config)
    return create_app(settings)


def is_seeded(url: str, sizes: Sizes) -> bool:
    """Whether the database at ``url`` already holds this preset's world (its users and posts)."""
    try:
        engine = create_engine(sqlalchemy_url(url))
        with engine.connect() as conn:
            users = conn.scalar(
                text("SELECT count(*) FROM users WHERE email LIKE '%@bench.example'")
            )
            posts = conn.scalar(text("SELECT count(*) FROM posts"))
        engine.dispose()
    except (SQLAlchemyError, psycopg.Error):
        return False
    return users == sizes.users and (posts or 0) >= sizes.posts


def _context(sizes: Sizes) -> rows.Ctx:
    ensure_builtin_rubric()
    db.session.commit()
    version = latest_published(builtin_rubric())
    assert isinstance(version, RubricVersion)
    criteria = [
        (c.id, c.key, c.position)
        for c in db.session.scalars(
            db.select(RubricCriterion)
            .where(RubricCriterion.version_id == version.id)
            .order_by(RubricCriterion.position)
        )
    ]
    return rows.Ctx(sizes, vignettes(), hash_password(PASSWORD), version.id, criteria, utcnow())


def _load_all(loader: BulkLoader, ctx: rows.Ctx) -> None:
    tables = db.metadata.tables
    loader.load(tables["users"], rows.users(ctx))
    loader.load(tables["groups"], rows.groups(ctx))
    loader.load(tables["memberships"], rows.memberships(ctx))
    loader.load(tables["cases"], rows.cases(ctx))
    loader.load(tables["case_revisions"], rows.revisions(ctx))
    reviews, scores = rows.reviews_and_scores(ctx)
    loader.load(tables["reviews"], reviews)
    loader.load(tables["review_scores"], scores)
    del reviews, scores
    notes, anchors = rows.annotations_and_anchors(ctx)
    loader.load(tables["annotations"], notes)
    loader.load(tables["annotation_anchors"], anchors)
    del notes, anchors
    loader.load(tables["threads"], activity.free_threads(ctx))
    loader.load(tables["threads"], activity.case_threads(ctx))
    loader.load(tables["posts"], activity.posts(ctx))
    loader.load(tables["thread_reads"], activity.thread_reads(ctx))
    loader.load(tables["notifications"], activity.notifications(ctx))
    meetings, attendees = activity.meetings_and_attendees(ctx)
    loader.load(tables["meetings"], meetings)
    loader.load(tables["meeting_attendees"], attendees)
    loader.load(tables["growth_shares"], activity.growth_shares(ctx))


def seed(url: str, sizes: Sizes) -> dict[str, Any]:
    """Recreate the database at ``url``, migrate it and load the world; the timings and
    row counts."""
    began = time.perf_counter()
    recreate_database(url)
    app = bench_app(url)
    with app.app_context():
        upgrade()
        migrated = time.perf_counter()
        ctx = _context(sizes)
        connection = db.session.connection()
        loader = BulkLoader(connection)
        _load_all(loader, ctx)
        connection.execute(text(LAST_POST_PG if loader.postgres else LAST_POST_SQLITE))
        loader.reset_sequences(db.metadata.tables.values())
        loaded = time.perf_counter()
        recount_all(db.session)
        db.session.commit()
        recounted = time.perf_counter()
        if loader.postgres:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        db.session.remove()
        db.engine.dispose()
    done = time.perf_counter()
    return {
        "size": sizes.name,
        "rows": loader.counts,
        "total_rows": sum(loader.counts.values()),
        "seconds": {
            "migrate": round(migrated - began, 1),
            "load": round(loaded - migrated, 1),
            "recount": round(recounted - loaded, 1),
            "analyze": round(done - recounted, 1),
            "total": round(done - began, 1),
        },
    }
