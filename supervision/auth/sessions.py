"""Starting and ending a signed-in session (Flask-Login plus the server-side session)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from supervision.extensions import db, login_manager
from supervision.models import User
from supervision.models.types import utcnow

# Pages a user who must change their password may still reach.
_OPEN_WHILE_CHANGING = {"auth.change_password", "auth.logout", "static"}


@login_manager.user_loader
def load_user(identity: str) -> User | None:
    user_id, _, token = identity.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    # A changed password or a disabled account ends every session that used the old token.
    if user is None or user.is_disabled or user.session_token != token:
        return None
    return user


def start_session(user: User) -> None:
    """Sign in with a fresh session id, so a session id known before login is worthless."""
    login_user(user)
    current_app.session_interface.regenerate(session)  # type: ignore[attr-defined]
    session["login_at"] = utcnow().isoformat()


def end_session() -> None:
    logout_user()
    session.clear()


def login_reason() -> str | None:
    """What the login page says when a protected page sent the visitor there."""
    if request.method != "GET" or not request.args.get("next") or session.get("_flashes"):
        return None  # a flash (the session ended) already says why
    return "Please log in to see this page."


def _enforce_session_rules() -> Response | None:
    if not current_user.is_authenticated:
        return None
    login_at = session.get("login_at")
    limit = timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    if login_at is None or datetime.fromisoformat(login_at) + limit <= utcnow():
        end_session()
        flash("Your session has ended. Please log in again.", "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if current_user.must_change_password and request.endpoint not in _OPEN_WHILE_CHANGING:
        flash("Choose a new password before you continue.", "warning")
        return redirect(url_for("auth.change_password"))
    return None


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # The login page says why (login_reason): a flash here would store a session for every
    # anonymous request to a protected page, crawlers' included.
    login_manager.login_message = None
    login_manager.session_protection = None  # the server-side session carries the protection
    app.before_request(_enforce_session_rules)
