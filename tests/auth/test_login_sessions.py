"""Account → Sessions: each login is listed with its device and address; ending one stops it
at its next request; a password change ends the others; lifetimes are enforced and shown."""

from __future__ import annotations

from datetime import timedelta

from conftest import PASSWORD, post
from sqlalchemy import select, update

from supervision.auth.login_sessions import describe_device
from supervision.extensions import db
from supervision.models import LoginSession
from supervision.models.types import utcnow

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
)


def _browser(app, user, agent):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    response = post(client, "/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _ok(client) -> bool:
    return client.get("/account/sessions").status_code == 200


def test_each_login_is_listed_and_another_can_be_ended(app, make_user):
    user = make_user("Ines")
    laptop, phone = _browser(app, user, FIREFOX), _browser(app, user, IPHONE)
    page = laptop.get("/account/sessions").get_data(as_text=True)
    assert "Firefox on Linux" in page and "Safari on iPhone" in page
    assert "This browser" in page
    assert "120 minutes unused" in page and "12 hours" in page

    phone_row = db.session.scalars(
        select(LoginSession).where(LoginSession.user_agent == IPHONE)
    ).one()
    db.session.commit()
    ended = post(laptop, f"/account/sessions/{phone_row.id}/end")
    assert ended.status_code == 302
    assert _ok(laptop)
    stopped = phone.get("/account/sessions")
    assert stopped.status_code == 302 and "/login" in stopped.headers["Location"]


def test_someone_elses_session_cannot_be_ended(app, make_user):
    owner, other = make_user("Owner"), make_user("Other")
    _browser(app, owner, FIREFOX)
    mine = _browser(app, other, IPHONE)
    row = db.session.scalars(select(LoginSession).where(LoginSession.user_id == owner.id)).one()
    db.session.commit()  # no read transaction left open while the request writes (SQLite)
    assert post(mine, f"/account/sessions/{row.id}/end").status_code == 404
    db.session.refresh(row)
    assert row.ended_at is None


def test_ending_every_other_session_keeps_this_one(app, make_user):
    user = make_user("Ines")
    first, second, third = (_browser(app, user, FIREFOX) for _ in range(3))
    post(third, "/account/sessions/end-others")
    assert _ok(third) and not _ok(first) and not _ok(second)


def test_a_password_change_ends_the_other_sessions_in_the_list(app, make_user):
    user = make_user("Ines")
    other, here = _browser(app, user, IPHONE), _browser(app, user, FIREFOX)
    new = "lanterns over a quiet river"
    post(
        here,
        "/account/password",
        {"current_password": PASSWORD, "password": new, "confirm": new},
    )
    assert _ok(here) and not _ok(other)
    alive = db.session.scalars(select(LoginSession).where(LoginSession.ended_at.is_(None))).all()
    assert len(alive) == 1


def test_an_idle_session_ends_on_the_server(app, make_user):
    user = make_user("Ines")
    client = _browser(app, user, FIREFOX)
    db.session.execute(update(LoginSession).values(last_seen_at=utcnow() - timedelta(minutes=121)))
    db.session.commit()
    response = client.get("/account/sessions")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logging_out_ends_the_listed_session(app, make_user):
    user = make_user("Ines")
    client = _browser(app, user, FIREFOX)
    post(client, "/logout")
    row = db.session.scalars(select(LoginSession)).one()
    assert row.ended_at is not None


def test_devices_are_named_plainly():
    assert describe_device(FIREFOX) == "Firefox on Linux"
    assert describe_device(IPHONE) == "Safari on iPhone"
    assert describe_device("") == "Unknown device"
