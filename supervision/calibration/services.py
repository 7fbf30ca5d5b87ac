"""Calibration vignettes and their gold levels (services flush, never commit)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from supervision.cases.privacy import register_redaction_hook, scrub
from supervision.cases.services import create_case
from supervision.extensions import db
from supervision.models import Case, GoldLevel, Group, User
from supervision.models.calibration import RATIONALE_MAX
from supervision.models.rubric import LEVELS
from supervision.models.types import utcnow
from supervision.rubrics.services import group_rubric_version


class CalibrationError(ValueError):
    pass


@dataclass(frozen=True)
class GoldInput:
    level: int | None  # None: agreed "not visible in this vignette"
    rationale: str = ""


def create_calibration_vignette(
    group: Group, author: User, title: str, sections: dict[str, str]
) -> Case:
    """A draft case marked as a calibration vignette: it goes through the gate like any case."""
    case = create_case(group, author, title, sections)
    case.is_calibration = True
    db.session.flush()
    return case


def set_calibration(case: Case, on: bool) -> None:
    case.is_calibration = on
    db.session.flush()


def gold_levels(case: Case) -> dict[str, GoldLevel]:
    """The case's gold levels by criterion key (one query)."""
    rows = db.session.scalars(select(GoldLevel).where(GoldLevel.case_id == case.id))
    return {row.criterion_key: row for row in rows}


def save_gold(case: Case, user: User, entries: Mapping[str, GoldInput]) -> None:
    """Record the agreed level and rationale of each criterion of the group's rubric version;
    criteria not in ``entries`` keep what they had."""
    if not case.is_calibration:
        raise CalibrationError("Only a calibration vignette has gold levels.")
    version = group_rubric_version(case.group)
    keys = {criterion.key for criterion in version.criteria}
    existing = gold_levels(case)
    for key, entry in entries.items():
        if key not in keys:
            raise CalibrationError(f"The rubric has no criterion {key!r}.")
        if entry.level is not None and entry.level not in LEVELS:
            raise CalibrationError("A gold level is a level of the scale, or not visible.")
        if len(entry.rationale) > RATIONALE_MAX:
            raise CalibrationError(f"A rationale is at most {RATIONALE_MAX} characters.")
        row = existing.get(key)
        if row is None:
            row = GoldLevel(case_id=case.id, criterion_key=key)
            db.session.add(row)
        row.rubric_version_id = version.id
        row.level = entry.level
        row.rationale = entry.rationale.strip()
        row.recorded_by_id = user.id
        row.recorded_at = utcnow()
    db.session.flush()


@register_redaction_hook
def redact_gold(case: Case, passage: str) -> int:
    """A rationale may quote the vignette: a redaction reaches it too."""
    removed = 0
    for row in gold_levels(case).values():
        if passage and passage in row.rationale:
            removed += row.rationale.count(passage)
            row.rationale = scrub(row.rationale, passage)
    db.session.flush()
    return removed
