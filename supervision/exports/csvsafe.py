"""CSV cells that a spreadsheet will not run: text starting with = + - @ or a tab or carriage
return is read as a formula by Excel, LibreOffice and Google Sheets (OWASP "CSV injection"),
so it gets a leading apostrophe, which they show as plain text."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet may safely open it; numbers and None pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
