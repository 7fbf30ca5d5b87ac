"""Security headers on every response, error pages included; limits; no tracebacks."""

from __future__ import annotations

import pytest
from flask import render_template_string

from supervision.security import is_safe_next


@pytest.mark.parametrize("path", ["/", "/login", "/no-such-page", "/static/css/app.css"])
def test_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_authenticated_pages_are_not_cached(client, make_user, login_as):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    login_as(make_user())
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get("/groups/").headers["Cache-Control"] == "no-store"


def test_not_found_page_is_friendly(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_request_size_is_limited(client):
    response = client.post("/login", data={"email": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413


def test_server_error_page_has_no_traceback(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def explode() -> str:
        raise RuntimeError("secret internal detail")

    monkeypatch.setitem(app.view_functions, "main.index", explode)
    response = client.get("/")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internal detail" not in body and "Traceback" not in body
    assert "Something went wrong on our side" in body
    assert "Content-Security-Policy" in response.headers


def test_no_inline_scripts_or_styles_in_pages(client):
    import re

    page = client.get("/login").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert " style=" not in page
    assert not re.search(r"\son[a-z]+=", page)
    assert "http://" not in page.replace("http://localhost", "")


@pytest.mark.parametrize(
    ("target", "ok"),
    [
        ("/groups/", True),
        ("/groups/1?x=y", True),
        ("//evil.com", False),
        ("/\\evil.com", False),
        ("https:\\\\evil.com", False),
        ("https://evil.com", False),
        ("/ok\r\nSet-Cookie:x", False),
        ("", False),
        (None, False),
    ],
)
def test_is_safe_next(target, ok):
    assert is_safe_next(target) is ok


def test_nul_characters_never_reach_views(app):
    """PostgreSQL refuses NUL in text; the request strips it from every parameter source."""
    from flask import request

    with app.test_request_context(
        "/anything?q=a%00b", method="POST", data={"title\x00": "c\x00d", "other": "plain"}
    ):
        assert request.args["q"] == "ab"
        assert request.form["title"] == "cd" and request.form["other"] == "plain"
    with app.test_request_context(
        "/anything",
        method="POST",
        json={"notes": ["e\x00f", {"g\x00": "h\x00"}], "n": 3, "t\x00": "u\x00"},
    ):
        # Read as a submitted form's fields (requests.as_form_fields): text, numbers as text,
        # nested values left out; NUL gone from keys and values alike.
        assert request.get_json() == {"notes": ["ef"], "n": "3", "t": "u"}
        assert request.json == {"notes": ["ef"], "n": "3", "t": "u"}


@pytest.mark.parametrize(
    "path",
    [
        "/password/reset/abc%00def",
        "/groups/invitations/abc%00def",
        "/cases/1/reconcile/1/pac%00ing",
        "/static/css/app%00.css",
    ],
)
def test_a_nul_in_the_path_is_not_found(client, make_user, login_as, path):
    login_as(make_user())
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("junk", ["abc\x00def", "x" * 400, "'; drop table users; --"])
def test_a_junk_session_cookie_starts_a_fresh_session(app, client, junk):
    name = app.config["SESSION_COOKIE_NAME"]
    client.set_cookie(name, junk)
    response = client.get("/login")
    assert response.status_code == 200
    assert client.get_cookie(name).value != junk  # a fresh id was handed out


def test_templates_reuse_the_request_csrf_token(app, monkeypatch):
    """Every ``csrf_token()`` in a template is the request's one token, made once (a page
    with a form per row must not re-sign it dozens of times)."""
    import flask_wtf.csrf

    from supervision import security

    made: list[str] = []
    real = flask_wtf.csrf.generate_csrf

    def counted() -> str:
        made.append("once")
        return real()

    monkeypatch.setattr(security, "generate_csrf", counted)
    with app.test_request_context("/"):
        html = render_template_string("{% for i in range(30) %}{{ csrf_token() }} {% endfor %}")
    tokens = set(html.split())
    assert len(tokens) == 1 and len(made) == 1
