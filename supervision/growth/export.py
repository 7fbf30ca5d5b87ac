"""The portfolio's "growth" section: what one's own growth page shows (``growth_of`` with the
person as viewer, so its rules hold): per criterion, the released levels over time with one's
own levels beside them, and how far one's own run above or below."""

from __future__ import annotations

from typing import Any

from supervision.exports.sections import PortfolioSection
from supervision.growth.series import CriterionGrowth, growth_of
from supervision.models import User

KEY = "growth"
TITLE = "Growth"


def _record(criterion: CriterionGrowth) -> dict[str, Any]:
    return {
        "criterion": criterion.key,
        "title": criterion.title,
        "levels_given": criterion.scored_count,
        "self_gap": criterion.self_gap,
        "self_gap_text": criterion.self_gap_text,
        "points": [
            {
                "released_at": point.released_at.isoformat(),
                "case": point.case_title,
                "revision": point.revision_number,
                "reviewer": point.reviewer_name,
                "level": point.level,
                "level_text": point.level_text,
                "descriptor": point.descriptor,
                "my_level": point.self_level,
            }
            for point in criterion.points
        ],
    }


def _markdown(records: list[dict[str, Any]]) -> str:
    lines = [f"# {TITLE}", ""]
    if not records:
        lines += ["No released levels yet: growth shows once reviews of your cases are.", ""]
    for record in records:
        lines += [f"## {record['title']}", ""]
        if record["self_gap_text"]:
            lines += [record["self_gap_text"], ""]
        lines += ["| Released | Case | Reviewer | Level | My level |", "|---|---|---|---|---|"]
        for p in record["points"]:
            mine = "" if p["my_level"] is None else str(p["my_level"])
            case = f"{p['case']} (revision {p['revision']})".replace("|", "\\|")
            reviewer = p["reviewer"].replace("|", "\\|")
            row = f"| {p['released_at'][:10]} | {case} | {reviewer} | {p['level_text']} | {mine} |"
            lines.append(row)
        lines.append("")
    return "\n".join(lines)


def growth_section(user: User) -> PortfolioSection:
    growth = growth_of(user, user, whole=True)  # the whole record, not a page's window
    records = [_record(criterion) for criterion in growth.criteria]
    return PortfolioSection(KEY, TITLE, records, _markdown(records))
