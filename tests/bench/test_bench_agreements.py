"""Benchmarks of the agreement pages (`make bench`): the query count of the group's list (as
its facilitator) and of one agreement with its versions is the same with one agreement of one
version as with many agreements of several versions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from test_bench_pages import _compare, _shows, _signed_in

from supervision.agreements.credentials import add_credential
from supervision.agreements.services import propose_change, sign_version, start_agreement
from supervision.auth.reauth import Signature
from supervision.extensions import db
from supervision.models import Agreement, Group, GroupKind, Role, User
from supervision.models.types import utcnow

pytestmark = pytest.mark.bench


def _sign_both(agreement: Agreement) -> None:
    for person in (agreement.supervisor, agreement.supervisee):
        version = agreement.latest
        signature = Signature(person.display_name, utcnow())
        sign_version(version, person, signature, version.edit_version)


def _scene(
    make_user: Callable[..., User],
    make_group: Callable[..., Group],
    supervisors: int,
    supervisees: int,
    versions: int,
) -> tuple[User, Group, Agreement]:
    """A group whose every supervisee has an agreement with every supervisor, each with
    ``versions`` versions signed by both; its facilitator, the group, one agreement."""
    facilitator = make_user()
    leads = [make_user() for _ in range(supervisors)]
    trainees = [make_user() for _ in range(supervisees)]
    group = make_group(
        GroupKind.SUPERVISION,
        {facilitator: Role.FACILITATOR}
        | dict.fromkeys(leads, Role.SUPERVISOR)
        | dict.fromkeys(trainees, Role.SUPERVISEE),
    )
    made = []
    for lead in leads:
        add_credential(lead, "LPC-S", "1", "Texas", None)
        for trainee in trainees:
            agreement = start_agreement(group, trainee, lead)
            _sign_both(agreement)
            for _ in range(versions - 1):
                propose_change(agreement, trainee)
                _sign_both(agreement)
            made.append(agreement)
    db.session.commit()
    return facilitator, group, made[0]


def test_bench_agreement_pages(benchmark, app: Flask, make_user, make_group) -> None:  # type: ignore[no-untyped-def]
    few_facilitator, few_group, few = _scene(make_user, make_group, 1, 1, 1)
    many_facilitator, many_group, many = _scene(make_user, make_group, 3, 4, 3)
    small, large = "1 agreement of 1 version", "12 agreements of 3 versions"
    few_client, many_client = _signed_in(app, few_facilitator), _signed_in(app, many_facilitator)
    _compare(
        benchmark,
        "a group's agreements",
        (small, few_client, f"/groups/{few_group.id}/agreements"),
        (large, many_client, f"/groups/{many_group.id}/agreements"),
    )
    _compare(
        benchmark,
        "one agreement with its versions",
        (small, few_client, f"/agreements/{few.id}"),
        (large, many_client, f"/agreements/{many.id}"),
    )
    path = f"/groups/{many_group.id}/agreements"
    assert _shows(many_client, path, r"In force \(version 3\)") == 12
    benchmark(lambda: many_client.get(path))
