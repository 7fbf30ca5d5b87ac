"""The migrations build exactly the models' schema, from an empty database, on every backend.

Each test makes its own empty database (a temporary SQLite file; with ``TEST_DATABASE_URL`` also
a freshly created PostgreSQL database) and its own app, and runs the real Alembic migrations.
It never requests the session ``app`` fixture, whose tables come from ``db.create_all()``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pprint
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from supervision import ROOT, create_app
from supervision.extensions import db, limiter

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
MODEL_TABLES = set(db.metadata.tables)


@pytest.fixture(autouse=True)
def _keep_limiter() -> Iterator[None]:
    """``create_app`` re-initializes the shared Limiter; give the session app its own back."""
    state = dict(vars(limiter))
    yield
    vars(limiter).clear()
    vars(limiter).update(state)


@contextlib.contextmanager
def _keep_logging() -> Iterator[None]:
    """Alembic's env.py calls ``fileConfig``, which disables every logger it does not name and
    replaces the root handlers (pytest's capture among them); put it all back afterwards."""
    root = logging.getLogger()
    root_state = (root.level, list(root.handlers), root.disabled)
    loggers = {
        name: (logger.level, list(logger.handlers), logger.disabled, logger.propagate)
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    try:
        yield
    finally:
        root.setLevel(root_state[0])
        root.handlers[:] = root_state[1]
        root.disabled = root_state[2]
        for name, logger in logging.root.manager.loggerDict.items():
            if not isinstance(logger, logging.Logger):
                continue
            if name in loggers:
                logger.level, handlers, logger.disabled, logger.propagate = loggers[name]
                logger.handlers[:] = handlers
            else:  # created by the migration run (alembic.runtime..., alembic.env)
                logger.disabled = False


def _settings(database_url: str) -> dict[str, Any]:
    return {
        "TESTING": True,
        "ENV_NAME": "test",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-checks",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        "DEMO_MODE": False,
        "MAIL_TRANSPORT": "smtp",
        "MAIL_SERVER": None,
        "SESSION_COOKIE_SECURE": False,
        "BASE_URL": "http://localhost",
    }


@pytest.fixture(params=BACKENDS)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with nothing in it, made for this test alone."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    base = os.environ["TEST_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    url = make_url(base)
    name = f"{url.database}_migrations_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _tables() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def _schema_diff() -> list[Any]:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": False}
        )
        return compare_metadata(context, db.metadata)


def _head_revision() -> str | None:
    return ScriptDirectory(str(ROOT / "migrations")).get_current_head()


def _current_revision() -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_upgrade_from_empty_builds_exactly_the_models(empty_database: str) -> None:
    app = create_app(_settings(empty_database))
    with app.app_context():
        try:
            assert _tables() == set(), "the database should start empty"
            with _keep_logging():
                upgrade()
            assert _current_revision() == _head_revision()
            assert _tables() == {*MODEL_TABLES, "alembic_version"}
            diff = _schema_diff()
            assert diff == [], "migrations differ from the models:\n" + pprint.pformat(diff)

            with _keep_logging():
                downgrade(revision="base")
            assert _tables() == {"alembic_version"}
            assert _current_revision() is None

            with _keep_logging():
                upgrade()
            assert _current_revision() == _head_revision()
            assert _tables() == {*MODEL_TABLES, "alembic_version"}
            diff = _schema_diff()
            assert diff == [], "after downgrade and upgrade:\n" + pprint.pformat(diff)
        finally:
            db.session.remove()
            db.engine.dispose()


def test_flask_db_upgrade_command_on_an_empty_sqlite_file(tmp_path: Path) -> None:
    database = tmp_path / "cli.sqlite"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SUPERVISION_", "MAIL_"))
        and key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "TEST_DATABASE_URL"}
    }
    env |= {"DATABASE_URL": f"sqlite:///{database}", "SUPERVISION_ENV": "development"}
    flask = Path(sys.executable).with_name("flask")
    result = subprocess.run(
        [str(flask), "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    engine = create_engine(f"sqlite:///{database}")
    try:
        tables = set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    finally:
        engine.dispose()
    assert "users" in tables
    assert tables == {*MODEL_TABLES, "alembic_version"}
    assert revision == _head_revision()
