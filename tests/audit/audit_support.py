"""What the trail's tests share: reading the entries back, and counting a page's queries."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select

from supervision.extensions import db
from supervision.models import AuditEntry


def entries(**where: Any) -> list[AuditEntry]:
    """The committed entries matching ``where`` (column=value), oldest first."""
    db.session.rollback()  # see what is committed, and free SQLite's lock for the next request
    query = select(AuditEntry).order_by(AuditEntry.seq)
    for name, value in where.items():
        query = query.where(getattr(AuditEntry, name) == value)
    found = list(db.session.scalars(query))
    db.session.rollback()
    return found


def detail(entry: AuditEntry) -> dict[str, Any]:
    return json.loads(entry.detail)


@contextmanager
def counting_queries() -> Iterator[Callable[[], int]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield lambda: len(statements)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
