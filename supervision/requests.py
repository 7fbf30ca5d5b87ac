"""The request class: text from the browser never carries NUL characters, and JSON bodies are
never nested deeper than any of our forms sends.

PostgreSQL refuses NUL in text columns and no person types one, so they are removed as the
query string, the form and JSON bodies are parsed, before any view or form sees them. A body
like ``[[[[...]]]]`` 100,000 levels deep makes the parser raise RecursionError (a 500); it is a
bad request like any other unreadable body.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Request, abort
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items

# Our JSON bodies are flat objects of fields; a rubric document is four levels deep.
MAX_JSON_DEPTH = 32


class JsonTooDeep(ValueError):
    """A JSON document nested past MAX_JSON_DEPTH (a ValueError, as any unreadable JSON)."""


def nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether lists and objects in ``value`` nest more than ``limit`` levels (iteratively: a
    recursive walk would fail on exactly the documents it is meant to refuse)."""
    stack = [(value, 1)] if isinstance(value, list | dict) else []
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, list | dict))
    return False


def load_json(text: str | bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` that refuses documents nested past ``max_depth`` with JsonTooDeep."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise JsonTooDeep(f"past {max_depth} levels.") from None
    if nested_deeper_than(value, max_depth):
        raise JsonTooDeep(f"past {max_depth} levels.")
    return value


def strip_nul(value: Any) -> Any:
    """Remove NUL characters from strings, recursively through JSON-like structures."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, list):
        return [strip_nul(item) for item in value]
    if isinstance(value, dict):
        return {strip_nul(key): strip_nul(item) for key, item in value.items()}
    return value


class CleanMultiDict(ImmutableMultiDict):  # type: ignore[type-arg]
    """Immutable parameters whose keys and text values are free of NUL."""

    def __init__(self, mapping: Any = None) -> None:
        if mapping is None:
            super().__init__()
            return
        super().__init__(
            [(strip_nul(key), strip_nul(value)) for key, value in iter_multi_items(mapping)]
        )


class CleanRequest(Request):
    parameter_storage_class = CleanMultiDict

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        try:
            value = super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            value, too_deep = None, True
        else:
            too_deep = nested_deeper_than(value, MAX_JSON_DEPTH)
        if too_deep:
            if silent:
                return None
            return self.on_json_loading_failed(JsonTooDeep("The JSON is nested too deeply."))
        return strip_nul(value)


def refuse_nul_in_path(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """A URL whose path carries a NUL names no page (and must not reach a query): 404."""
    if values and any(isinstance(value, str) and "\x00" in value for value in values.values()):
        abort(404)
