"""Every route in the URL map, tried as every kind of principal, against the declared rules.

A route missing from ROUTES fails ``test_every_route_is_classified``: new features must add
their routes here. Group-scoped routes are checked against ``permissions.can`` itself, so the
map and the views cannot drift apart: non-members get 404, members without the permission 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from conftest import csrf_token
from flask import Flask

from supervision.cases.gate import share_case
from supervision.cases.privacy import flag_case
from supervision.cases.sections import CHECKLIST_KEYS
from supervision.cases.services import close_case, create_case
from supervision.extensions import db
from supervision.groups.services import invite
from supervision.models import (
    Case,
    CaseStatus,
    Group,
    GroupKind,
    Membership,
    Review,
    Role,
    RubricVersion,
    User,
)
from supervision.models.types import utcnow
from supervision.permissions import Permission, can
from supervision.reviews.services import (
    ReviewInput,
    ScoreInput,
    save_review,
    start_review,
    submit_review,
)
from supervision.rubrics.services import builtin_rubric, latest_published, new_draft_version

PUBLIC = "public"  # anyone, signed in or not
ANONYMOUS_ONLY = "anonymous-only"  # signed-in users are redirected away, never refused
SIGNED_IN = "signed-in"  # any account

PRINCIPALS = [
    "anonymous",
    "outsider",
    "supervisee",  # the author of the cases below
    "other_supervisee",
    "supervisor",
    "facilitator",
    "site_admin",
]


@dataclass
class World:
    group: Group
    other_group: Group
    users: dict[str, User]
    memberships: dict[str, Membership]
    invitation_id: int
    invitation_token: str
    cases: dict[str, Case]
    rubric_versions: dict[str, RubricVersion]
    reviews: dict[str, Review]


def _group(w: World) -> Group:
    return w.group


@dataclass(frozen=True)
class Route:
    method: str
    path: Callable[[World], str]
    rule: str | Permission
    target: Callable[[World], Any] = _group


def _case_route(method: str, suffix: str, permission: Permission, state: str = "shared") -> Route:
    return Route(
        method,
        lambda w: f"/cases/{w.cases[state].id}{suffix}",
        permission,
        lambda w: w.cases[state],
    )


ROUTES: dict[str, Route] = {
    "main.index": Route("GET", lambda w: "/", PUBLIC),
    "auth.login": Route("GET", lambda w: "/login", ANONYMOUS_ONLY),
    "auth.register": Route("GET", lambda w: "/register", ANONYMOUS_ONLY),
    "auth.logout": Route("POST", lambda w: "/logout", PUBLIC),
    "auth.forgot_password": Route("GET", lambda w: "/password/forgot", PUBLIC),
    "auth.reset_password": Route("GET", lambda w: "/password/reset/not-a-token", PUBLIC),
    "auth.change_password": Route("GET", lambda w: "/account/password", SIGNED_IN),
    "groups.index": Route("GET", lambda w: "/groups/", SIGNED_IN),
    "groups.create": Route("GET", lambda w: "/groups/new", Permission.GROUP_CREATE),
    "groups.accept_invitation": Route(
        "GET", lambda w: f"/groups/invitations/{w.invitation_token}", PUBLIC
    ),
    "groups.home": Route("GET", lambda w: f"/groups/{w.group.id}", Permission.GROUP_VIEW),
    "groups.settings": Route(
        "GET", lambda w: f"/groups/{w.group.id}/settings", Permission.GROUP_MANAGE
    ),
    "groups.send_invitation": Route(
        "POST", lambda w: f"/groups/{w.group.id}/invitations", Permission.GROUP_MANAGE
    ),
    "groups.withdraw_invitation": Route(
        "POST",
        lambda w: f"/groups/{w.group.id}/invitations/{w.invitation_id}/revoke",
        Permission.GROUP_MANAGE,
    ),
    "groups.set_role": Route(
        "POST",
        lambda w: f"/groups/{w.group.id}/members/{w.memberships['supervisee'].id}/role",
        Permission.GROUP_MANAGE,
    ),
    "groups.remove": Route(
        "POST",
        lambda w: f"/groups/{w.group.id}/members/{w.memberships['supervisee'].id}/remove",
        Permission.GROUP_MANAGE,
    ),
    "groups.leave": Route("POST", lambda w: f"/groups/{w.group.id}/leave", Permission.GROUP_LEAVE),
    "cases.my_cases": Route("GET", lambda w: "/cases/mine", SIGNED_IN),
    "cases.group_list": Route(
        "GET", lambda w: f"/groups/{w.group.id}/cases", Permission.GROUP_VIEW
    ),
    "cases.create": Route(
        "GET", lambda w: f"/groups/{w.group.id}/cases/new", Permission.CASE_CREATE
    ),
    "cases.show": _case_route("GET", "", Permission.CASE_VIEW),
    "cases.show[draft]": _case_route("GET", "", Permission.CASE_VIEW, "draft"),
    "cases.show[pending]": _case_route("GET", "", Permission.CASE_VIEW, "pending"),
    "cases.show[flagged]": _case_route("GET", "", Permission.CASE_VIEW, "flagged"),
    "cases.edit": _case_route("GET", "/edit", Permission.CASE_EDIT),
    "cases.edit[closed]": _case_route("GET", "/edit", Permission.CASE_EDIT, "closed"),
    "cases.share": _case_route("GET", "/share", Permission.CASE_EDIT, "draft"),
    "cases.resolve": _case_route("POST", "/findings", Permission.CASE_EDIT, "draft"),
    "cases.approve": _case_route("POST", "/approve", Permission.CASE_APPROVE, "pending"),
    "cases.close": _case_route("POST", "/close", Permission.CASE_CLOSE),
    "cases.withdraw": _case_route("GET", "/withdraw", Permission.CASE_WITHDRAW),
    "cases.withdraw[post]": _case_route("POST", "/withdraw", Permission.CASE_WITHDRAW),
    "cases.revisions": _case_route("GET", "/revisions", Permission.CASE_VIEW),
    "cases.flag": _case_route("GET", "/flag", Permission.CASE_FLAG),
    "cases.clear": Route(
        "POST",
        lambda w: f"/cases/{w.cases['flagged'].id}/flags/{w.cases['flagged'].flags[0].id}/clear",
        Permission.CASE_CLEAR_FLAG,
        lambda w: w.cases["flagged"],
    ),
    "cases.redact": _case_route("GET", "/redact", Permission.CASE_REDACT),
}


def _rubric_route(method: str, suffix: str, permission: Permission, which: str) -> Route:
    return Route(
        method,
        lambda w: f"/groups/{w.group.id}/rubrics/versions/{w.rubric_versions[which].id}{suffix}",
        permission,
    )


ROUTES.update(
    {
        "rubrics.index": Route(
            "GET", lambda w: f"/groups/{w.group.id}/rubrics", Permission.RUBRIC_VIEW
        ),
        "rubrics.show_version": _rubric_route("GET", "", Permission.RUBRIC_VIEW, "builtin"),
        "rubrics.show_version[draft]": _rubric_route("GET", "", Permission.RUBRIC_MANAGE, "draft"),
        "rubrics.export": _rubric_route("GET", "/export", Permission.RUBRIC_VIEW, "builtin"),
        "rubrics.choose": Route(
            "POST",
            lambda w: (
                f"/groups/{w.group.id}/rubrics/{w.rubric_versions['builtin'].rubric_id}/choose"
            ),
            Permission.RUBRIC_MANAGE,
        ),
        "rubrics.new_version": _rubric_route(
            "POST", "/new-version", Permission.RUBRIC_MANAGE, "builtin"
        ),
        "rubrics.edit_version": _rubric_route("GET", "/edit", Permission.RUBRIC_MANAGE, "draft"),
        "rubrics.publish": _rubric_route("POST", "/publish", Permission.RUBRIC_MANAGE, "draft"),
        "rubrics.discard": _rubric_route("POST", "/discard", Permission.RUBRIC_MANAGE, "draft"),
        "rubrics.import_rubric": Route(
            "GET", lambda w: f"/groups/{w.group.id}/rubrics/import", Permission.RUBRIC_MANAGE
        ),
    }
)


def _review_route(method: str, suffix: str, permission: Permission, which: str) -> Route:
    return Route(
        method,
        lambda w: f"/reviews/{w.reviews[which].id}{suffix}",
        permission,
        lambda w: w.reviews[which],
    )


ROUTES.update(
    {
        "reviews.index": _case_route("GET", "/reviews/list", Permission.CASE_VIEW),
        "reviews.start": _case_route("POST", "/reviews", Permission.CASE_REVIEW),
        "reviews.edit": _review_route("GET", "/edit", Permission.REVIEW_EDIT, "draft"),
        "reviews.autosave": _review_route("POST", "/autosave", Permission.REVIEW_EDIT, "draft"),
        "reviews.show": _review_route("GET", "", Permission.REVIEW_READ_FEEDBACK, "submitted"),
        "reviews.release": _review_route(
            "POST", "/release", Permission.REVIEW_RELEASE, "submitted"
        ),
        "reviews.scores_visibility": _case_route(
            "POST", "/scores-visibility", Permission.CASE_SCORES_VISIBILITY
        ),
        "reviews.reconcile": Route(
            "GET",
            lambda w: (
                f"/cases/{w.cases['shared'].id}/reconcile/"
                f"{w.reviews['submitted'].revision_number}/boundaries"
            ),
            Permission.CASE_RECONCILE,
            lambda w: w.cases["shared"],
        ),
    }
)


def endpoint_of(key: str) -> str:
    return key.split("[")[0]


def test_every_route_is_classified(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    classified = {endpoint_of(key) for key in ROUTES}
    unclassified = endpoints - classified
    assert not unclassified, f"add these routes to ROUTES with their rule: {sorted(unclassified)}"
    assert not classified - endpoints, "ROUTES names endpoints that no longer exist"


def build_world(make_user: Callable[..., User], make_group: Callable[..., Group]) -> World:
    users = {name: make_user(name.title()) for name in PRINCIPALS if name != "anonymous"}
    users["site_admin"].is_site_admin = True
    group = make_group(
        GroupKind.SUPERVISION,
        {
            users["facilitator"]: Role.FACILITATOR,
            users["supervisor"]: Role.SUPERVISOR,
            users["supervisee"]: Role.SUPERVISEE,
            users["other_supervisee"]: Role.SUPERVISEE,
        },
    )
    other_group = make_group(GroupKind.PEER, {users["outsider"]: Role.FACILITATOR})
    memberships = {m.user.display_name.lower().replace(" ", "_"): m for m in group.memberships}
    from flask import current_app

    with current_app.test_request_context():
        invitation = invite(group, users["facilitator"], "new.person@example.org", Role.SUPERVISEE)
        db.session.commit()
        cases = build_cases(group, users)
        builtin = latest_published(builtin_rubric())
        rubric_versions = {
            "builtin": builtin,
            "draft": new_draft_version(group, builtin, users["facilitator"]),
        }
        reviews = build_reviews(cases, users)
        db.session.commit()
    # The token itself is only in the email; read it back from the queued link.
    from supervision.models import OutboxMessage

    body = db.session.scalars(db.select(OutboxMessage)).all()[-1].body
    token = body.split("/groups/invitations/")[1].split()[0]
    return World(
        group,
        other_group,
        users,
        memberships,
        invitation.id,
        token,
        cases,
        rubric_versions,
        reviews,
    )


def _scored(case: Case, reviewer: User, level: int) -> Review:
    review = start_review(case, reviewer)
    scores = {s.criterion_key: ScoreInput(not_visible=True) for s in review.scores}
    scores["boundaries"] = ScoreInput(level=level, evidence="R. went quiet", comment="Seen.")
    save_review(review, ReviewInput(scores, "Thoughtful work.", "Private thought."))
    submit_review(review)
    return review


def build_reviews(cases: dict[str, Case], users: dict[str, User]) -> dict[str, Review]:
    """Two submitted reviews two levels apart (a discrepancy) and a draft on another case."""
    submitted = _scored(cases["shared"], users["supervisor"], 1)
    _scored(cases["shared"], users["facilitator"], 4)
    second = create_case(cases["shared"].group, users["supervisee"], "Second", CLEAN_SECTIONS)
    share_case(second, users["supervisee"], sorted(CHECKLIST_KEYS), "Changed age.")
    draft = start_review(second, users["supervisor"])
    return {"submitted": submitted, "draft": draft}


CLEAN_SECTIONS = {
    "context": "Third session of twelve, short-term counselling.",
    "client": "The client is a woman in her thirties.",
    "moment": "R. went quiet after I named the pattern.",
    "reactions": "I felt I had rushed her.",
    "question": "How could I have paced this?",
}


def build_cases(group: Group, users: dict[str, User]) -> dict[str, Case]:
    author, facilitator = users["supervisee"], users["facilitator"]
    checklist = sorted(CHECKLIST_KEYS)

    def shared(title: str) -> Case:
        case = create_case(group, author, title, CLEAN_SECTIONS)
        share_case(case, author, checklist, "Changed age and occupation.")
        return case

    cases = {
        "shared": shared("Shared case"),
        "draft": create_case(group, author, "Draft case", CLEAN_SECTIONS),
        "closed": shared("Closed case"),
        "flagged": shared("Flagged case"),
    }
    close_case(cases["closed"])
    flag_case(cases["flagged"], users["supervisor"], "", "The setting is too specific.")
    group.require_case_approval = True
    cases["pending"] = shared("Pending case")
    group.require_case_approval = False
    db.session.commit()
    assert cases["pending"].status is CaseStatus.PENDING and facilitator
    return cases


def sign_in(client: Any, user: User) -> None:
    # Direct session set-up: the real login flow is covered in tests/auth.
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["login_at"] = utcnow().isoformat()


def expected(route: Route, principal: str, world: World) -> str:
    user = world.users.get(principal)
    if route.rule == PUBLIC:
        return "allowed"
    if route.rule == ANONYMOUS_ONLY:
        return "allowed"
    if user is None:
        return "login"
    if route.rule == SIGNED_IN:
        return "allowed"
    permission = Permission(route.rule)
    if permission is Permission.GROUP_CREATE:
        return "allowed" if can(user, permission, None) else "forbidden"
    target = route.target(world)
    if not any(m.user_id == user.id for m in world.group.memberships):
        return "not-found"  # another group's objects are indistinguishable from missing ones
    if isinstance(target, Case) and not can(user, Permission.CASE_VIEW, target):
        return "not-found"  # a case one may not read is not admitted to exist
    if isinstance(target, Review) and not (
        can(user, Permission.CASE_VIEW, target.case)
        and can(user, Permission.REVIEW_READ_FEEDBACK, target)
    ):
        return "not-found"
    return "allowed" if can(user, permission, target) else "forbidden"


def outcome(response: Any) -> str:
    if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
        return "login"
    if response.status_code == 404:
        return "not-found"
    if response.status_code == 403:
        return "forbidden"
    if response.status_code in (200, 201, 302, 303, 400):
        return "allowed"
    return f"unexpected {response.status_code}"


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_route_as_principal(
    app: Flask, client: Any, make_user: Any, make_group: Any, endpoint: str, principal: str
) -> None:
    world = build_world(make_user, make_group)
    route = ROUTES[endpoint]
    want = expected(route, principal, world)
    if principal != "anonymous":
        sign_in(client, world.users[principal])
    path = route.path(world)
    if route.method == "POST":
        response = client.post(path, data={"csrf_token": csrf_token(client)})
    else:
        response = client.get(path)
    assert outcome(response) == want, (
        f"{route.method} {path} as {principal}: got {response.status_code}, expected {want}"
    )


@pytest.mark.parametrize("endpoint", sorted(e for e, r in ROUTES.items() if r.method == "POST"))
def test_state_changes_require_csrf(
    app: Flask, client: Any, make_user: Any, make_group: Any, endpoint: str
) -> None:
    world = build_world(make_user, make_group)
    sign_in(client, world.users["facilitator"])
    response = client.post(ROUTES[endpoint].path(world), data={})
    assert response.status_code == 400


_GET_PAGES = {endpoint_of(e) for e, r in ROUTES.items() if r.method == "GET"}
_POST_ONLY = sorted(
    e for e, r in ROUTES.items() if r.method == "POST" and endpoint_of(e) not in _GET_PAGES
)


@pytest.mark.parametrize("endpoint", _POST_ONLY)
def test_state_changes_refuse_get(
    app: Flask, client: Any, make_user: Any, make_group: Any, endpoint: str
) -> None:
    world = build_world(make_user, make_group)
    sign_in(client, world.users["facilitator"])
    assert client.get(ROUTES[endpoint].path(world)).status_code == 405
