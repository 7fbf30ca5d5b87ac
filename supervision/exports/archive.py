"""The portfolio archive: one zip with a README (what it is, whose, when, what is in it), each
section as Markdown and as JSON, and everything in ``portfolio.json``. The sections are the
registered builders' (``sections.portfolio_sections``): this module adds no rule of its own."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from supervision.exports.sections import PortfolioSection, portfolio_sections
from supervision.models import User

SCHEMA = "attune.portfolio/1"


@dataclass(frozen=True)
class Portfolio:
    user: User
    made_at: datetime
    sections: list[PortfolioSection]


def build_portfolio(user: User, now: datetime) -> Portfolio:
    return Portfolio(user, now, portfolio_sections(user))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # hours and the like: exact, as written
    if isinstance(value, timedelta):
        return value.total_seconds()
    raise TypeError(f"not JSON-able: {type(value).__name__}")


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def _readme(portfolio: Portfolio) -> str:
    made = portfolio.made_at.strftime("%d %B %Y, %H:%M UTC")
    lines = [
        f"# Portfolio of {portfolio.user.display_name}",
        "",
        f"Downloaded from Attune on {made}.",
        "",
        "Your own supervision record: your cases at their current revision, the feedback",
        "released to you, your growth, and the records the platform keeps with you. It holds",
        "what you may read on the pages and nothing more: never anyone's private notes, and no",
        "passage that was redacted. It still holds case material: keep it somewhere safe.",
        "",
        "Each part is here twice: as Markdown (`.md`, to read) and as JSON (`.json`, for other",
        "programs). `portfolio.json` holds every part in one file.",
        "",
        "## Contents",
        "",
    ]
    for section in portfolio.sections:
        count = len(section.records)
        lines.append(
            f"- {section.title}: {count} record{'s' if count != 1 else ''}"
            f" (`{section.key}.md`, `{section.key}.json`)"
        )
    return "\n".join(lines) + "\n"


def _document(portfolio: Portfolio) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "person": portfolio.user.display_name,
        "made_at": portfolio.made_at.isoformat(),
        "sections": [
            {"key": s.key, "title": s.title, "records": s.records} for s in portfolio.sections
        ],
    }


def archive_bytes(portfolio: Portfolio) -> bytes:
    """The zip: README.md, <key>.md and <key>.json per section, portfolio.json."""
    buffer = io.BytesIO()
    stamp = portfolio.made_at.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, text: str) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))

        add("README.md", _readme(portfolio))
        for section in portfolio.sections:
            add(f"{section.key}.md", section.markdown)
            add(f"{section.key}.json", _json({"key": section.key, "records": section.records}))
        add("portfolio.json", _json(_document(portfolio)))
    return buffer.getvalue()
