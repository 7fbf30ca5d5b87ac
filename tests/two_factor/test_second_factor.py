"""The second factor: set up with the app's code and the password, asked for after the
password at login, single-use codes, required for site admins, and sessions renewed."""

from __future__ import annotations

import re

import pyotp
from conftest import PASSWORD, csrf_token, enrol_second_factor, post
from sqlalchemy import select

from supervision.extensions import db
from supervision.models import RecoveryCode, Role, TotpCredential
from supervision.two_factor.services import enable, verify


def _log_in(client, user, password=PASSWORD):
    return post(client, "/login", {"email": user.email, "password": password})


def _signed_in(client) -> bool:
    return client.get("/account/password").status_code == 200


def test_setting_it_up_shows_a_server_drawn_qr_code_and_needs_the_code_and_password(
    client, make_user, login_as
):
    user = make_user("Ines")
    login_as(user)
    page = client.get("/account/two-factor/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html and "QR code for your authenticator app" in html
    secret = re.search(r'class="secret-key">([A-Z2-7]+)<', html).group(1)

    wrong = post(client, "/account/two-factor/new", {"code": "000000", "password": PASSWORD})
    assert "That code does not match" in wrong.get_data(as_text=True)
    bad_password = post(
        client,
        "/account/two-factor/new",
        {"code": pyotp.TOTP(secret).now(), "password": "not my password"},
    )
    assert "That password is not correct" in bad_password.get_data(as_text=True)
    assert db.session.scalar(select(TotpCredential)) is None

    token_before = user.session_token
    done = post(
        client, "/account/two-factor/new", {"code": pyotp.TOTP(secret).now(), "password": PASSWORD}
    )
    text = done.get_data(as_text=True)
    assert done.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", text)
    assert len(codes) == 10
    db.session.refresh(user)
    assert user.session_token != token_before  # every other session ended
    assert _signed_in(client)  # this one goes on
    stored = db.session.scalar(select(TotpCredential))
    assert secret not in stored.secret_sealed  # sealed, not stored in the clear


def test_login_asks_for_the_code_after_the_password(client, make_user, totp_clock):
    user = make_user("Ines")
    secret = enrol_second_factor(user)
    step = _log_in(client, user)
    assert step.status_code == 302 and step.headers["Location"].endswith("/login/second-factor")
    assert not _signed_in(client)

    wrong = post(client, "/login/second-factor", {"code": "123456"})
    assert "not right" in wrong.get_data(as_text=True) and not _signed_in(client)

    # The step after the one recorded at enrolment: a fresh code, not the enrolment's.
    code = pyotp.TOTP(secret).at(totp_clock)
    done = post(client, "/login/second-factor", {"code": code})
    assert done.status_code == 302
    assert _signed_in(client)


def test_a_code_is_good_once_and_a_recovery_code_once(make_user):
    user = make_user("Ines")
    secret = pyotp.random_base32()
    now = 1_800_000_000.0  # any moment: the services take it as an argument
    codes = enable(user, secret, pyotp.TOTP(secret).at(now), now=now)
    later = now + 30
    fresh = pyotp.TOTP(secret).at(later)
    assert verify(user, fresh, now=later)
    assert not verify(user, fresh, now=later)  # replayed
    assert not verify(user, pyotp.TOTP(secret).at(now), now=later)  # older than the last used

    assert verify(user, codes[0].upper().replace("-", " "))  # case and spacing do not matter
    assert not verify(user, codes[0])
    assert verify(user, codes[1])
    left = db.session.scalars(select(RecoveryCode).where(RecoveryCode.used_at.is_(None))).all()
    assert len(left) == 8


def test_too_many_wrong_codes_end_the_attempt(client, make_user):
    user = make_user("Ines")
    enrol_second_factor(user)
    _log_in(client, user)
    for _ in range(4):
        post(client, "/login/second-factor", {"code": "999999"})
    last = post(client, "/login/second-factor", {"code": "999999"})
    assert last.status_code == 302 and last.headers["Location"].endswith("/login")
    again = client.get("/login/second-factor")
    assert again.status_code == 302 and "/login" in again.headers["Location"]


def test_the_second_step_is_not_reachable_without_the_first(client):
    response = client.get("/login/second-factor")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


def test_a_site_admin_without_a_second_factor_can_only_set_one_up(client, make_user, login_as):
    admin = make_user("Admin")
    admin.is_site_admin = True
    db.session.commit()
    login_as(admin)
    response = client.get("/notifications")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/account/two-factor"
    )
    assert client.get("/account/two-factor").status_code == 200
    enrol_second_factor(admin)
    assert client.get("/notifications").status_code == 200


def test_the_instance_can_require_it_of_facilitators(
    app, client, make_user, make_group, login_as, monkeypatch
):
    facilitator, member = make_user("Fac"), make_user("Member")
    make_group(members={facilitator: Role.FACILITATOR, member: Role.SUPERVISEE})
    monkeypatch.setitem(app.config, "TWO_FACTOR_ROLES", ("facilitator",))
    login_as(member)
    assert client.get("/notifications").status_code == 200
    other = app.test_client()
    post(other, "/login", {"email": facilitator.email, "password": PASSWORD})
    assert other.get("/notifications").status_code == 302
    monkeypatch.setitem(app.config, "TWO_FACTOR_ROLES", ())
    assert other.get("/notifications").status_code == 200


def test_turning_it_off_needs_the_password_and_a_code_and_ends_other_sessions(
    client, make_user, login_as, totp_clock
):
    user = make_user("Ines")
    secret = enrol_second_factor(user)
    login_as(user)
    refused = post(
        client,
        "/account/two-factor/off",
        {"off-password": PASSWORD, "off-code": "000000"},
    )
    assert refused.status_code == 400 and "not right" in refused.get_data(as_text=True)
    assert db.session.scalar(select(TotpCredential)) is not None

    token_before = user.session_token
    done = post(
        client,
        "/account/two-factor/off",
        {"off-password": PASSWORD, "off-code": pyotp.TOTP(secret).at(totp_clock)},
    )
    assert done.status_code == 302
    assert db.session.scalar(select(TotpCredential)) is None
    db.session.refresh(user)
    assert user.session_token != token_before
    assert _signed_in(client)


def test_the_forms_carry_csrf_tokens(client, make_user, login_as):
    login_as(make_user("Ines"))
    assert csrf_token(client, "/account/two-factor")
