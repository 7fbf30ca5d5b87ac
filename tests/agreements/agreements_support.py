"""Shared set-up for the agreement tests: a supervision group with a facilitator, two
supervisors, two supervisees and an outsider, and helpers that sign through the real page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from conftest import PASSWORD, post

from supervision.models import Group, GroupKind, Role, User


@dataclass
class Scene:
    group: Group
    facilitator: User
    supervisor: User
    second_supervisor: User
    supervisee: User
    other_supervisee: User
    outsider: User


def make_scene(make_user: Callable[..., User], make_group: Callable[..., Group]) -> Scene:
    facilitator = make_user("Fran Facilitator")
    supervisor = make_user("Dr. Sam Okoye")
    second = make_user("Kim Second")
    supervisee = make_user("Alex Trainee")
    other = make_user("Jo Other")
    outsider = make_user("Out Sider")
    group = make_group(
        GroupKind.SUPERVISION,
        {
            facilitator: Role.FACILITATOR,
            supervisor: Role.SUPERVISOR,
            second: Role.SUPERVISOR,
            supervisee: Role.SUPERVISEE,
            other: Role.SUPERVISEE,
        },
    )
    make_group(GroupKind.SUPERVISION, {outsider: Role.FACILITATOR})
    return Scene(group, facilitator, supervisor, second, supervisee, other, outsider)


def sign_as(client: Any, agreement_id: int, user: User, **overrides: str) -> Any:
    """POST the sign form as the signed-in ``user`` with the current edit version."""
    page = client.get(f"/agreements/{agreement_id}/sign").get_data(as_text=True)
    marker = 'name="edit_version" type="hidden" value="'
    version = page.split(marker)[1].split('"')[0] if marker in page else "1"
    data = {"signature": user.display_name, "password": PASSWORD, "edit_version": version}
    data.update(overrides)
    return post(client, f"/agreements/{agreement_id}/sign", data)
