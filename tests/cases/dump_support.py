"""Searching the whole database for a text, as an attacker holding a copy of it would: every
column of every table (reflected from the database, not taken from the models), the backend's
own dump, and on SQLite the raw bytes of the file, free pages and free space in pages included.
"""

from __future__ import annotations

import html
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import MetaData

from supervision.extensions import db


def forms(passage: str) -> set[str]:
    """The passage as it may be stored: as typed, and escaped in HTML."""
    return {passage, html.escape(passage, quote=False), html.escape(passage)}


def columns_holding(passage: str) -> list[str]:
    """``table.column`` of every value in the database that holds the passage: every column of
    every table, read back as the backend stores it (binary session data included)."""
    db.session.expire_all()
    wanted = forms(passage)
    found = []
    tables = MetaData()  # reflected from the database itself, not taken from the models
    with db.engine.connect() as conn:
        tables.reflect(conn)
        for table in tables.tables.values():
            for row in conn.execute(table.select()).mappings():
                for column, value in row.items():
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    if any(form in str(value) for form in wanted):
                        found.append(f"{table.name}.{column}")
    return found


def sqlite_path() -> Path | None:
    url = db.engine.url
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def sqlite_file_holds(passage: str) -> bool:
    """Whether the SQLite file (and its WAL, if any) holds the passage anywhere, free pages and
    free space inside pages included, after a checkpoint."""
    path = sqlite_path()
    assert path is not None
    db.session.commit()  # no transaction left open: nothing held back in a journal
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = b"".join(
        candidate.read_bytes()
        for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-journal"))
        if candidate.exists()
    )
    return any(form.encode() in data for form in forms(passage))


def database_dump() -> str | None:
    """The backend's own dump of the data: SQLite's ``iterdump``, or ``pg_dump`` (None where
    it is not installed)."""
    path = sqlite_path()
    if path is not None:
        with sqlite3.connect(path) as conn:
            return "\n".join(conn.iterdump())
    if shutil.which("pg_dump") is None:
        return None
    url = db.engine.url
    command = ["pg_dump", "--data-only", "-h", url.host or "127.0.0.1"]
    command += ["-p", str(url.port or 5432), "-U", url.username or "postgres"]
    return subprocess.run(
        [*command, url.database or ""],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PGPASSWORD": url.password or ""},
        timeout=120,
    ).stdout
