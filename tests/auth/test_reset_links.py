"""Reset links: one used (or any password change) ends every other; the token is in the emailed
URL only, then held in the server-side session behind a token-free URL."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import unquote

from conftest import PASSWORD, post
from flask.testing import FlaskClient
from sqlalchemy import select

from supervision.auth.services import RESET_LINK_ENDED
from supervision.extensions import db
from supervision.mail.services import outgoing
from supervision.models import OutboxMessage
from supervision.models.types import utcnow
from supervision.passwords import verify_password

EMAIL = "lee@example.org"
FIRST = "lanterns over a quiet river"
SECOND = "moss on the northern stones"


def request_links(client: FlaskClient, count: int) -> list[str]:
    """Ask for ``count`` reset links; their paths, oldest first, as the emails carry them."""
    for _ in range(count):
        assert post(client, "/password/forgot", {"email": EMAIL}).status_code == 302
    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    paths = []
    for message in messages:
        match = re.search(r"http://localhost(/password/reset/[\w-]+)", outgoing(message).body)
        assert match
        paths.append(match.group(1))
    return paths


def open_form(client: FlaskClient, link: str) -> str:
    """Follow an emailed link to the reset form; the path the form posts to."""
    page = client.get(link, follow_redirects=True)
    assert 'name="password"' in page.get_data(as_text=True)
    return page.request.path


def reset_with(client: FlaskClient, link: str, password: str):  # type: ignore[no-untyped-def]
    return post(client, open_form(client, link), {"password": password, "confirm": password})


def ended(client: FlaskClient, link: str) -> bool:
    """The link answers with the clear "no longer works" message on the forgot-password page."""
    response = client.get(link, follow_redirects=True)
    return response.request.path == "/password/forgot" and RESET_LINK_ENDED in response.get_data(
        as_text=True
    ).replace("&#39;", "'")


def test_using_one_reset_link_ends_the_others(app, client, make_user):
    user = make_user(email=EMAIL)
    first, second = request_links(client, 2)

    assert reset_with(client, second, FIRST).headers["Location"] == "/login"

    other_browser = app.test_client()
    assert ended(other_browser, first)
    assert ended(other_browser, second)
    db.session.refresh(user)
    assert verify_password(user.password_hash, FIRST)


def test_a_link_opened_before_another_was_used_cannot_reset(app, client, make_user):
    user = make_user(email=EMAIL)
    first, second = request_links(client, 2)
    slow_tab = app.test_client()
    form_path = open_form(slow_tab, first)

    reset_with(client, second, FIRST)
    late = post(slow_tab, form_path, {"password": SECOND, "confirm": SECOND})

    assert late.headers["Location"] == "/password/forgot"
    page = slow_tab.get("/password/forgot").get_data(as_text=True).replace("&#39;", "'")
    assert RESET_LINK_ENDED in page
    db.session.refresh(user)
    assert verify_password(user.password_hash, FIRST)


def test_changing_the_password_ends_outstanding_reset_links(app, client, make_user, login_as):
    user = make_user(email=EMAIL)
    [link] = request_links(app.test_client(), 1)
    login_as(user)
    changed = post(
        client,
        "/account/password",
        {"current_password": PASSWORD, "password": FIRST, "confirm": FIRST},
    )
    assert changed.status_code == 302

    assert ended(app.test_client(), link)
    db.session.refresh(user)
    assert verify_password(user.password_hash, FIRST)


def test_a_refused_password_keeps_the_link_usable(client, make_user):
    user = make_user(email=EMAIL)
    [link] = request_links(client, 1)
    form_path = open_form(client, link)
    refused = post(client, form_path, {"password": "short", "confirm": "short"})
    assert refused.status_code == 200
    assert post(client, form_path, {"password": FIRST, "confirm": FIRST}).status_code == 302
    db.session.refresh(user)
    assert verify_password(user.password_hash, FIRST)


def test_the_reset_form_url_carries_no_token(client, make_user):
    make_user(email=EMAIL)
    [link] = request_links(client, 1)
    token = link.rsplit("/", 1)[1]
    page = client.get(link, follow_redirects=True)
    assert page.request.path == "/password/reset"
    assert [r.headers["Location"] for r in page.history] == ["/password/reset"]
    html = page.get_data(as_text=True)
    assert 'name="password"' in html
    assert token not in html  # nor in any link or form action of the page


def test_the_reset_form_without_a_link_explains_itself(client):
    response = client.get("/password/reset", follow_redirects=True)
    assert response.request.path == "/password/forgot"
    assert "open the link in your reset email" in response.get_data(as_text=True)


def test_an_expired_session_does_not_send_the_reset_token_to_login(
    app, client, make_user, login_as
):
    user = make_user(email=EMAIL)
    [link] = request_links(app.test_client(), 1)
    login_as(user)
    with client.session_transaction() as session:
        session["login_at"] = (utcnow() - timedelta(hours=13)).isoformat()
    response = client.get(link)
    assert (response.status_code, response.headers["Location"]) == (303, "/password/reset")
    assert link.rsplit("/", 1)[1] not in unquote(response.headers["Location"])
