"""Bulk loading rows around the ORM: COPY on PostgreSQL, batched executemany elsewhere.

Column lists come from the SQLAlchemy ``Table``; a column a row leaves out takes its Python
default (evaluated once per load: ``utcnow`` and ``list`` give the same value to every row,
which is what a bulk load means) or, when it has only a server default, is left to the server.
So the seeder keeps working when other engineers add columns with defaults.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from sqlalchemy import JSON, Connection, Integer, Table, func, select, text

BATCH = 5_000
_MISSING = object()


def _default(column: Any) -> Any:
    default = column.default
    if default is None:
        return _MISSING if column.server_default is not None else None
    if default.is_callable:
        return default.arg(None)
    if default.is_scalar:
        return default.arg
    return _MISSING  # a SQL expression default: leave it to the statement


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch


class BulkLoader:
    """Loads rows into tables on one connection (inside the caller's transaction)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"
        self.counts: dict[str, int] = {}

    def load(self, table: Table, rows: Iterable[dict[str, Any]]) -> int:
        defaults = {c.name: _default(c) for c in table.columns}
        n = 0
        for batch in _batches(rows):
            names = [
                c.name
                for c in table.columns
                if c.name in batch[0] or defaults[c.name] is not _MISSING
            ]
            filled = [{name: row.get(name, defaults[name]) for name in names} for row in batch]
            if self.postgres:
                self._copy(table, names, filled)
            else:
                self.connection.execute(table.insert(), filled)
            n += len(batch)
        self.counts[table.name] = self.counts.get(table.name, 0) + n
        return n

    def _copy(self, table: Table, names: list[str], rows: list[dict[str, Any]]) -> None:
        json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
        columns = ", ".join(f'"{name}"' for name in names)
        raw = self.connection.connection.driver_connection
        statement = f'COPY "{table.name}" ({columns}) FROM STDIN'  # names from our metadata
        with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row([_plain(row[n], n in json_columns) for n in names])

    def reset_sequences(self, tables: Iterable[Table]) -> None:
        """Ids were given explicitly: move each PostgreSQL sequence past the largest one."""
        if not self.postgres:
            return
        for table in tables:
            pk = list(table.primary_key.columns)
            if len(pk) != 1 or not isinstance(pk[0].type, Integer):
                continue
            largest = self.connection.scalar(select(func.max(pk[0]))) or 0
            self.connection.execute(
                text("SELECT setval(pg_get_serial_sequence(:t, :c), :v, false)"),
                {"t": f'"{table.name}"', "c": pk[0].name, "v": largest + 1},
            )


def _plain(value: Any, is_json: bool) -> Any:
    if is_json:
        return json.dumps(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value
