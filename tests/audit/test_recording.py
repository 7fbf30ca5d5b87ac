"""The recording points: reads, exports, logins, denials and role changes leave their entries,
with whose material it was and in which group."""

from __future__ import annotations

import re
from datetime import timedelta

from audit_support import detail, entries
from conftest import PASSWORD, csrf_token, post
from sqlalchemy import select
from support import shared_case, supervision_world

from supervision.evaluations.services import ScheduleInput, schedule_evaluation
from supervision.extensions import db
from supervision.mail.services import outgoing
from supervision.models import EvaluationKind, Membership, OutboxMessage, Role
from supervision.models.types import utcnow
from supervision.rubrics.services import builtin_rubric, ensure_builtin_rubric, latest_published

NEW_PASSWORD = "lanterns over a quiet river"


def test_a_supervisor_reading_a_case_shows_in_the_authors_reads(
    app, make_user, make_group, login_as
):
    world = supervision_world(make_user, make_group)
    case = shared_case(world.group, world.author, title="The unopened letter")
    client = login_as(world.supervisor)
    assert client.get(f"/cases/{case.id}").status_code == 200
    (read,) = entries(action="read", object_type="cases")
    assert (read.actor_id, read.object_id) == (world.supervisor.id, case.id)
    assert (read.subject_id, read.group_id) == (world.author.id, world.group.id)

    client.post("/logout", data={"csrf_token": csrf_token(client, "/cases/mine")})
    page = login_as(world.author).get("/account/reads").get_data(as_text=True)
    assert "Sam Supervisor" in page and "The unopened letter" in page


def test_the_authors_own_reads_are_not_listed_as_someone_elses(
    app, make_user, make_group, login_as
):
    world = supervision_world(make_user, make_group)
    case = shared_case(world.group, world.author)
    client = login_as(world.author)
    client.get(f"/cases/{case.id}")
    page = client.get("/account/reads").get_data(as_text=True)
    assert "Nobody else has opened your cases yet." in page


def test_a_review_and_an_evaluation_read_name_whose_material_it_is(
    app, make_user, make_group, login_as
):
    world = supervision_world(make_user, make_group)
    case = shared_case(world.group, world.author)
    ensure_builtin_rubric()
    today = utcnow().date()
    data = ScheduleInput(
        world.author.id,
        world.supervisor.id,
        EvaluationKind.MIDTERM,
        "",
        today - timedelta(days=30),
        today,
        today + timedelta(days=5),
        latest_published(builtin_rubric()).id,
    )
    evaluation = schedule_evaluation(world.group, world.facilitator, data)
    db.session.commit()
    client = login_as(world.supervisor)
    assert client.get(f"/evaluations/{evaluation.id}").status_code == 200
    started = post(client, f"/cases/{case.id}/reviews")
    assert started.status_code == 302
    review_id = int(re.search(r"/reviews/(\d+)", started.headers["Location"]).group(1))
    assert client.get(f"/reviews/{review_id}").status_code == 200
    (evaluation_read,) = entries(action="read", object_type="evaluations")
    assert evaluation_read.subject_id == world.author.id
    assert evaluation_read.group_id == world.group.id
    (review_read,) = entries(action="read", object_type="reviews")
    assert (review_read.object_id, review_read.subject_id) == (review_id, world.author.id)
    assert review_read.group_id == world.group.id


def test_a_failed_login_names_the_account_but_never_the_password(app, make_user, client):
    user = make_user(email="dana@example.org")
    wrong = "not the harbour at all"
    client.post(
        "/login",
        data={"email": user.email, "password": wrong, "csrf_token": csrf_token(client)},
    )
    (failed,) = entries(action="login_failed")
    assert (failed.object_type, failed.object_id, failed.actor_id) == ("users", user.id, None)
    assert detail(failed) == {"reason": "wrong_password"}
    assert wrong not in failed.detail


def test_a_failed_login_for_an_unknown_address_keeps_no_address(app, client):
    client.post(
        "/login",
        data={
            "email": "nobody.here@example.org",
            "password": PASSWORD,
            "csrf_token": csrf_token(client),
        },
    )
    (failed,) = entries(action="login_failed")
    assert failed.object_id is None and "nobody.here" not in failed.detail


def test_a_login_and_a_logout_are_recorded(app, make_user, login_as):
    user = make_user()
    client = login_as(user)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/cases/mine")})
    login, logout = entries(object_type="users", object_id=user.id, actor_id=user.id)[-2:]
    assert (login.action, logout.action) == ("login", "logout")
    assert detail(login) == {"via": "password"}


def test_a_wrong_second_factor_code_is_recorded(app, make_user, client, totp_clock):
    user = make_user(site_admin=True)
    client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    client.post(
        "/login/second-factor",
        data={"code": "000000", "csrf_token": csrf_token(client, "/login/second-factor")},
    )
    (failed,) = entries(action="second_factor_failed")
    assert (failed.object_id, failed.subject_id) == (user.id, user.id)


def test_a_denial_of_an_existing_case_is_recorded_and_a_missing_one_is_not(
    app, make_user, make_group, login_as
):
    world = supervision_world(make_user, make_group)
    case = shared_case(world.group, world.author)
    outsider = make_user("Olive Outsider")
    client = login_as(outsider)
    assert client.get(f"/cases/{case.id}").status_code == 404
    assert client.get(f"/cases/{case.id + 1000}").status_code == 404
    (denied,) = entries(action="denied")
    assert (denied.actor_id, denied.object_type) == (outsider.id, "groups")
    assert denied.group_id == world.group.id and detail(denied) == {"status": 404}


def test_a_403_from_the_permission_map_is_recorded(app, make_user, make_group, login_as):
    world = supervision_world(make_user, make_group)
    client = login_as(world.author)  # a member, not a facilitator
    assert client.get(f"/groups/{world.group.id}/settings").status_code == 403
    (denied,) = entries(action="denied")
    assert (denied.object_type, denied.object_id) == ("groups", world.group.id)
    assert detail(denied) == {"permission": "group.manage", "status": 403}


def test_a_role_change_says_from_what_to_what(app, make_user, make_group, login_as):
    world = supervision_world(make_user, make_group)
    membership = db.session.scalars(
        db.select(Membership).where(Membership.user_id == world.reader.id)
    ).one()
    db.session.rollback()
    client = login_as(world.facilitator)
    response = post(
        client,
        f"/groups/{world.group.id}/members/{membership.id}/role",
        {"role": Role.SUPERVISOR.value},
    )
    assert response.status_code == 302
    (change,) = entries(action="role_change")
    assert (change.object_type, change.object_id) == ("memberships", membership.id)
    assert (change.group_id, change.subject_id) == (world.group.id, world.reader.id)
    assert change.actor_id == world.facilitator.id
    assert detail(change) == {"from": "supervisee", "to": "supervisor"}


def test_exports_are_recorded_with_what_was_exported(app, make_user, make_group, login_as):
    world = supervision_world(make_user, make_group)
    client = login_as(world.facilitator)
    assert client.get(f"/groups/{world.group.id}/reports/members.csv").status_code == 200
    assert client.get("/meetings/hours.csv").status_code == 200
    assert post(client, "/account/portfolio/download").status_code == 200
    exports = entries(action="export")
    assert [detail(e)["export"] for e in exports] == ["report:members", "hours.csv", "portfolio"]
    assert exports[0].group_id == world.group.id
    assert all(e.actor_id == world.facilitator.id for e in exports)


def test_a_password_reset_is_recorded_from_request_to_completion(app, make_user, client):
    user = make_user(email="lee@example.org")
    assert post(client, "/password/forgot", {"email": user.email}).status_code == 302
    message = db.session.scalars(select(OutboxMessage)).one()
    link = re.search(r"http://localhost(/password/reset/[\w-]+)", outgoing(message).body).group(1)
    form_path = client.get(link, follow_redirects=True).request.path
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert post(client, form_path, data).status_code == 302
    actions = [e.action for e in entries(object_type="users", object_id=user.id)]
    assert "password_reset_requested" in actions and "password_reset" in actions
    token = link.rsplit("/", 1)[1]
    assert not [e for e in entries() if token in e.detail]


def test_the_admin_cli_records_the_account_it_made(app):
    result = app.test_cli_runner().invoke(args=["users", "create-admin", "root@example.org"])
    assert result.exit_code == 0, result.output
    (made,) = entries(action="admin_created")
    assert made.actor_id is None and detail(made) == {"via": "cli"}
