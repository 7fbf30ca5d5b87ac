"""Backup and restore of the configured database.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot
while the site keeps serving; a restore copies the file back the same way, page by page.
PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore``, the tools built for it. The dump
is taken from an exported snapshot that the fingerprints are read in too, so both describe
the same instant however busy the site is.

Beside every backup goes ``<file>.fingerprints.json``: row counts and checksums per table,
checked again after a restore.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import Engine

from supervision.backup.fingerprints import (
    TableFingerprint,
    differences,
    fingerprints,
    from_json,
    to_json,
)


class BackupError(RuntimeError):
    """Something the operator must fix; the message says what."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    tables: int
    rows: int


@dataclass(frozen=True)
class RestoreResult:
    tables: int
    rows: int
    checked: bool  # False when the backup had no fingerprints file beside it
    mismatches: list[str]


def fingerprint_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".fingerprints.json")


def _sqlite_file(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("This SQLite database lives in memory; there is no file to back up.")
    return database


def _libpq_url(engine: Engine) -> str:
    # pg_dump and pg_restore speak libpq: the URL without SQLAlchemy's "+psycopg" part.
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed; install the PostgreSQL client tools.")
    return found


def _run(command: list[str]) -> None:
    finished = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if finished.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {finished.stderr.strip()[:2000]}")


def _prints_of(engine: Engine, metadata: MetaData) -> dict[str, TableFingerprint]:
    with engine.connect() as connection:
        return fingerprints(connection, metadata)


def _sqlite_copy(source_file: str | Path, target_file: str | Path) -> None:
    source = sqlite3.connect(source_file)
    target = sqlite3.connect(target_file)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _backup_postgresql(engine: Engine, metadata: MetaData, destination: Path) -> dict:
    with engine.connect() as connection:
        connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        _run(
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                f"--file={destination}",
                _libpq_url(engine),
            ]
        )
        prints = fingerprints(connection, metadata)
        connection.rollback()
    return prints


def create_backup(engine: Engine, metadata: MetaData, destination: Path) -> BackupResult:
    """Write a backup of the database behind ``engine`` to ``destination`` (never over an
    existing file) and its fingerprints beside it."""
    if destination.exists():
        raise BackupError(f"{destination} exists already; choose a new file name.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        _sqlite_copy(_sqlite_file(engine), destination)
        copy = create_engine(f"sqlite:///{destination}")
        try:
            prints = _prints_of(copy, metadata)  # of the copy itself: the same instant
        finally:
            copy.dispose()
    elif engine.dialect.name == "postgresql":
        prints = _backup_postgresql(engine, metadata, destination)
    else:
        raise BackupError(f"Backups of {engine.dialect.name} databases are not supported.")
    fingerprint_path(destination).write_text(to_json(prints), encoding="utf-8")
    return BackupResult(destination, len(prints), sum(fp.rows for fp in prints.values()))


def restore_backup(engine: Engine, metadata: MetaData, source: Path) -> RestoreResult:
    """Replace the database behind ``engine`` with the backup at ``source``, then compare
    its tables with the fingerprints taken at backup time."""
    if not source.is_file():
        raise BackupError(f"There is no backup file at {source}.")
    engine.dispose()  # no pooled connection may keep writing to what is being replaced
    if engine.dialect.name == "sqlite":
        with sqlite3.connect(source) as probe:
            try:
                probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.DatabaseError as error:
                raise BackupError(f"{source} is not a SQLite backup: {error}") from error
        _sqlite_copy(source, _sqlite_file(engine))
    elif engine.dialect.name == "postgresql":
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_libpq_url(engine)}",
                str(source),
            ]
        )
    else:
        raise BackupError(f"Restores into {engine.dialect.name} databases are not supported.")
    prints = _prints_of(engine, metadata)
    expected_file = fingerprint_path(source)
    checked = expected_file.is_file()
    mismatches = (
        differences(from_json(expected_file.read_text(encoding="utf-8")), prints) if checked else []
    )
    return RestoreResult(len(prints), sum(fp.rows for fp in prints.values()), checked, mismatches)
