"""Helpers for the case-vignette tests: a small group, signed-in browsers, quick set-up verbs.

Set-up goes through the services (fast, and the rules live there); behaviour is then checked
through the pages, as each member sees them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from support import (
    CLEAN_SECTIONS,
    CLEAN_TITLE,
    NOTE,
    SupervisionWorld,
    pass_gate,
    supervision_world,
)
from support import Browser as Browser  # re-exported for the tests, as are the next three
from support import resolve_all as resolve_all
from support import revise as revise
from support import shared_case as shared_case

from supervision.cases.sections import CHECKLIST_KEYS, SECTION_KEYS
from supervision.cases.services import create_case
from supervision.extensions import db
from supervision.models import Case, CaseRevision, Group, User

CLEAN = CLEAN_SECTIONS  # the scanner finds nothing in it
PHONE_TEXT = "Call me at 503-555-0100"
NAME_TEXT = "My client Megan Hollis came in."


def sections(**overrides: str) -> dict[str, str]:
    """The clean sections, with some replaced."""
    unknown = set(overrides) - set(SECTION_KEYS)
    assert not unknown, unknown
    return {**CLEAN, **overrides}


World = SupervisionWorld


def make_world(
    make_user: Callable[..., User],
    make_group: Callable[..., Group],
    *,
    require_approval: bool = False,
) -> World:
    world = supervision_world(make_user, make_group)
    if require_approval:
        world.group.require_case_approval = True
        db.session.commit()
    return world


def new_case(group: Group, author: User, title: str = CLEAN_TITLE, **overrides: str) -> Case:
    """A draft, committed."""
    case = create_case(group, author, title, sections(**overrides))
    db.session.commit()
    return case


def publish(case: Case, user: User | None = None) -> CaseRevision:
    """Pass the working revision through the gate (answering any findings), committed."""
    return pass_gate(case, user)


def form_data(title: str, texts: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {"title": title, **texts, **extra}


def share_form(checklist: list[str] | None = None, note: str = NOTE) -> dict[str, Any]:
    return {
        "checklist": sorted(CHECKLIST_KEYS) if checklist is None else checklist,
        "altered_note": note,
    }


def fetch_case(case_id: int) -> Case | None:
    db.session.expire_all()
    return db.session.get(Case, case_id)


def all_revisions(case_id: int) -> list[CaseRevision]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(CaseRevision)
            .where(CaseRevision.case_id == case_id)
            .order_by(CaseRevision.number)
        )
    )


def case_links(page: str) -> set[int]:
    """Ids of the cases a page links to."""
    return {int(n) for n in re.findall(r'href="/cases/(\d+)"', page)}
