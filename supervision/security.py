"""HTTP hardening: security headers on every response and the `?next=` check."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

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
    # Case material must not linger in shared browser caches.
    if request.endpoint != "static" and current_user and current_user.is_authenticated:
        headers["Cache-Control"] = "no-store"
    return response


def init_security(app: Flask) -> None:
    app.after_request(_add_security_headers)
