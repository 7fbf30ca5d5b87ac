"""The portfolio's "cases" section: the person's own cases, each at its current revision
(the newest one the author wrote), with status and dates. Only cases the author may still open
(``CASE_VIEW``: they still belong to the group); the stored text is what the pages show,
already scrubbed of every redacted passage."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from supervision.cases.sections import SECTIONS
from supervision.exports.sections import PortfolioSection
from supervision.extensions import db
from supervision.models import Case, User
from supervision.permissions import Permission, can, know_roles_of

KEY = "cases"
TITLE = "Cases"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _record(case: Case) -> dict[str, Any]:
    revision = case.revisions[-1]
    return {
        "id": case.id,
        "group": case.group.name,
        "title": revision.title,
        "status": case.status.label,
        "calibration_vignette": case.is_calibration,
        "revision": revision.number,
        "shared_revision": case.published_number,
        "created_at": _iso(case.created_at),
        "updated_at": _iso(case.updated_at),
        "shared_at": _iso(case.shared_at),
        "closed_at": _iso(case.closed_at),
        "sections": {section.key: getattr(revision, section.key) or "" for section in SECTIONS},
        "what_i_altered": revision.altered_note or "",
    }


def _markdown(records: list[dict[str, Any]]) -> str:
    lines = [f"# {TITLE}", ""]
    if not records:
        lines += ["You have written no cases yet.", ""]
    for record in records:
        lines += [f"## {record['title']}", ""]
        status = f"{record['status']} in {record['group']}, revision {record['revision']}"
        if record["shared_revision"] and record["shared_revision"] != record["revision"]:
            status += f" (the group reads revision {record['shared_revision']})"
        lines += [f"*{status}. Written {record['created_at'][:10]}.*", ""]
        for section in SECTIONS:
            text = record["sections"][section.key].strip()
            lines += [f"### {section.label}", "", text or "—", ""]
        if record["what_i_altered"]:
            lines += ["### What I altered", "", record["what_i_altered"].strip(), ""]
    return "\n".join(lines)


def cases_section(user: User) -> PortfolioSection:
    know_roles_of(user)
    cases = db.session.scalars(
        select(Case)
        .options(selectinload(Case.revisions), selectinload(Case.group), selectinload(Case.flags))
        .where(Case.author_id == user.id)
        .order_by(Case.created_at, Case.id)
    ).all()
    records = [_record(case) for case in cases if can(user, Permission.CASE_VIEW, case)]
    return PortfolioSection(KEY, TITLE, records, _markdown(records))
