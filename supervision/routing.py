"""Integers from the browser, checked once: ids in paths, numbers in query strings and forms.

Every id column is an ``INTEGER``, 32 bits on PostgreSQL; a larger number reaching a query is
an error there (and on SQLite past 64 bits), so it is refused before any view sees it: in a path
with a 404 (no such page), in a query string with a 400, in a form or a JSON body as a field
error (DbIntegerField).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter
from wtforms import IntegerField

DB_INT_MIN = -(2**31)
DB_INT_MAX = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` for the whole app: 1 to the largest INTEGER, or the URL matches nothing."""

    def __init__(self, map: Any, fixed_digits: int = 0, min: int = 1, max: int = DB_INT_MAX):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max)


def _is_integer_text(value: str) -> bool:
    text = value.strip()
    digits = text[1:] if text[:1] in "+-" else text
    return digits.isascii() and digits.isdigit()


def parse_int(value: Any) -> int | None:
    """``value`` as an integer the database can store, or None (not a whole number, too big)."""
    if isinstance(value, str) and _is_integer_text(value):
        # Past 12 digits it is out of range anyway; int() of thousands of digits is an error.
        number = int(value) if len(value.strip()) <= 12 else None
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        return None
    return number if number is not None and DB_INT_MIN <= number <= DB_INT_MAX else None


def arg_int(name: str, default: int | None = None) -> int | None:
    """An integer query parameter, as Werkzeug's ``type=int`` reads it (absent or not a number:
    ``default``), except that a number no column can hold is a 400 rather than a failed query."""
    value = request.args.get(name)
    if value is None or not _is_integer_text(value):
        return default
    number = parse_int(value)
    if number is None:
        abort(400)
    return number


def form_int(value: Any, default: int = -1) -> int:
    """A number from a hidden form field (an ``edit_version``); anything else is ``default``,
    which no stored version has, so a garbled form gets the conflict answer."""
    number = parse_int(value)
    return default if number is None else number


class DbIntegerField(IntegerField):
    """The IntegerField of every form: a number past the database's INTEGER is a field error
    and leaves ``data`` None, as any other unreadable number does, so no view queries with it."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and parse_int(self.data) is None:
            self.data = None
            raise ValueError(self.gettext("This number is out of range."))


def init_routing(app: Flask) -> None:
    """Before any blueprint adds its rules: every ``<int:...>`` is an id in the INTEGER range."""
    app.url_map.converters["int"] = IdConverter
