"""Row counts and checksums per table, the same whatever engine holds the rows.

Rows are read in primary-key order and each value is written in a canonical text form
(datetimes in UTC ISO form, bytes in hex), so a SQLite backup restored into SQLite, or a
PostgreSQL dump restored into PostgreSQL, gives the same digest as the original.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, MetaData, select


@dataclass(frozen=True)
class TableFingerprint:
    rows: int
    sha256: str


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, Decimal):
        return str(value)
    return value


def fingerprints(connection: Connection, metadata: MetaData) -> dict[str, TableFingerprint]:
    """One fingerprint per table the models declare, read through ``connection``."""
    result: dict[str, TableFingerprint] = {}
    for table in metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        digest = hashlib.sha256()
        count = 0
        for row in connection.execute(select(table).order_by(*order)):
            digest.update(json.dumps([_canonical(v) for v in row], default=str).encode() + b"\n")
            count += 1
        result[table.name] = TableFingerprint(count, digest.hexdigest())
    return result


def to_json(prints: dict[str, TableFingerprint]) -> str:
    return json.dumps({name: asdict(fp) for name, fp in prints.items()}, indent=2, sort_keys=True)


def from_json(text: str) -> dict[str, TableFingerprint]:
    return {name: TableFingerprint(**fp) for name, fp in json.loads(text).items()}


def differences(
    expected: dict[str, TableFingerprint], actual: dict[str, TableFingerprint]
) -> list[str]:
    """Human-readable lines, one per table that differs; empty when they agree."""
    lines = []
    for name in sorted(set(expected) | set(actual)):
        want, got = expected.get(name), actual.get(name)
        if want == got:
            continue
        if want is None or got is None:
            lines.append(f"{name}: only in the {'restored database' if want is None else 'backup'}")
        elif want.rows != got.rows:
            lines.append(f"{name}: {want.rows} rows in the backup, {got.rows} after the restore")
        else:
            lines.append(f"{name}: same row count ({got.rows}), different content")
    return lines
