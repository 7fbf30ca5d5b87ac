"""Starting and ending a signed-in session (Flask-Login plus the server-side session)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from supervision.auth.login_sessions import (
    check_and_touch,
    end_by_key,
    record_login,
    user_with_login,
)
from supervision.extensions import db, login_manager
from supervision.models import User
from supervision.models.types import utcnow

# Pages a user who must change their password may still reach.
_OPEN_WHILE_CHANGING = {"auth.change_password", "auth.logout", "static"}

# What an emailed link's token opened is held here, server-side, so later URLs carry no secret.
_RESET_LINK = "reset_link_id"
_SIGNUP_EMAIL = "signup_email"
LOGIN_KEY = "login_key"

View = TypeVar("View", bound=Callable[..., object])


def secret_in_path(view: View) -> View:
    """Mark a view whose URL carries a token: it is never put into a ``?next=`` query string."""
    view.secret_in_path = True  # type: ignore[attr-defined]
    return view


def _request_has_secret_in_path() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "secret_in_path", False))


def hold_reset_link(record_id: int) -> None:
    session[_RESET_LINK] = record_id


def held_reset_link() -> int | None:
    value = session.get(_RESET_LINK)
    return value if isinstance(value, int) else None


def forget_reset_link() -> None:
    session.pop(_RESET_LINK, None)


def suggest_signup_email(email: str) -> None:
    """Prefill registration with this address (an invitation's), without putting it in a URL."""
    session[_SIGNUP_EMAIL] = email


def suggested_signup_email() -> str | None:
    value = session.get(_SIGNUP_EMAIL)
    return value if isinstance(value, str) else None


def forget_signup_email() -> None:
    session.pop(_SIGNUP_EMAIL, None)


@login_manager.user_loader
def load_user(identity: str) -> User | None:
    user_id, _, token = identity.partition(":")
    if not user_id.isdigit():
        return None
    user = user_with_login(int(user_id), session.get(LOGIN_KEY))
    # A changed password or a disabled account ends every session that used the old token.
    if user is None or user.is_disabled or user.session_token != token:
        return None
    return user


def start_session(user: User) -> None:
    """Sign in with a fresh session id, so a session id known before login is worthless."""
    login_user(user)
    current_app.session_interface.regenerate(session)  # type: ignore[attr-defined]
    session["login_at"] = utcnow().isoformat()
    session[LOGIN_KEY] = record_login(user)  # what Account → Sessions lists and can end


def end_session() -> None:
    end_by_key(session.get(LOGIN_KEY))
    db.session.commit()
    logout_user()
    session.clear()


def signed_in_user() -> User:
    """The signed-in user itself, not the ``current_user`` proxy (behind ``login_required``):
    for views that hand it to code reading its attributes hundreds of times, as a list page's
    permission checks do; each read through the proxy looks the request context up again."""
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def current_login_key() -> object:
    return session.get(LOGIN_KEY)


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
        if _request_has_secret_in_path():
            return None  # such links work signed out; a ?next= would write the token to logs
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if not check_and_touch(current_user.id, session.get(LOGIN_KEY)):
        end_session()
        flash("This session was ended. Please log in again.", "info")
        if _request_has_secret_in_path():
            return None
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
