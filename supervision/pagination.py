"""Keyset pagination: a page of a list that grows, without OFFSET and without a count.

A list is ordered newest first by a unique key, e.g. ``(Case.updated_at, Case.id)``. A page is
the N rows after (older than) or before (newer than) the key of a row the reader saw, read with
one indexed range query of N+1 rows (the extra row says whether there is more). Cursors are
opaque strings in ``?after=`` / ``?before=``; ``?at=last`` is the oldest page. A cursor that is
not one of ours, or that points past the end, gives the first page: never an error; "newer"
back to the top gives the first page too (full, the same as its link).

Use::

    page = keyset_page(query, (Case.updated_at, Case.id), per_page=20)  # reads request.args
    render_template(..., page=page)

and in the template ``{{ keyset_nav(page, 'cases.group_list', group_id=group.id) }}``
(``_macros/ui.html``). ``query`` is a ``select()`` with its WHERE clauses but no ORDER BY; an
index on ``(<the WHERE's equality columns>, *key)`` serves it. Each item's key is read from the
attributes named like the key columns, or by ``key=`` for rows that are not entities.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import request
from sqlalchemy import Select, TypeDecorator, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from supervision.extensions import db

LAST = "last"


@dataclass(frozen=True)
class KeysetPage:
    """One page: ``items`` newest first, and cursors for the neighbours (None: no such page)."""

    items: list[Any]
    newer: str | None  # value for ?before= (the page above)
    older: str | None  # value for ?after= (the page below)
    is_first: bool
    is_last: bool

    @property
    def has_more(self) -> bool:
        return self.newer is not None or self.older is not None


def encode_cursor(values: Sequence[Any]) -> str:
    text = "|".join(v.isoformat() if isinstance(v, date) else str(v) for v in values)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, columns: Sequence[Any]) -> tuple[Any, ...] | None:
    """The key values in ``cursor``, typed like ``columns``; None if it is not a valid cursor."""
    if not cursor or len(cursor) > 200:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        parts = text.split("|")
        if len(parts) != len(columns):
            return None
        return tuple(_parse(part, column) for part, column in zip(parts, columns, strict=True))
    except (ValueError, binascii.Error, UnicodeDecodeError, OverflowError):
        return None


def _parse(text: str, column: Any) -> Any:
    column_type = column.type
    if isinstance(column_type, TypeDecorator):  # UTCDateTime: its DateTime says the type
        column_type = column_type.impl_instance
    python_type = column_type.python_type
    if python_type is datetime:
        value = datetime.fromisoformat(text)
        if value.tzinfo is None:
            raise ValueError("cursor time without a zone")
        return value
    if python_type is date:
        return date.fromisoformat(text)
    if python_type is int:
        number = int(text)
        if not -(2**31) <= number < 2**31:
            raise ValueError("cursor id out of range")
        return number
    return python_type(text)


def _attribute_key(columns: Sequence[InstrumentedAttribute[Any]]) -> Callable[[Any], tuple]:
    names = [column.key for column in columns]
    return lambda item: tuple(getattr(item, name) for name in names)


def keyset_page(
    query: Select[Any],
    key_columns: Sequence[Any],
    *,
    per_page: int,
    after: str | None = None,
    before: str | None = None,
    at: str | None = None,
    key: Callable[[Any], tuple] | None = None,
    scalars: bool = True,
) -> KeysetPage:
    """A page of ``query`` newest first by ``key_columns`` (unique together, e.g. time then id).

    Cursors default to ``request.args`` (``after``, ``before``, ``at``); pass them explicitly
    outside a request. ``scalars=False`` for queries selecting several columns (rows).
    """
    if after is None and before is None and at is None:
        after, before, at = (request.args.get(n) for n in ("after", "before", "at"))
    key = key or _attribute_key(key_columns)
    row_key = tuple_(*key_columns)
    descending = [column.desc() for column in key_columns]
    ascending = [column.asc() for column in key_columns]
    fetch = db.session.scalars if scalars else db.session.execute

    if at == LAST:
        rows = list(fetch(query.order_by(*ascending).limit(per_page + 1)).all())
        more = len(rows) > per_page
        items = rows[:per_page][::-1]
        return _page(items, key, has_newer=more, has_older=False)

    before_key = decode_cursor(before, key_columns)
    if before_key is not None:
        rows = list(
            fetch(query.where(row_key > before_key).order_by(*ascending).limit(per_page + 1))
        )
        if len(rows) > per_page:
            return _page(rows[:per_page][::-1], key, has_newer=True, has_older=True)
        # Back at the newest rows: the first page itself, full, rather than a short one.

    after_key = decode_cursor(after, key_columns) if before_key is None else None
    if after_key is not None:
        rows = list(
            fetch(query.where(row_key < after_key).order_by(*descending).limit(per_page + 1))
        )
        if rows:
            more = len(rows) > per_page
            return _page(rows[:per_page], key, has_newer=True, has_older=more)

    # No cursor, a cursor of no page, or past either end: the first page.
    rows = list(fetch(query.order_by(*descending).limit(per_page + 1)))
    return _page(rows[:per_page], key, has_newer=False, has_older=len(rows) > per_page)


def _page(
    items: list[Any], key: Callable[[Any], tuple], *, has_newer: bool, has_older: bool
) -> KeysetPage:
    return KeysetPage(
        items=items,
        newer=encode_cursor(key(items[0])) if has_newer and items else None,
        older=encode_cursor(key(items[-1])) if has_older and items else None,
        is_first=not has_newer,
        is_last=not has_older,
    )
