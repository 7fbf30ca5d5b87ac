"""The request class: text from the browser never carries NUL characters.

PostgreSQL refuses NUL in text columns and no person types one, so they are removed as the
query string, the form and JSON bodies are parsed, before any view or form sees them.
"""

from __future__ import annotations

from typing import Any

from flask import Request, abort
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items


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
        return strip_nul(super().get_json(force=force, silent=silent, cache=cache))


def refuse_nul_in_path(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """A URL whose path carries a NUL names no page (and must not reach a query): 404."""
    if values and any(isinstance(value, str) and "\x00" in value for value in values.values()):
        abort(404)
