"""What goes into the audit trail, and when it is written.

Two kinds of entry:

- ``record``: part of the transaction under way. It is written by that transaction's commit
  and vanishes with its rollback: a change that did not happen leaves no entry.
- ``note``: what happened whatever becomes of the transaction: a read, a denial, a failed
  login. Written by the next commit, or at the end of the request if nothing commits.

Every ORM insert, update and delete is recorded by ``capture_changes`` (from the flush), so no
write path can forget its entry; features add ``record``/``note`` for what a flush cannot see
(reads, logins, denials, exports, emergency access). Entries carry ids, the names of the
columns that changed, and short codes: never text of a case, a password or a token.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from flask import g, has_request_context, request
from sqlalchemy import inspect
from sqlalchemy.orm import Session, SessionTransaction

from supervision.audit.chain import PendingEntry
from supervision.extensions import db
from supervision.models.audit import AuditChain, AuditEntry
from supervision.models.types import utcnow

_RECORDED = "audit_recorded"  # session.info: entries that live and die with the transaction
_NOTED = "audit_noted"  # session.info: entries kept even if the transaction rolls back
_MARK = "audit_marks"  # session.info: how many recorded entries came before each savepoint

# Tables whose rows are the trail itself, or bookkeeping that changes as people read (where
# each reader has got to in a thread is not a change to anything anyone wrote).
_NOT_CAPTURED = {
    AuditEntry.__tablename__,
    AuditChain.__tablename__,
    "server_sessions",
    "thread_reads",
}
# Columns whose change alone is not worth an entry (touched on every request or view).
_ROUTINE_COLUMNS = {"login_sessions": {"last_seen_at"}}

# Where an object says whose material it is, by table.
_SUBJECT_COLUMNS = ("author_id", "supervisee_id", "user_id", "owner_id")


def actor_id() -> int | None:
    """The signed-in user making this request, without loading anything (safe inside a flush):
    Flask-Login keeps the loaded user on ``g``; a CLI command or a job has no actor."""
    if not has_request_context():
        return None
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    identity = inspect(user).identity
    return int(identity[0]) if identity else None


def _address() -> str:
    return (request.remote_addr or "")[:45] if has_request_context() else ""


def _pending(
    action: str,
    object_type: str,
    object_id: int | None,
    group_id: int | None,
    subject_id: int | None,
    detail: dict[str, Any] | None,
    actor: int | None,
) -> PendingEntry:
    return PendingEntry(
        at=utcnow(),
        action=action,
        actor_id=actor_id() if actor is None else actor,
        object_type=object_type,
        object_id=object_id,
        group_id=group_id,
        subject_id=subject_id,
        address=_address(),
        detail=detail,
    )


def record(
    action: str,
    object_type: str = "",
    object_id: int | None = None,
    *,
    group_id: int | None = None,
    subject_id: int | None = None,
    detail: dict[str, Any] | None = None,
    actor: int | None = None,
) -> None:
    """An entry that commits with the current transaction, or not at all."""
    entry = _pending(action, object_type, object_id, group_id, subject_id, detail, actor)
    session = db.session()
    if not session.in_transaction():  # so a rollback before any query still drops it
        session.begin()
    session.info.setdefault(_RECORDED, []).append(entry)


def note(
    action: str,
    object_type: str = "",
    object_id: int | None = None,
    *,
    group_id: int | None = None,
    subject_id: int | None = None,
    detail: dict[str, Any] | None = None,
    actor: int | None = None,
) -> None:
    """An entry kept whatever becomes of the current transaction (reads, denials, failures)."""
    entry = _pending(action, object_type, object_id, group_id, subject_id, detail, actor)
    db.session.info.setdefault(_NOTED, []).append(entry)


def read(obj: Any, *, detail: dict[str, Any] | None = None) -> None:
    """Note that the current user read ``obj`` (a case, review, evaluation...)."""
    note("read", *describe(obj), detail=detail, **_scope(obj))


def describe(obj: Any) -> tuple[str, int | None]:
    """The table and id an entry names an object by."""
    state = inspect(obj)
    if state.identity:
        return obj.__tablename__, int(state.identity[0])
    # Just inserted (inside the flush, before the identity is set): the key is in the row.
    key = state.dict.get(state.mapper.primary_key[0].key)
    return obj.__tablename__, (int(key) if key is not None else None)


def _scope(obj: Any) -> dict[str, int | None]:
    """The group and the person an object belongs to, from its own columns (never a query:
    this runs inside a flush)."""
    state = inspect(obj)
    values = state.dict
    group_id = values.get("group_id")
    if obj.__tablename__ == "groups":
        group_id = state.identity[0] if state.identity else None
    subject_id = next((values[c] for c in _SUBJECT_COLUMNS if values.get(c) is not None), None)
    return {"group_id": group_id, "subject_id": subject_id}


def capture_changes(session: Session, _context: Any) -> None:
    """After each flush: one entry per row inserted, updated or deleted, with the names of the
    columns that changed (never their values)."""
    entries = session.info.setdefault(_RECORDED, [])
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            table = getattr(obj, "__tablename__", None)
            if table is None or table in _NOT_CAPTURED:
                continue
            columns = _changed_columns(obj) if action == "update" else []
            routine = _ROUTINE_COLUMNS.get(table, set())
            if action == "update" and (not columns or set(columns) <= routine):
                continue
            detail = {"columns": columns} if columns else None
            entries.append(
                _pending(action, *describe(obj), **_scope(obj), detail=detail, actor=None)
            )


def _changed_columns(obj: Any) -> list[str]:
    state = inspect(obj)
    return sorted(
        attr.key
        for attr in state.mapper.column_attrs
        if state.attrs[attr.key].history.has_changes()
    )


def take_pending(session: Session) -> list[PendingEntry]:
    """Both kinds of waiting entry, in the order they happened, emptied from the session."""
    entries = session.info.pop(_RECORDED, []) + session.info.pop(_NOTED, [])
    return sorted(entries, key=lambda entry: entry.at)


def has_notes(session: Session) -> bool:
    return bool(session.info.get(_NOTED))


def mark_savepoint(session: Session, transaction: SessionTransaction) -> None:
    """Remember how many entries a savepoint starts after, to drop only its own on rollback."""
    if transaction.nested:
        marks = session.info.setdefault(_MARK, WeakKeyDictionary())
        marks[transaction] = len(session.info.get(_RECORDED, []))


def forget_rolled_back(session: Session, previous: SessionTransaction) -> None:
    """A rolled-back transaction's changes did not happen: neither did their entries. A
    savepoint's rollback drops only what was recorded inside it."""
    recorded = session.info.get(_RECORDED)
    if not recorded:
        return
    if previous.nested:
        del recorded[session.info.get(_MARK, {}).get(previous, 0) :]
    elif previous.parent is None:
        session.info.pop(_RECORDED, None)
