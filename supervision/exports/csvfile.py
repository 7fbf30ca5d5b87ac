"""A group report as a CSV download: UTF-8 with a byte-order mark (so spreadsheets read names
like "Tomás" right), every cell through ``safe_cell``, never cached."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from flask import Response

from supervision.exports.csvsafe import safe_cell
from supervision.exports.sections import GroupReport

BOM = "\ufeff"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return safe_cell(value)


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180
    writer.writerow([_cell(value) for value in header])
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return BOM + buffer.getvalue()


def download_name(*parts: str, suffix: str) -> str:
    """A plain ASCII file name: "tuesday-supervision-members.csv"."""
    words = "-".join(parts).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", words).strip("-")[:80] or "export"
    return f"{slug}{suffix}"


def attachment(body: bytes | str, content_type: str, filename: str) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(report: GroupReport, group_name: str = "") -> Response:
    body = csv_text(report.header, report.rows)
    name = download_name(group_name, report.key, suffix=".csv")
    return attachment(body.encode("utf-8"), "text/csv; charset=utf-8", name)
