"""Anonymous page views store no session: a row (database store) or a key (Redis, with REDIS_URL
set) appears only once something must be kept, such as the CSRF token of a form page.

Run without REDIS_URL for the database store and with it for Redis: the same tests, the store
the app is configured with.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from supervision.extensions import db
from supervision.models import ServerSession


def stored_sessions(app: Flask) -> int:
    """How many sessions the configured store holds."""
    if app.config.get("REDIS_URL"):
        from redis import Redis

        client = Redis.from_url(app.config["REDIS_URL"])
        return sum(1 for _ in client.scan_iter(match="session:*"))
    return db.session.scalar(select(func.count()).select_from(ServerSession)) or 0


def _visit(app: Flask, path: str, **kwargs: Any) -> Any:
    client = app.test_client()
    before = stored_sessions(app)
    response = client.get(path, **kwargs)
    return response, stored_sessions(app) - before, client


@pytest.mark.parametrize(
    "path",
    [
        "/",  # the landing page
        "/static/css/app.css",
        "/no-such-page",
        "/cases/1",  # a page that needs a login: a redirect to the login page, nothing kept
        "/cases/mine",
        "/groups/invitations/not-a-token",
        "/cases/999999999999999999999999",
    ],
)
def test_anonymous_page_views_store_no_session(app, path):
    response, created, _client = _visit(app, path)
    assert response.status_code < 500
    assert created == 0, f"{path} stored a session"
    assert app.config["SESSION_COOKIE_NAME"] not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("path", ["/login", "/register", "/password/forgot"])
def test_a_form_page_stores_the_session_its_csrf_token_needs(app, path):
    """Decided: a page with a form keeps a session for its CSRF token, once per visitor."""
    response, created, client = _visit(app, path)
    assert response.status_code == 200 and 'name="csrf_token"' in response.get_data(as_text=True)
    assert created == 1
    before = stored_sessions(app)
    for again in (path, "/", "/no-such-page", "/static/css/app.css"):
        client.get(again)
    assert stored_sessions(app) == before  # the same session, not a new one per page


def test_the_login_redirect_still_says_why(app):
    """The reason for the redirect is shown by the login page itself (not kept in a session)."""
    client = app.test_client()
    response = client.get("/cases/mine")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Please log in to see this page." in page
    assert "Please log in to see this page." not in client.get("/login").get_data(as_text=True)


def test_signing_in_and_out_still_uses_the_store(app, make_user, login_as, client):
    from conftest import csrf_token

    before = stored_sessions(app)
    login_as(make_user())
    assert stored_sessions(app) == before + 1
    token = csrf_token(client, "/cases/mine")
    client.post("/logout", data={"csrf_token": token}, follow_redirects=True)
    assert stored_sessions(app) == before  # the farewell flash was shown, nothing is kept
