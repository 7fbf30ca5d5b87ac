"""Emergency access: a site admin opens time-boxed read access to one group with a reason; its
facilitators hear of it at once; the admin reads as a facilitator reads and changes nothing;
every read is audited; it ends by itself, or earlier when an admin ends it."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from conftest import PASSWORD, csrf_token, spare_recovery_code
from flask import Flask, current_app
from routes_world import PRINCIPALS, World, build_world
from sqlalchemy import event, select
from test_routes_by_principal import ROUTES, outcome, sign_in

from supervision.emergency.services import open_grant
from supervision.extensions import db
from supervision.models import (
    AuditEntry,
    EmergencyGrant,
    Notification,
    NotificationEvent,
    OutboxMessage,
)
from supervision.models.types import utcnow
from supervision.permissions import Permission
from supervision.permissions.permission import READ_PERMISSIONS

REASON = "A safeguarding concern was reported about a case in this group tonight."


@pytest.fixture()
def world(app: Flask, make_user: Any, make_group: Any) -> World:
    return build_world(make_user, make_group)


def _grant(world: World, hours: int = 4) -> EmergencyGrant:
    with current_app.test_request_context():
        grant = open_grant(world.users["site_admin"], world.group, REASON, hours)
        db.session.commit()
    return grant


def _grants_here(world: World) -> list[EmergencyGrant]:
    """The grants to the world's group (the world holds one to its other group)."""
    return list(
        db.session.scalars(select(EmergencyGrant).where(EmergencyGrant.group_id == world.group.id))
    )


def _form(client: Any, world: World, **overrides: Any) -> dict[str, Any]:
    admin = world.users["site_admin"]
    return {
        "csrf_token": csrf_token(client, "/admin/emergency"),
        "group_id": str(world.group.id),
        "reason": REASON,
        "hours": "4",
        "password": PASSWORD,
        "code": spare_recovery_code(admin),
        **overrides,
    }


def _entries(action: str, world: World) -> list[AuditEntry]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == action, AuditEntry.group_id == world.group.id
            )
        )
    )


def _told(world: World) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(
                Notification.event == NotificationEvent.EMERGENCY_ACCESS,
                Notification.group_id == world.group.id,
            )
        )
    )


# -- Opening ---------------------------------------------------------------------------------------


def test_admin_opens_a_grant_and_the_facilitators_hear_at_once(client: Any, world: World) -> None:
    admin, facilitator = world.users["site_admin"], world.users["facilitator"]
    sign_in(client, admin)
    page = client.get("/admin/emergency")
    assert page.status_code == 200
    assert f"{world.group.name} (#{world.group.id})" in page.get_data(as_text=True)

    response = client.post("/admin/emergency", data=_form(client, world))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    (grant,) = _grants_here(world)
    assert (grant.admin_id, grant.group_id, grant.reason) == (admin.id, world.group.id, REASON)
    assert grant.expires_at - grant.opened_at == timedelta(hours=4)

    told = _told(world)
    assert [n.user_id for n in told] == [facilitator.id]  # the facilitators, no one else
    assert admin.display_name in told[0].text and "Reason: A safeguarding" in told[0].text
    mailed = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == facilitator.email)
    ).all()
    assert mailed and "emergency read access" in mailed[-1].body
    opened = _entries("emergency_open", world)
    assert [(e.actor_id, e.group_id, e.object_id) for e in opened] == [
        (admin.id, world.group.id, grant.id)
    ]
    assert REASON not in opened[0].detail  # ids and short codes only

    # The facilitators' page shows who, why and until when; other members are refused it.
    sign_in(client, facilitator)
    listed = client.get(f"/groups/{world.group.id}/emergency-access").get_data(as_text=True)
    assert REASON in listed and admin.display_name in listed and "Open" in listed
    sign_in(client, world.users["supervisee"])
    assert client.get(f"/groups/{world.group.id}/emergency-access").status_code == 403


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reason": "Too short."}, "Write the reason in 20 to 2000 characters."),
        ({"reason": "x" * 2001}, "Write the reason in 20 to 2000 characters."),
        ({"reason": ""}, "Write why you need access."),
        ({"hours": "0"}, "Choose between 1 and 24 hours."),
        ({"hours": "25"}, "Choose between 1 and 24 hours."),
        ({"hours": ""}, "Enter a number of hours."),
        ({"hours": "four"}, "Enter the number of hours as a whole number, 1 to 24."),
        ({"password": "not my password"}, "That password is not correct."),
        ({"code": ""}, "Enter the code from your authenticator app."),
        ({"code": "000000"}, "That code is not right, or was used already."),
        ({"group_id": "999999"}, "Not a valid choice"),
    ],
)
def test_bad_input_is_answered_clearly(
    client: Any, world: World, overrides: dict[str, str], message: str
) -> None:
    sign_in(client, world.users["site_admin"])
    response = client.post("/admin/emergency", data=_form(client, world, **overrides))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _grants_here(world) == []
    assert _told(world) == []


def test_only_site_admins_open_grants(client: Any, world: World) -> None:
    for principal in ("facilitator", "supervisee", "outsider"):
        sign_in(client, world.users[principal])
        assert client.get("/admin/emergency").status_code == 403
        assert client.post("/admin/emergency", data=_form(client, world)).status_code == 403
    assert _grants_here(world) == []


# -- Reading under the grant -------------------------------------------------------------------


def _reads(w: World) -> dict[str, str]:
    return {
        "group": f"/groups/{w.group.id}",
        "case list": f"/groups/{w.group.id}/cases",
        "shared case": f"/cases/{w.cases['shared'].id}",
        "pending case": f"/cases/{w.cases['pending'].id}",  # a facilitator sees it
        "review": f"/reviews/{w.reviews['submitted'].id}",
        "thread": f"/discussions/{w.threads['open'].id}",
        "discussions": f"/groups/{w.group.id}/discussions",
        "meetings": f"/groups/{w.group.id}/meetings",
        "meeting": f"/meetings/{w.meetings['signed'].id}",
        "evaluations": f"/groups/{w.group.id}/evaluations",
        "agreements": f"/groups/{w.group.id}/agreements",
    }


def test_without_a_grant_the_group_stays_hidden(client: Any, world: World) -> None:
    sign_in(client, world.users["site_admin"])
    for name, path in _reads(world).items():
        assert client.get(path).status_code == 404, name
    assert _entries("emergency_read", world) == []


def test_under_a_grant_the_admin_reads_as_a_facilitator(client: Any, world: World) -> None:
    grant = _grant(world)
    sign_in(client, world.users["site_admin"])
    for name, path in _reads(world).items():
        response = client.get(path)
        assert response.status_code == 200, name
        page = response.get_data(as_text=True)
        assert "Emergency access: read only, until" in page, name
        assert grant.expires_at.strftime("%H:%M") in page and REASON in page
    # A draft is its author's alone, facilitators included.
    assert client.get(f"/cases/{world.cases['draft'].id}").status_code == 404
    entries = _entries("emergency_read", world)
    paths = {e.detail for e in entries}
    for path in _reads(world).values():
        assert any(f'"path":"{path}"' in detail for detail in paths), path
    assert all(e.group_id == world.group.id for e in entries)
    assert all(e.actor_id == world.users["site_admin"].id for e in entries)
    assert all(f'"grant":{grant.id}' in e.detail for e in entries)
    case_reads = [e for e in entries if e.object_type == "cases"]
    assert world.cases["shared"].id in {e.object_id for e in case_reads}


def test_the_banner_is_only_on_pages_read_under_the_grant(client: Any, world: World) -> None:
    _grant(world)
    sign_in(client, world.users["site_admin"])
    assert "Emergency access: read only" not in client.get("/notifications").get_data(as_text=True)
    sign_in(client, world.users["facilitator"])  # the members read as ever, with no banner
    page = client.get(f"/cases/{world.cases['shared'].id}").get_data(as_text=True)
    assert "Emergency access: read only" not in page


@pytest.mark.parametrize("how", ["expired", "ended"])
def test_an_expired_or_ended_grant_reads_nothing(client: Any, world: World, how: str) -> None:
    grant = _grant(world)
    sign_in(client, world.users["site_admin"])
    assert client.get(f"/cases/{world.cases['shared'].id}").status_code == 200
    if how == "expired":
        grant.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    else:
        form = {"csrf_token": csrf_token(client, "/admin/emergency")}
        assert client.post(f"/admin/emergency/{grant.id}/end", data=form).status_code == 302
        db.session.expire_all()
        assert grant.ended_at is not None and grant.ended_by_id == world.users["site_admin"].id
        assert [e.object_id for e in _entries("emergency_end", world)] == [grant.id]
    for name, path in _reads(world).items():
        assert client.get(path).status_code == 404, name


def test_a_grant_to_one_group_reads_no_other(client: Any, world: World, make_group: Any) -> None:
    _grant(world)
    other = make_group()
    sign_in(client, world.users["site_admin"])
    assert client.get(f"/groups/{other.id}").status_code == 404


# -- Changing nothing ------------------------------------------------------------------------------

# The site admins' own pages (not a group's): open to them with or without a grant.
_OWN_ROUTES = {"emergency.index", "emergency.end", "audit.admin_index"}


def _group_routes(method: str) -> list[str]:
    return sorted(
        key
        for key, route in ROUTES.items()
        if route.method == method
        and isinstance(route.rule, Permission)
        and key.split("[")[0] not in _OWN_ROUTES
        and route.rule is not Permission.GROUP_CREATE
    )


def _request(client: Any, world: World, key: str) -> Any:
    route = ROUTES[key]
    path = route.path(world)
    if route.method == "GET":
        return client.get(path)
    form = route.form(world) if route.form else {}
    if route.json:
        return client.post(path, json=form, headers={"X-CSRFToken": csrf_token(client)})
    return client.post(path, data={"csrf_token": csrf_token(client), **form})


def test_every_change_stays_refused_under_a_grant(client: Any, world: World) -> None:
    """Every state change of the group, its cases, reviews, threads and records answers 403
    or 404 to the admin holding a grant, as to anyone outside the group."""
    _grant(world)
    sign_in(client, world.users["site_admin"])
    allowed = [
        key
        for key in _group_routes("POST")
        if outcome(_request(client, world, key)) not in ("forbidden", "not-found")
    ]
    assert allowed == []


def test_pages_that_change_things_stay_refused_under_a_grant(client: Any, world: World) -> None:
    """The forms behind write permissions are refused; every page answers without an error."""
    _grant(world)
    sign_in(client, world.users["site_admin"])
    wrong = []
    for key in _group_routes("GET"):
        got = outcome(_request(client, world, key))
        if got.startswith("unexpected") or (
            ROUTES[key].rule not in READ_PERMISSIONS and got == "allowed"
        ):
            wrong.append(f"{key}: {got}")
    assert wrong == []


def test_the_site_admin_rows_hold_without_a_grant(app: Flask, world: World) -> None:
    """No grant: the admin is outside the group, whatever their site role."""
    assert "site_admin" in PRINCIPALS
    client = app.test_client()
    sign_in(client, world.users["site_admin"])
    for key in _group_routes("GET"):
        assert outcome(_request(client, world, key)) in ("not-found", "forbidden"), key


# -- The lists ---------------------------------------------------------------------------------


@contextmanager
def _statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_the_admins_list_is_paginated_with_a_bounded_number_of_queries(
    client: Any, world: World
) -> None:
    sign_in(client, world.users["site_admin"])

    def queries_for_list() -> int:
        with _statements() as seen:
            assert client.get("/admin/emergency").status_code == 200
        return len(seen)

    _grant(world)
    queries_for_list()  # the first view stores the session's new CSRF token: not the list's
    few = queries_for_list()
    for _ in range(24):
        _grant(world, hours=1)
    assert queries_for_list() == few
    first = client.get("/admin/emergency").get_data(as_text=True)
    assert 'rel="next"' in first  # 26 grants (the world's own included): a second page
    older = html.unescape(re.search(r'href="([^"]+)" rel="next"', first).group(1))
    second = client.get(older).get_data(as_text=True)
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert client.get("/admin/emergency?page=2").status_code == 200  # an old link: the first page
