"""The registry export parts are contributed through: no feature imports here but models.

A portfolio section is what one feature holds of one person, as JSON-able records and as
Markdown. A group report is one CSV table about a group, for its facilitators. Builders see
only what the person could see on the pages (and never anyone's private notes): the export
adds no rule of its own, so it can add no leak of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from supervision.models import Group, User


@dataclass(frozen=True)
class PortfolioSection:
    key: str  # file stem in the archive: "hours" -> hours.md and hours.json
    title: str
    records: list[dict[str, Any]] = field(default_factory=list)
    markdown: str = ""


@dataclass(frozen=True)
class GroupReport:
    key: str  # file stem and URL part: "hours" -> hours.csv
    title: str
    header: Sequence[str]
    rows: list[Sequence[Any]]


PortfolioBuilder = Callable[[User], PortfolioSection]
GroupReportBuilder = Callable[[Group], GroupReport]

_portfolio: list[tuple[int, str, PortfolioBuilder]] = []
_group_reports: list[tuple[int, str, str, GroupReportBuilder]] = []


def register_portfolio_section(order: int, key: str, builder: PortfolioBuilder) -> None:
    """``order`` places the section in the archive (cases 10, feedback 20, growth 30,
    hours 40, evaluations 50). Registering the same key again replaces it."""
    _portfolio[:] = [entry for entry in _portfolio if entry[1] != key]
    _portfolio.append((order, key, builder))
    _portfolio.sort(key=lambda entry: entry[0])


def register_group_report(order: int, key: str, title: str, builder: GroupReportBuilder) -> None:
    _group_reports[:] = [entry for entry in _group_reports if entry[1] != key]
    _group_reports.append((order, key, title, builder))
    _group_reports.sort(key=lambda entry: entry[0])


def portfolio_sections(user: User) -> list[PortfolioSection]:
    return [builder(user) for _order, _key, builder in _portfolio]


def group_report_keys() -> list[tuple[str, str]]:
    """(key, title) of every group report, in order: what the reports page offers."""
    return [(key, title) for _order, key, title, _builder in _group_reports]


def group_report(key: str, group: Group) -> GroupReport | None:
    for _order, report_key, _title, builder in _group_reports:
        if report_key == key:
            return builder(group)
    return None
