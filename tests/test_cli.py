"""Administrative commands: `users create-admin` and `demo load`."""

from __future__ import annotations

import re

import pytest
from click.testing import Result
from conftest import enrol_second_factor, post
from flask import Flask
from sqlalchemy import func, select

from supervision.demo.accounts import DEMO_PASSWORD
from supervision.demo.workspace import PEOPLE, demo_email
from supervision.extensions import db
from supervision.models import Group, User
from supervision.passwords import verify_password

NEW_PASSWORD = "quiet lanterns over the bay"
DEMO_EMAILS = [demo_email(handle) for handle, _ in PEOPLE]


def invoke(app: Flask, *args: str) -> Result:
    result = app.test_cli_runner().invoke(args=list(args))
    db.session.expire_all()  # read what the command committed afresh
    return result


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# -- users create-admin ---------------------------------------------------------------------


def one_time_password(output: str) -> str:
    match = re.search(r"One-time password.*: (\S+)\s*$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def test_create_admin_makes_a_site_admin_who_must_change_the_password(app) -> None:
    result = invoke(app, "users", "create-admin", "Head.Admin@Example.org")

    assert result.exit_code == 0, result.output
    password = one_time_password(result.output)
    assert len(password) >= 16
    admin = db.session.scalar(select(User))
    assert admin.email == "head.admin@example.org"
    assert admin.is_site_admin
    assert admin.must_change_password
    assert admin.display_name == "head.admin"
    assert verify_password(admin.password_hash, password)
    assert password not in admin.password_hash


def test_create_admin_twice_is_a_clear_error(app, make_user) -> None:
    make_user(email="admin@example.org")

    result = invoke(app, "users", "create-admin", "ADMIN@example.org")

    assert result.exit_code != 0
    assert "already exists" in result.output
    assert "admin@example.org" in result.output
    assert "One-time password" not in result.output
    assert "Traceback" not in result.output
    assert count(User) == 1
    assert not db.session.scalar(select(User)).is_site_admin


def test_one_time_password_leads_to_the_change_password_page_until_changed(app, client) -> None:
    result = invoke(app, "users", "create-admin", "admin@example.org")
    password = one_time_password(result.output)

    login = post(client, "/login", {"email": "admin@example.org", "password": password})

    assert login.status_code == 302
    assert login.headers["Location"].endswith("/account/password")
    for path in ("/", "/groups/", "/groups/new"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].endswith("/account/password"), path
    assert client.get("/account/password").status_code == 200

    changed = post(
        client,
        "/account/password",
        {"current_password": password, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )

    assert changed.status_code == 302
    assert not changed.headers["Location"].endswith("/account/password")
    # Next, a site admin sets up a second factor before anything else opens.
    for path in ("/", "/groups/", "/groups/new"):
        response = client.get(path)
        assert response.headers["Location"].endswith("/account/two-factor"), path
    admin = db.session.scalar(select(User))
    enrol_second_factor(admin)
    for path in ("/", "/groups/", "/groups/new"):
        assert client.get(path).status_code == 200, path
    assert not admin.must_change_password
    assert verify_password(admin.password_hash, NEW_PASSWORD)
    assert not verify_password(admin.password_hash, password)


# -- demo load --------------------------------------------------------------------------------


def test_demo_load_if_empty_loads_the_workspace_once(app) -> None:
    result = invoke(app, "demo", "load", "--if-empty")

    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output
    users = db.session.scalars(select(User)).all()
    groups = db.session.scalars(select(Group)).all()
    assert len(users) == 7
    assert len(groups) == 2
    assert all(user.is_demo for user in users)
    assert all(group.is_demo for group in groups)
    assert sorted(user.email for user in users) == sorted(DEMO_EMAILS)
    assert verify_password(users[0].password_hash, DEMO_PASSWORD)

    again = invoke(app, "demo", "load", "--if-empty")
    assert again.exit_code == 0, again.output
    assert DEMO_PASSWORD not in again.output
    assert (count(User), count(Group)) == (7, 2)

    forced = invoke(app, "demo", "load")  # without --if-empty: still not twice
    assert forced.exit_code == 0, forced.output
    assert "already loaded" in forced.output
    assert (count(User), count(Group)) == (7, 2)


def test_demo_load_if_empty_leaves_a_real_database_alone(app, make_user) -> None:
    make_user(email="real.person@example.org")

    result = invoke(app, "demo", "load", "--if-empty")

    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD not in result.output
    assert count(User) == 1
    assert count(Group) == 0
    assert db.session.scalar(select(func.count()).where(User.is_demo.is_(True))) == 0


@pytest.mark.parametrize("demo_mode", [True, False])
def test_login_page_lists_demo_accounts_only_in_demo_mode(
    app, client, monkeypatch, demo_mode
) -> None:
    assert invoke(app, "demo", "load", "--if-empty").exit_code == 0
    monkeypatch.setitem(app.config, "DEMO_MODE", demo_mode)

    page = client.get("/login").get_data(as_text=True)

    for email in DEMO_EMAILS:
        assert (email in page) is demo_mode, email
    assert (DEMO_PASSWORD in page) is demo_mode


def test_demo_accounts_can_log_in(app, client):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "load", "--if-empty"]).exit_code == 0
    email = db.session.scalar(select(User.email).where(User.is_demo.is_(True)))
    response = post(client, "/login", {"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert client.get("/groups/").status_code == 200
