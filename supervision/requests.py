"""The request class: text from the browser never carries NUL characters, and JSON bodies are
never nested deeper than any of our forms sends, nor shaped otherwise than our forms send them.

PostgreSQL refuses NUL in text columns and no person types one, so they are removed as the
query string, the form and JSON bodies are parsed, before any view or form sees them. A body
like ``[[[[...]]]]`` 100,000 levels deep makes the parser raise RecursionError (a 500); it is a
bad request like any other unreadable body.

Flask-WTF reads a JSON body as a form's data, and WTForms fields expect text: a number, ``true``,
``null`` or an object as a field's value made them raise (a 500). So a JSON body is read as a
submitted form: an object whose fields are text (numbers as their text, lists for a field with
several values; anything else left out, as the JSON views always did); a body that is not an
object is a bad request before a view sees it.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items

# Our JSON bodies are flat objects of fields; a rubric document is four levels deep.
MAX_JSON_DEPTH = 32


class JsonTooDeep(ValueError):
    """A JSON document nested past MAX_JSON_DEPTH (a ValueError, as any unreadable JSON)."""


def strip_nul(value: Any) -> Any:
    """``value`` without NUL characters if it is a string; anything else as it is."""
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "")
    return value


def clean_json(value: Any, max_depth: int = MAX_JSON_DEPTH, depth: int = 1) -> Any:
    """``value`` without NUL characters; JsonTooDeep if lists and objects nest past
    ``max_depth`` (one walk does both; the recursion stops at the limit)."""
    if not isinstance(value, list | dict):
        return strip_nul(value)
    if depth > max_depth:
        raise JsonTooDeep(f"past {max_depth} levels.")
    if isinstance(value, list):
        return [clean_json(item, max_depth, depth + 1) for item in value]
    return {strip_nul(key): clean_json(item, max_depth, depth + 1) for key, item in value.items()}


def load_json(text: str | bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads``, cleaned by ``clean_json``: JsonTooDeep past ``max_depth`` levels."""
    try:
        value = json.loads(text)
    except RecursionError:  # the parser's own limit, far past ours
        raise JsonTooDeep(f"past {max_depth} levels.") from None
    return clean_json(value, max_depth)


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
            value = clean_json(super().get_json(force=force, silent=silent, cache=cache))
            return as_form_fields(value) if isinstance(value, dict) else value
        except RecursionError:  # the parser's own limit, far past ours
            error = JsonTooDeep(f"past {MAX_JSON_DEPTH} levels.")
        except JsonTooDeep as too_deep:
            error = too_deep
        if silent:
            return None
        return self.on_json_loading_failed(error)


def refuse_nul_in_path(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """A URL whose path carries a NUL names no page (and must not reach a query): 404."""
    if values and any(isinstance(value, str) and "\x00" in value for value in values.values()):
        abort(404)


def _text(value: Any) -> str | None:
    """A JSON value as a form field's text: text, a number as JSON writes it, else nothing."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return json.dumps(value)
    return None


def as_form_fields(payload: dict[str, Any]) -> dict[str, Any]:
    """A JSON object's fields as a submitted form has them: text, or lists of text for a field
    with several values; booleans, nulls and nested values are left out."""
    fields: dict[str, Any] = {}
    for key, value in payload.items():
        if isinstance(value, list):
            fields[key] = [text for text in map(_text, value) if text is not None]
        elif (text := _text(value)) is not None:
            fields[key] = text
    return fields


def refuse_odd_json() -> None:
    """A JSON body that is not an object of fields: 400. An unreadable one is left to the view
    (which reads it with ``silent=True``, or through Flask-WTF, which answers 400 itself)."""
    if not request.is_json:
        return
    payload = request.get_json(silent=True)
    if payload is not None and not isinstance(payload, dict):
        abort(400, description="The request's fields were not in the shape this page sends.")
