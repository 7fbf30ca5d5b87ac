"""Optimistic locking for every versioned write: the ``edit_version`` counter, claimed in the
database.

Comparing the version a form was opened on with the loaded row catches a stale tab, but not two
requests that both loaded the row before either committed: both would pass the check and the
second would silently overwrite the first. ``claim_edit_version`` is a compare-and-set,
``UPDATE ... SET edit_version = seen + 1 WHERE id = ... AND edit_version = seen``: of two
transactions claiming the same version exactly one updates a row (PostgreSQL re-checks the
condition once the winner commits; SQLite lets one writer at a time), the other gets rowcount 0
and answers with its conflict error.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, update
from sqlalchemy.orm.attributes import set_committed_value

from supervision.extensions import db


def claim_edit_version(obj: Any, seen: int | None = None) -> bool:
    """Move ``obj.edit_version`` from ``seen`` (default: the version loaded) to ``seen + 1``;
    False when another transaction got there first (nothing is changed then)."""
    model = type(obj)
    expected = obj.edit_version if seen is None else seen
    state = inspect(obj)
    if state.identity is None:  # made in this transaction: give it its row first
        db.session.flush([obj])
    key = inspect(model).primary_key[0]
    claimed = db.session.execute(
        update(model)
        .where(key == state.identity[0], model.edit_version == expected)
        .values(edit_version=expected + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return False
    # What the row now holds; not a pending change (the flush must not write it again).
    set_committed_value(obj, "edit_version", expected + 1)
    return True
