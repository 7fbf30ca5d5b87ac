"""Rubrics: the built-in default, versions, drafts, publishing and a group's choice.

Services flush and never commit. A published version is never modified: edits go into a new
draft version, and every review points at the version its reviewer saw.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from supervision.extensions import db
from supervision.models import Group, Rubric, RubricCriterion, RubricVersion, User, VersionStatus
from supervision.models.types import utcnow
from supervision.models.versioning import claim_edit_version
from supervision.rubrics.schema import CriterionData, RubricData, parse_rubric

DEFAULT_RUBRIC_PATH = Path(__file__).with_name("default_rubric.json")
DEFAULT_RUBRIC_SLUG = "therapeutic-relationship"


class RubricError(ValueError):
    """A rule about rubrics was broken; the message is safe to show to the user."""


@cache
def default_rubric_data() -> RubricData:
    return parse_rubric(DEFAULT_RUBRIC_PATH.read_text(encoding="utf-8"))


def _fill_version(version: RubricVersion, data: RubricData) -> None:
    version.name = data.name
    version.description = data.description
    version.scale_labels = dict(data.scale_labels)
    version.criteria.clear()
    db.session.flush()  # the old criteria's unique keys are gone before the new ones arrive
    for position, criterion in enumerate(data.criteria):
        version.criteria.append(_criterion(criterion, position))


def _criterion(data: CriterionData, position: int) -> RubricCriterion:
    return RubricCriterion(
        key=data.key,
        title=data.title,
        description=data.description,
        guidance=data.guidance,
        experimental=data.experimental,
        levels=dict(data.levels),
        position=position,
    )


def version_data(version: RubricVersion) -> RubricData:
    return RubricData(
        name=version.name,
        description=version.description,
        scale_labels=dict(version.scale_labels),
        criteria=[
            CriterionData(c.key, c.title, c.description, c.guidance, c.experimental, dict(c.levels))
            for c in version.criteria
        ],
    )


def builtin_rubric() -> Rubric:
    """The platform's default rubric, created (published, version 1) on first use."""
    return _find_builtin() or _create_builtin()


def ensure_builtin_rubric() -> bool:
    """Make sure the built-in rubric exists; True when it was created just now (commit it)."""
    if _find_builtin() is not None:
        return False
    _create_builtin()
    return True


def _find_builtin() -> Rubric | None:
    # Asked for more than once a page (the case loader makes sure it exists, then each panel
    # reads it): looked up by its slug once per session, then by id, from the identity map.
    known = db.session.info.get(_BUILTIN_ID)
    rubric = db.session.get(Rubric, known) if known is not None else None
    if rubric is not None and rubric.slug == DEFAULT_RUBRIC_SLUG:
        return rubric
    rubric = db.session.scalar(select(Rubric).where(Rubric.slug == DEFAULT_RUBRIC_SLUG))
    if rubric is not None:
        db.session.info[_BUILTIN_ID] = rubric.id
    return rubric


_BUILTIN_ID = "builtin_rubric_id"


def _create_builtin() -> Rubric:
    data = default_rubric_data()
    rubric = Rubric(name=data.name, slug=DEFAULT_RUBRIC_SLUG)
    version = RubricVersion(number=1, name=data.name)
    rubric.versions.append(version)
    db.session.add(rubric)
    _fill_version(version, data)
    version.status = VersionStatus.PUBLISHED
    version.published_at = utcnow()
    db.session.flush()
    return rubric


def latest_published(rubric: Rubric) -> RubricVersion | None:
    published = [v for v in rubric.versions if v.status is VersionStatus.PUBLISHED]
    return published[-1] if published else None


def draft_of(rubric: Rubric) -> RubricVersion | None:
    return next((v for v in rubric.versions if v.status is VersionStatus.DRAFT), None)


def group_rubric_version(group: Group) -> RubricVersion:
    """The version new reviews in this group use: the newest published one of its rubric."""
    rubric = db.session.get(Rubric, group.rubric_id) if group.rubric_id else None
    version = latest_published(rubric) if rubric is not None else None
    if version is None:
        version = latest_published(builtin_rubric())
    assert version is not None  # the built-in rubric is always published
    return version


def available_rubrics(group: Group) -> list[Rubric]:
    builtin_rubric()
    return list(
        db.session.scalars(
            select(Rubric)
            .options(selectinload(Rubric.versions))
            .where(or_(Rubric.group_id.is_(None), Rubric.group_id == group.id))
            .order_by(Rubric.group_id.is_not(None), Rubric.name)
        )
    )


def rubric_in_reach(group: Group, rubric: Rubric) -> bool:
    """Built-in rubrics are every group's; a group's own rubrics are only its own."""
    return rubric.group_id is None or rubric.group_id == group.id


def choose_rubric(group: Group, rubric: Rubric) -> None:
    if not rubric_in_reach(group, rubric):
        raise RubricError("That rubric is not available to this group.")
    if latest_published(rubric) is None:
        raise RubricError("Publish a version of this rubric before choosing it.")
    group.rubric_id = None if rubric.slug == DEFAULT_RUBRIC_SLUG else rubric.id
    db.session.flush()


def _unique_name(group: Group, name: str) -> str:
    taken = set(db.session.scalars(select(Rubric.name).where(Rubric.group_id == group.id)).all())
    if name not in taken:
        return name
    base = re.sub(r" \(\d+\)$", "", name)[:110]  # room for the suffix within 120
    number = 2
    while f"{base} ({number})" in taken:
        number += 1
    return f"{base} ({number})"


def new_draft_version(group: Group, source: RubricVersion, user: User) -> RubricVersion:
    """A draft to edit, copied from ``source``. The built-in rubric is copied into the group."""
    rubric = source.rubric
    if not rubric_in_reach(group, rubric):
        raise RubricError("That rubric is not available to this group.")
    if source.status is not VersionStatus.PUBLISHED:
        raise RubricError("New versions are made from a published version.")
    if rubric.group_id is None:
        rubric = Rubric(
            group_id=group.id, name=_unique_name(group, source.name), created_by_id=user.id
        )
        db.session.add(rubric)
        number = 1
    else:
        existing = draft_of(rubric)
        if existing is not None:
            return existing  # one draft at a time: keep working on it
        number = rubric.versions[-1].number + 1
    version = RubricVersion(
        number=number, name=source.name, based_on_id=source.id, created_by_id=user.id
    )
    rubric.versions.append(version)
    _fill_version(version, version_data(source))
    if rubric.group_id is not None and number == 1:
        version.name = rubric.name
    db.session.flush()
    return version


class RubricConflict(RubricError):
    """Someone saved the draft after this form was opened."""


def update_draft(version: RubricVersion, data: RubricData, edit_version: int | None = None) -> None:
    if version.status is not VersionStatus.DRAFT:
        raise RubricError("A published version never changes. Make a new version to edit it.")
    stale = edit_version is not None and edit_version != version.edit_version
    if stale or not claim_edit_version(version, edit_version):
        raise RubricConflict(
            "This draft was changed elsewhere since you opened it. Copy what you need, then "
            "reload the page."
        )
    keys = [c.key for c in data.criteria]
    if len(set(keys)) != len(keys):
        raise RubricError("Each criterion needs its own key.")
    if not data.criteria:
        raise RubricError("A rubric needs at least one criterion.")
    _fill_version(version, data)
    db.session.flush()


def publish_version(version: RubricVersion) -> None:
    if version.status is not VersionStatus.DRAFT:
        raise RubricError("This version is already published.")
    if not version.criteria:
        raise RubricError("A rubric needs at least one criterion before it is published.")
    missing = [c.title for c in version.criteria if set(c.levels) != {"1", "2", "3", "4", "5"}]
    if missing:
        raise RubricError(f"Describe all five levels of: {', '.join(missing)}.")
    version.status = VersionStatus.PUBLISHED
    version.published_at = utcnow()
    if version.rubric.group_id is not None:
        version.rubric.name = version.name
    db.session.flush()


def discard_draft(version: RubricVersion) -> None:
    if version.status is not VersionStatus.DRAFT:
        raise RubricError("Only a draft can be discarded.")
    rubric = version.rubric
    rubric.versions.remove(version)  # delete-orphan deletes it, and the collection stays true
    db.session.flush()
    if not rubric.versions:
        db.session.delete(rubric)
        db.session.flush()


def import_rubric(group: Group, user: User, text: str | bytes) -> RubricVersion:
    """A new group rubric whose first version is a draft holding the imported content."""
    data = parse_rubric(text)
    rubric = Rubric(group_id=group.id, name=_unique_name(group, data.name), created_by_id=user.id)
    version = RubricVersion(number=1, name=rubric.name, created_by_id=user.id)
    rubric.versions.append(version)
    db.session.add(rubric)
    _fill_version(version, data)
    version.name = rubric.name
    db.session.flush()
    return version
