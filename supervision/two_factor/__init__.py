"""A second factor for logging in and confirming: TOTP from an authenticator app (pyotp, the
QR code drawn on the server by segno) and single-use recovery codes."""

from supervision.two_factor.views import bp

__all__ = ["bp"]
