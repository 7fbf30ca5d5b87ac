"""Accounts through the public face: register, log in/out, change and reset passwords."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from conftest import PASSWORD, csrf_token, post
from sqlalchemy import select

from supervision.auth.services import AccountError, authenticate, register_user
from supervision.extensions import db
from supervision.mail.services import outgoing
from supervision.models import OutboxMessage, PasswordResetToken, User
from supervision.models.types import utcnow
from supervision.passwords import hash_password, verify_password

NEW_PASSWORD = "lanterns over a quiet river"


def register(client, email="Ana.Diaz@Example.ORG", name="Ana Díaz", password=NEW_PASSWORD):
    return post(
        client,
        "/register",
        {"email": email, "display_name": name, "password": password, "confirm": password},
    )


def test_register_normalizes_email_and_signs_in(client):
    response = register(client)
    assert response.status_code == 302
    user = db.session.scalar(select(User))
    assert user.email == "ana.diaz@example.org"
    assert user.password_hash.startswith("$argon2id$")
    assert client.get("/").status_code == 200
    assert "Ana Díaz" in client.get("/").get_data(as_text=True)


def test_register_refuses_duplicate_email_in_any_case(client, make_user):
    make_user(email="ana@example.org")
    response = register(client, email="ANA@example.org")
    assert response.status_code == 200
    assert "already exists" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass", "between 12 and 128"),
        ("x" * 129, "between 12 and 128"),
        ("qwerty123456", "too common"),
        ("passwordpassword", "too easy to guess"),
    ],
)
def test_register_rejects_weak_passwords_with_a_reason(client, password, message):
    response = register(client, password=password)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None


def test_register_keeps_what_was_typed_when_it_fails(client):
    page = register(client, password="short").get_data(as_text=True)
    assert 'value="Ana.Diaz@Example.ORG"' in page
    assert "Ana Díaz" in page


def test_register_requires_csrf(client):
    response = client.post(
        "/register",
        data={
            "email": "a@example.org",
            "display_name": "A",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 400
    assert db.session.scalar(select(User)) is None


def test_login_and_logout(client, make_user, login_as):
    user = make_user()
    login_as(user)
    assert client.get("/groups/").status_code == 200
    response = post(client, "/logout")
    assert response.status_code == 302
    assert client.get("/groups/").status_code == 302


def test_login_failure_is_generic_and_keeps_email(client, make_user):
    user = make_user(email="kim@example.org")
    for email in ("kim@example.org", "nobody@example.org"):
        page = post(client, "/login", {"email": email, "password": "wrong password!"})
        text = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "do not match an account" in text
        assert f'value="{email}"' in text
    assert user.last_login_at is None


def test_login_is_case_insensitive_on_email(client, make_user):
    make_user(email="kim@example.org")
    response = post(client, "/login", {"email": "KIM@Example.org", "password": PASSWORD})
    assert response.status_code == 302


def test_logout_is_post_only(client, make_user, login_as):
    login_as(make_user())
    assert client.get("/logout").status_code == 405
    assert client.get("/groups/").status_code == 200


def test_session_id_changes_at_login(client, make_user):
    user = make_user()
    csrf_token(client)  # creates an anonymous session
    before = client.get_cookie("attune_session").value
    post(client, "/login", {"email": user.email, "password": PASSWORD})
    after = client.get_cookie("attune_session").value
    assert before and after and before != after


def test_cookie_replayed_after_logout_is_rejected(app, client, make_user, login_as):
    login_as(make_user())
    stolen = client.get_cookie("attune_session").value
    post(client, "/logout")
    attacker = app.test_client()
    attacker.set_cookie("attune_session", stolen)
    response = attacker.get("/groups/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_session_cookie_flags(client, make_user):
    user = make_user()
    response = post(client, "/login", {"email": user.email, "password": PASSWORD})
    set_cookie = next(h for h in response.headers.getlist("Set-Cookie") if "attune_session" in h)
    assert "HttpOnly" in set_cookie
    assert "SameSite=Lax" in set_cookie


def test_secure_cookie_outside_development(monkeypatch):
    from supervision.config import load_config

    monkeypatch.setenv("SUPERVISION_ENV", "production")
    assert load_config()["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("SUPERVISION_ENV", "development")
    assert load_config()["SESSION_COOKIE_SECURE"] is False


def test_absolute_session_timeout(app, client, make_user, login_as):
    login_as(make_user())
    with client.session_transaction() as session:
        session["login_at"] = (utcnow() - timedelta(hours=13)).isoformat()
    response = client.get("/groups/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert client.get("/groups/").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "/\\evil.com",
        "https:\\\\evil.com",
        "//evil.com",
        "https://evil.com",
        "/%0d%0aLocation:x",
        "javascript:alert(1)",
        "\\\\evil.com",
    ],
)
def test_login_next_accepts_only_local_paths(client, make_user, target):
    user = make_user()
    response = post(
        client,
        f"/login?next={target}",
        {"email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_next_follows_local_path(client, make_user):
    user = make_user()
    response = post(client, "/login?next=/groups/", {"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/groups/"


def test_change_password_ends_other_sessions(app, client, make_user, login_as):
    user = make_user()
    other_device = app.test_client()
    post(other_device, "/login", {"email": user.email, "password": PASSWORD})
    assert other_device.get("/groups/").status_code == 200
    login_as(user)
    response = post(
        client,
        "/account/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/groups/").status_code == 200  # this session continues
    assert other_device.get("/groups/").status_code == 302  # the other one ended
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)


def test_change_password_requires_current_password(client, make_user, login_as):
    login_as(make_user())
    page = post(
        client,
        "/account/password",
        {"current_password": "not my password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert page.status_code == 200
    assert "current password is not correct" in page.get_data(as_text=True)


def _reset_link(message: OutboxMessage) -> str:
    body = outgoing(message).body  # the link is sealed in the outbox, in the mail as sent
    match = re.search(r"http://localhost(/password/reset/\S+)", body)
    assert match, body
    return match.group(1)


def test_password_reset_by_emailed_link(client, make_user):
    user = make_user(email="lee@example.org")
    response = post(client, "/password/forgot", {"email": "LEE@example.org"})
    assert response.status_code == 302
    message = db.session.scalar(select(OutboxMessage))
    assert message.recipient == "lee@example.org"
    link = _reset_link(message)
    token = link.rsplit("/", 1)[1]
    stored = db.session.scalar(select(PasswordResetToken))
    assert stored.token_hash != token and token not in stored.token_hash  # hashed at rest
    opened = client.get(link)
    assert (opened.status_code, opened.headers["Location"]) == (303, "/password/reset")
    assert client.get("/password/reset").status_code == 200
    response = post(client, "/password/reset", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    # Single use.
    again = client.get(link)
    assert again.status_code == 302
    assert "/password/forgot" in again.headers["Location"]


def test_password_reset_for_unknown_email_says_the_same(client):
    response = post(
        client, "/password/forgot", {"email": "ghost@example.org"}, follow_redirects=True
    )
    assert "If an account uses that address" in response.get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage)) is None


def test_password_reset_link_expires_after_an_hour(client, make_user):
    make_user(email="lee@example.org")
    post(client, "/password/forgot", {"email": "lee@example.org"})
    link = _reset_link(db.session.scalar(select(OutboxMessage)))
    stored = db.session.scalar(select(PasswordResetToken))
    stored.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(link).status_code == 302


def test_login_is_rate_limited(client, make_user):
    make_user(email="kim@example.org")
    codes = [
        post(
            client, "/login", {"email": "kim@example.org", "password": "wrong password!"}
        ).status_code
        for _ in range(11)
    ]
    assert codes[:10] == [200] * 10
    assert codes[10] == 429


def test_password_hash_is_upgraded_when_parameters_change(make_user):
    from argon2 import PasswordHasher

    user = make_user()
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    db.session.commit()
    assert authenticate(user.email, PASSWORD) is user
    assert user.password_hash != PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    assert "t=1," not in user.password_hash


def test_register_service_rejects_bad_email():
    with pytest.raises(AccountError):
        register_user("not-an-email", "X", NEW_PASSWORD)


def test_hash_is_argon2id():
    assert hash_password(NEW_PASSWORD).startswith("$argon2id$")
