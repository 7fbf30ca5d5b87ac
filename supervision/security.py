"""HTTP hardening: security headers on every response and the `?next=` check."""

from __future__ import annotations

from flask import Flask, Response, g, request, session
from flask_wtf.csrf import generate_csrf

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


def is_safe_next(target: str | None) -> bool:
    """Accept only a local path: one leading slash, no backslash, no control characters."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target:
        return False
    return all(ord(ch) >= 0x20 and ord(ch) != 0x7F for ch in target)


def _add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Case material must not linger in shared browser caches. Whether someone is signed in is
    # read off the session, not the user: after a view commits, asking the user would load
    # the expired row again, one statement on every write.
    if request.endpoint != "static" and session.get("_user_id"):
        headers["Cache-Control"] = "no-store"
    return response


def csrf_token() -> str:
    """The request's CSRF token for templates. Flask-WTF's ``generate_csrf`` keeps one token per
    request in ``g`` but reads two settings on every call, and a list with a form per row calls
    it dozens of times; this returns the kept token and asks Flask-WTF only for the first."""
    return g.get("csrf_token") or generate_csrf()


def _csrf_context() -> dict[str, object]:
    return {"csrf_token": csrf_token}


def init_security(app: Flask) -> None:
    app.after_request(_add_security_headers)
    app.jinja_env.globals["csrf_token"] = csrf_token
    # Flask-WTF also puts its own in every template context, which outranks a global: this
    # processor, registered after it, puts ours back.
    app.context_processor(_csrf_context)
