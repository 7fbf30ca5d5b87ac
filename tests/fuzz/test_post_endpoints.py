"""Every POST endpoint of the URL map, JSON ones included, driven with generated input: never a
server error. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.

For each endpoint: the routes world (``build_world``), the path and the principal from the route
table (``test_routes_by_principal.ROUTES``: the first principal the table allows, so the input
gets past the permission check), the fields of the form that posts there (read from the page
itself, or from the page above it, or from the table's valid input), then Hypothesis sends
generated values with a valid CSRF token: unicode, control characters, very long text, numbers
out of range, missing, duplicated and extra fields, JSON documents, non-JSON and deeply nested
bodies. A route the table does not know yet (another feature's, before it adds its rows) is
fuzzed as the group's facilitator, or a site admin under ``/admin/``, with ids from the world.

``@given`` sits on a function inside the test, so the world is built once per endpoint and the
examples share it (a 4xx changes nothing; an accepted change is as good a state as any).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from conftest import csrf_token
from flask import Flask
from fuzz_support import FUZZ_SETTINGS, Body, FormField, bodies, form_posting_to
from hypothesis import given
from routes_world import World, build_world
from test_routes_by_principal import (
    ANONYMOUS_ONLY,
    PUBLIC,
    ROUTES,
    SECOND_STEP,
    Route,
    endpoint_of,
    expected,
    sign_in,
)
from werkzeug.datastructures import MultiDict
from werkzeug.routing import Rule

from supervision import create_app

_ANONYMOUS_RULES = (PUBLIC, ANONYMOUS_ONLY, SECOND_STEP)
# Whom to try first: the roles that may do most, then the others (the table decides).
_PREFERENCE = ("facilitator", "supervisor", "supervisee", "other_supervisee", "site_admin")


def _post_rules() -> dict[str, Rule]:
    """The URL map's rules that take POST, by endpoint (an app of its own, made at collection)."""
    config = {
        "TESTING": True,
        "ENV_NAME": "test",
        "SECRET_KEY": "collection-only-secret-key-long-enough-for-checks",
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    rules = create_app(config).url_map.iter_rules()
    return {rule.endpoint: rule for rule in rules if "POST" in (rule.methods or ())}


def _route_for(endpoint: str) -> Route | None:
    """The table's row for ``endpoint``: its own POST row, else a variant's, else its page's."""
    keys = sorted(key for key in ROUTES if endpoint_of(key) == endpoint)
    posts = [key for key in keys if ROUTES[key].method == "POST"]
    for key in (*posts, *keys):
        return ROUTES[key]
    return None


# Ids for a rule the table does not know, by the rule's argument name.
def _world_ids(w: World) -> dict[str, Any]:
    return {
        "group_id": w.group.id,
        "case_id": w.cases["shared"].id,
        "review_id": w.reviews["submitted"].id,
        "annotation_id": w.annotations["group"].id,
        "thread_id": w.threads["open"].id,
        "post_id": w.posts["reply"].id,
        "notification_id": w.notification.id,
        "session_id": w.login_session.id,
        "membership_id": w.memberships["supervisee"].id,
        "invitation_id": w.invitation_id,
        "token": w.invitation_token,
        "user_id": w.users["supervisee"].id,
        "version_id": w.rubric_versions["draft"].id,
        "rubric_id": w.rubric_versions["builtin"].rubric_id,
        "agreement_id": w.agreement.id if w.agreement else 1,
        "credential_id": w.credential.id if w.credential else 1,
        "meeting_id": w.meetings["draft"].id,
        "evaluation_id": w.evaluations["drafting"].id,
        "written_id": w.supervisor_evaluations["shared"].id,
        "revision": 1,
        "criterion_key": "boundaries",
    }


def path_for(rule: Rule, world: World) -> str:
    ids = _world_ids(world)
    values = {
        name: ids.get(name, 1 if f"<int:{name}>" in rule.rule else "x") for name in rule.arguments
    }
    return rule.build(values, append_unknown=False)[1]  # type: ignore[index]


def principal_for(route: Route | None, rule: Rule, world: World) -> str:
    if route is None:
        return "site_admin" if rule.rule.startswith("/admin/") else "facilitator"
    if route.rule in _ANONYMOUS_RULES:
        return "anonymous"
    for principal in _PREFERENCE:
        if expected(route, principal, world) == "allowed":
            return principal
    return "facilitator"  # nobody may: still no 500 for the one who is refused


def _candidate_pages(path: str, world: World, accepts_get: bool) -> list[str]:
    """Where the form that posts to ``path`` may be: the page itself, the pages above it, and
    the pages that gather most actions (the case page, a thread, the group's home)."""
    pages = [path] if accepts_get else []
    parts = path.rstrip("/").split("/")
    pages += ["/".join(parts[:end]) for end in range(len(parts) - 1, 1, -1)]
    pages += [
        f"/cases/{world.cases['shared'].id}",
        f"/discussions/{world.threads['open'].id}",
        f"/groups/{world.group.id}",
        "/",
    ]
    return pages


@dataclass
class Target:
    path: str
    principal: str
    form_page: str | None  # the page whose form posts to ``path``
    fields: dict[str, FormField]
    json: bool


def find_target(client: Any, world: World, endpoint: str, rule: Rule) -> Target:
    route = _route_for(endpoint)
    path = route.path(world) if route else path_for(rule, world)
    principal = principal_for(route, rule, world)
    if principal != "anonymous":
        sign_in(client, world.users[principal])
    fields: dict[str, FormField] = {}
    if route and route.form:
        for name, value in route.form(world).items():
            fields[name] = FormField(name, "text", str(value), [str(value)])
    form_page = None
    for page in _candidate_pages(path, world, "GET" in (rule.methods or ())):
        response = client.get(page)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        form = form_posting_to(response.get_data(as_text=True), page, path)
        if form is not None:
            form_page = page
            fields.update(form.fields)
            break
    return Target(path, principal, form_page, fields, bool(route and route.json))


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _fresh_token(client: Any, target: Target, known: list[str]) -> str:
    """A valid token for the client's session: the one read before while the session keeps its
    CSRF secret (an example may have signed out), else one read from a form."""
    with client.session_transaction() as session:
        if known and "csrf_token" in session:
            return known[0]
    known[:] = []
    if target.form_page:
        match = _CSRF.search(client.get(target.form_page).get_data(as_text=True))
        if match:
            known.append(match.group(1))
    if not known:
        known.append(csrf_token(client))
    return known[0]


def send(client: Any, target: Target, body: Body, token: str) -> Any:
    headers = {"X-CSRFToken": token}
    if body.kind == "json":
        return client.post(
            target.path,
            data=json.dumps(body.document),
            headers={**headers, "Content-Type": "application/json"},
        )
    if body.kind == "raw":
        return client.post(
            target.path, data=body.raw, headers={**headers, "Content-Type": "application/json"}
        )
    pairs = [("csrf_token", token), *body.pairs]
    return client.post(target.path, data=MultiDict(pairs), headers=headers)


POST_RULES = _post_rules()


@pytest.mark.parametrize("endpoint", sorted(POST_RULES))
def test_post_endpoint_never_fails(
    app: Flask, make_user: Callable[..., Any], make_group: Callable[..., Any], endpoint: str
) -> None:
    world = build_world(make_user, make_group)
    client = app.test_client()
    target = find_target(client, world, endpoint, POST_RULES[endpoint])
    user = world.users.get(target.principal)
    token: list[str] = []

    @FUZZ_SETTINGS
    @given(body=bodies(target.fields, target.json))
    def attempt(body: Body) -> None:
        if user is not None:
            sign_in(client, user)  # again: an example may have signed out or ended the session
        response = send(client, target, body, _fresh_token(client, target, token))
        assert response.status_code < 500, (target.path, target.principal, body)

    attempt()


def test_the_fuzzer_finds_the_forms_and_the_json_endpoints(
    app: Flask, make_user: Callable[..., Any], make_group: Callable[..., Any]
) -> None:
    """The fuzzer can fail to reach a form: check it reads the fields of a few it must."""
    world = build_world(make_user, make_group)

    def target(endpoint: str) -> Target:
        return find_target(app.test_client(), world, endpoint, POST_RULES[endpoint])

    reply = target("discussions.reply")
    assert reply.principal == "facilitator" and "body" in reply.fields, reply
    edit = target("cases.edit")
    assert edit.principal == "supervisee" and {"title", "edit_version"} <= set(edit.fields)
    create = target("annotations.create")
    assert create.json and {"start", "end", "exact"} <= set(create.fields)
    close = target("cases.close")
    assert close.form_page == f"/cases/{world.cases['shared'].id}", close
    login = target("auth.login")
    assert login.principal == "anonymous" and {"email", "password"} <= set(login.fields)
