"""Refusing an object that exists: the answer (404 from a loader, 403 from ``require``) and the
trail's ``denied`` entry, which names the object whose check failed. A missing object is not a
denial and leaves no entry."""

from __future__ import annotations

from typing import Any, NoReturn

from flask import abort

from supervision.audit.trail import describe, note


def _group_of(obj: Any) -> int | None:
    if getattr(obj, "__tablename__", None) == "groups":
        return obj.id
    return getattr(obj, "group_id", None)


def refuse(
    obj: Any, status: int = 404, *, group_id: int | None = None, permission: str | None = None
) -> NoReturn:
    """Note who was refused ``obj`` (a mapped object, or None for a rule about nobody's
    object), then abort with ``status``."""
    detail: dict[str, Any] = {"status": status}
    if permission:
        detail["permission"] = permission
    if hasattr(obj, "__tablename__"):
        table, object_id = describe(obj)
        note("denied", table, object_id, group_id=group_id or _group_of(obj), detail=detail)
    else:
        note("denied", group_id=group_id, detail=detail)
    abort(status)
