"""Helpers for the rubric tests: a group with every role, signed-in browsers, form payloads."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import escape
from sqlalchemy import func, select
from support import Browser as Browser  # re-exported for the tests
from support import supervision_group

from supervision.extensions import db
from supervision.models import Group, GroupKind, Role, Rubric, RubricVersion, User
from supervision.models.rubric import LEVELS
from supervision.rubrics.services import builtin_rubric, latest_published

BUILTIN_KEYS = [
    "boundaries",
    "pacing",
    "corrective_experience",
    "holding_steady",
    "attunement",
    "silence",
    "rupture_repair",
]


@dataclass
class World:
    group: Group
    facilitator: User
    supervisor: User
    supervisee: User
    outsider: User
    other_group: Group

    def url(self, suffix: str = "", group: Group | None = None) -> str:
        return f"/groups/{(group or self.group).id}/rubrics{suffix}"

    def version_url(self, version: RubricVersion, suffix: str = "") -> str:
        return self.url(f"/versions/{version.id}{suffix}")


def make_world(make_user: Callable[..., User], make_group: Callable[..., Group]) -> World:
    facilitator, supervisor = make_user("Fran Facilitator"), make_user("Sam Supervisor")
    supervisee, outsider = make_user("Alex Supervisee"), make_user("Olly Outsider")
    group = supervision_group(
        make_group, facilitator, [supervisor], [supervisee], name="Tuesday supervision"
    )
    other_group = make_group(GroupKind.PEER, {outsider: Role.FACILITATOR}, name="Elsewhere")
    return World(group, facilitator, supervisor, supervisee, outsider, other_group)


def builtin_version() -> RubricVersion:
    version = latest_published(builtin_rubric())
    assert version is not None
    db.session.commit()
    return version


def rubric_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Rubric)) or 0


def edit_payload(version: RubricVersion) -> dict[str, Any]:
    """The edit form as the page fills it for ``version`` (the "add" entry left empty)."""
    data: dict[str, Any] = {
        "name": version.name,
        "description": version.description,
        "edit_version": str(version.edit_version),
    }
    data |= {f"scale_{n}": version.scale_labels.get(str(n), "") for n in LEVELS}
    for index, criterion in enumerate(version.criteria):
        prefix = f"criteria-{index}-"
        data |= {
            prefix + "key": criterion.key,
            prefix + "position": str(index + 1),
            prefix + "title": criterion.title,
            prefix + "description": criterion.description,
            prefix + "guidance": criterion.guidance,
        }
        if criterion.experimental:
            data[prefix + "experimental"] = "y"
        data |= {prefix + f"level_{n}": criterion.levels[str(n)] for n in LEVELS}
    return data


def index_of(version: RubricVersion, key: str) -> int:
    return [c.key for c in version.criteria].index(key)


def section(page: str, element_id: str) -> str:
    """The HTML of the <section> with ``element_id`` (sections do not nest on these pages)."""
    match = re.search(rf'<section[^>]*id="{element_id}".*?</section>', page, re.DOTALL)
    assert match, f"no section #{element_id}"
    return match.group(0)


def escaped(text: str) -> str:
    """``text`` as the templates write it."""
    return str(escape(text))


def error_summary(page: str) -> str:
    """The error summary at the top of a form page."""
    start = page.index("data-error-summary")
    return page[start : page.index("</ul>", start)]
