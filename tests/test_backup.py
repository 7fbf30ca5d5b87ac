"""Backups restore into a fresh database with the same rows, table by table; a restore that
differs from its backup says which table."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine, make_url

from supervision.backup.fingerprints import fingerprints
from supervision.backup.services import BackupError, create_backup, restore_backup
from supervision.extensions import db
from supervision.models import Case, User


@pytest.fixture()
def demo_loaded(app) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output


@pytest.fixture()
def fresh_engine(app, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of the same kind as the suite's: where a restore must land."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'restored.sqlite'}")
        yield engine
        engine.dispose()
        return
    name = f"{url.database}_restore"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(url.set(database=name))
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _prints(engine: Engine):
    with engine.connect() as connection:
        return fingerprints(connection, db.metadata)


def test_a_backup_restores_into_a_fresh_database_table_for_table(
    demo_loaded, fresh_engine, tmp_path
):
    db.session.commit()
    original = _prints(db.engine)
    assert original["cases"].rows > 0 and original["reviews"].rows > 0

    backup = create_backup(db.engine, db.metadata, tmp_path / "attune.backup")
    assert backup.rows == sum(fp.rows for fp in original.values())
    restored = restore_backup(fresh_engine, db.metadata, backup.path)

    assert restored.checked and restored.mismatches == []
    assert _prints(fresh_engine) == original
    with fresh_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Case.__table__)).scalar_one() == (
            original["cases"].rows
        )


def test_a_restore_that_differs_from_its_fingerprints_names_the_table(
    demo_loaded, fresh_engine, tmp_path
):
    db.session.commit()
    backup = create_backup(db.engine, db.metadata, tmp_path / "attune.backup")
    fingerprint_file = tmp_path / "attune.backup.fingerprints.json"
    recorded = json.loads(fingerprint_file.read_text())
    recorded["users"]["rows"] += 1
    recorded["cases"]["sha256"] = "0" * 64
    fingerprint_file.write_text(json.dumps(recorded))

    restored = restore_backup(fresh_engine, db.metadata, backup.path)

    assert restored.mismatches == [
        f"cases: same row count ({recorded['cases']['rows']}), different content",
        f"users: {recorded['users']['rows']} rows in the backup, "
        f"{recorded['users']['rows'] - 1} after the restore",
    ]


def test_the_commands_back_up_and_restore_what_was_there(app, make_user, tmp_path):
    make_user("Kept Before The Backup")
    runner = app.test_cli_runner()
    destination = tmp_path / "nightly.backup"

    made = runner.invoke(args=["backup", str(destination)])
    assert made.exit_code == 0, made.output
    assert "Backed up" in made.output and destination.is_file()
    again = runner.invoke(args=["backup", str(destination)])
    assert again.exit_code != 0 and "exists already" in again.output

    make_user("Added After The Backup")
    db.session.commit()
    db.session.remove()
    restored = runner.invoke(args=["restore", "--yes", str(destination)])
    assert restored.exit_code == 0, restored.output
    assert "Every table matches" in restored.output

    names = set(db.session.scalars(select(User.display_name)))
    assert "Kept Before The Backup" in names
    assert "Added After The Backup" not in names


def test_a_missing_or_foreign_backup_file_is_refused_with_a_reason(app, tmp_path):
    with pytest.raises(BackupError, match="no backup file"):
        restore_backup(db.engine, db.metadata, tmp_path / "absent.backup")
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["restore", str(tmp_path / "absent.backup")], input="n\n")
    assert refused.exit_code != 0
