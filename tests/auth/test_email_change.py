"""Changing one's email address asks for the password again (and a code, with a second
factor); it ends the other sessions and tells the old address."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import PASSWORD, csrf_token, enrol_second_factor, post, spare_recovery_code
from flask import Flask
from sqlalchemy import select

from supervision.extensions import db
from supervision.models import OutboxMessage, User


def _change(client: Any, **fields: str) -> Any:
    return post(
        client,
        "/account/email",
        {"email": "new.address@example.org", "password": PASSWORD, **fields},
    )


def _mail_to(address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == address)))


def test_the_account_page_links_to_it(login_as: Any, make_user: Any) -> None:
    client = login_as(make_user())
    assert "/account/email" in client.get("/account/password").get_data(as_text=True)


def test_a_new_address_ends_other_sessions_and_tells_the_old_one(
    app: Flask, login_as: Any, make_user: Any
) -> None:
    user = make_user(email="old.address@example.org")
    other_device = app.test_client()
    assert (
        other_device.post(
            "/login",
            data={
                "email": user.email,
                "password": PASSWORD,
                "csrf_token": csrf_token(other_device),
            },
        ).status_code
        == 302
    )
    assert other_device.get("/account/password").status_code == 200
    client = login_as(user)

    response = _change(client, email="New.Address@Example.org")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your email address is now new.address@example.org" in page
    assert "A notice went to old.address@example.org" in page
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "new.address@example.org"  # lowercased
    (notice,) = _mail_to("old.address@example.org")
    assert notice.subject == "Your Attune email address was changed"
    assert "no longer signs in" in notice.body
    # This browser goes on; the other one is logged out.
    assert client.get("/account/password").status_code == 200
    assert "/login" in other_device.get("/account/password").headers.get("Location", "")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"password": "not the password"}, "Your current password is not correct."),
        ({"password": ""}, "Enter your password to confirm."),
        ({"email": "not an address"}, "Enter an email address like name@example.org."),
        ({"email": "taken@example.org"}, "Another account already uses this email address."),
        ({"email": "TAKEN@example.org"}, "Another account already uses this email address."),
        ({"email": "me@example.org"}, "That is already your email address."),
    ],
)
def test_refusals_are_explained(
    login_as: Any, make_user: Any, fields: dict[str, str], message: str
) -> None:
    make_user(email="taken@example.org")
    user = make_user(email="me@example.org")
    client = login_as(user)
    response = _change(client, **fields)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "me@example.org"
    assert _mail_to("me@example.org") == []


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the code from your authenticator app."),
        ("123456", "That code is not right, or was used already."),
    ],
)
def test_with_a_second_factor_a_code_is_needed(
    login_as: Any, make_user: Any, code: str, message: str
) -> None:
    user = make_user(email="two.factor@example.org")
    enrol_second_factor(user)
    client = login_as(user)
    assert "Code from your authenticator app" in client.get("/account/email").get_data(as_text=True)
    response = _change(client, code=code)
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "two.factor@example.org"
    assert _change(client, code=spare_recovery_code(user)).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "new.address@example.org"


def test_changing_the_password_asks_for_the_code_too(login_as: Any, make_user: Any) -> None:
    user = make_user()
    enrol_second_factor(user)
    client = login_as(user)
    fields = {"current_password": PASSWORD, "password": "a quieter harbour at dawn"}
    fields["confirm"] = fields["password"]
    refused = post(client, "/account/password", fields)
    assert "Enter the code from your authenticator app." in refused.get_data(as_text=True)
    done = post(client, "/account/password", {**fields, "code": spare_recovery_code(user)})
    assert done.status_code == 302
