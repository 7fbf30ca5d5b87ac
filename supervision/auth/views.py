"""Accounts: register, log in and out, change and reset passwords."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from supervision.audit.trail import record
from supervision.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from supervision.auth.login_sessions import (
    absolute_limit,
    active_sessions,
    end_all,
    end_one,
    idle_limit,
)
from supervision.auth.services import (
    RESET_LINK_ENDED,
    AccountError,
    authenticate,
    change_email,
    change_password,
    register_user,
    request_password_reset,
    reset_password,
    usable_reset,
    usable_reset_token,
)
from supervision.auth.sessions import (
    current_login_key,
    end_session,
    forget_reset_link,
    forget_signup_email,
    held_reset_link,
    hold_reset_link,
    login_reason,
    secret_in_path,
    start_session,
    suggested_signup_email,
)
from supervision.demo.accounts import demo_accounts
from supervision.extensions import db, limiter
from supervision.models import User
from supervision.security import is_safe_next
from supervision.two_factor import pending as pending_second_factor
from supervision.two_factor.services import has_second_factor

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _reset_limit() -> str:
    return current_app.config["RESET_RATE_LIMIT"]


def _only_post() -> bool:
    return request.method != "POST"


def _next_url() -> str:
    target = request.args.get("next")
    return target if is_safe_next(target) else url_for("main.index")


def _show_error(form, error: AccountError) -> None:  # type: ignore[no-untyped-def]
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        flash(str(error), "error")


def _record_login(user: User, via: str) -> None:
    """The login entry commits with the login's session row (``start_session``)."""
    record("login", "users", user.id, subject_id=user.id, actor=user.id, detail={"via": via})


@bp.route("/register", methods=["GET", "POST"])
def register() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if request.method == "GET":
        form.email.data = suggested_signup_email()  # an opened invitation's address, if any
    if form.validate_on_submit():
        try:
            user = register_user(form.email.data, form.display_name.data, form.password.data)
        except AccountError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            db.session.commit()
            forget_signup_email()
            _record_login(user, "register")
            start_session(user)
            flash("Welcome to Attune. Your account is ready.", "success")
            return redirect(_next_url())
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, exempt_when=_only_post)
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(_next_url())
    form = LoginForm()
    if reason := login_reason():
        flash(reason, "info")  # kept with the CSRF token this page stores anyway
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            flash("That email and password do not match an account.", "error")
        elif has_second_factor(user):
            db.session.commit()
            # Not signed in yet: the code comes first, on a page of its own.
            pending_second_factor.begin(user, _next_url())
            return redirect(url_for("two_factor.challenge"))
        else:
            db.session.commit()
            _record_login(user, "password")
            start_session(user)
            if user.must_change_password:
                flash("Choose your own password before you continue.", "warning")
                return redirect(url_for("auth.change_password"))
            return redirect(_next_url())
    return render_template("auth/login.html", form=form, demo_accounts=demo_accounts())


@bp.post("/logout")
def logout() -> Response:
    if current_user.is_authenticated:
        record("logout", "users", current_user.id, subject_id=current_user.id)
    end_session()
    flash("You are logged out.", "info")
    return redirect(url_for("main.index"))


@bp.route("/account/password", methods=["GET", "POST"], endpoint="change_password")
@login_required
def change_password_view() -> Response | str:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(
                current_user, form.current_password.data, form.password.data, form.code.data
            )
        except AccountError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            db.session.commit()
            # The new token must be in this session too; pass the user, not the proxy.
            start_session(current_user._get_current_object())
            flash("Your password is changed. Other sessions were logged out.", "success")
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/account/email", methods=["GET", "POST"], endpoint="change_email")
@login_required
def change_email_view() -> Response | str:
    form = ChangeEmailForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            old = change_email(user, form.email.data, form.password.data, form.code.data)
        except AccountError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            db.session.commit()
            start_session(user)  # this browser goes on; every other session ended
            flash(
                f"Your email address is now {user.email}. A notice went to {old}, and "
                "other sessions were logged out.",
                "success",
            )
            return redirect(url_for("auth.change_password"))
    return render_template("auth/change_email.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_limit, exempt_when=_only_post)
def forgot_password() -> Response | str:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        request_password_reset(form.email.data)
        db.session.commit()
        flash(
            "If an account uses that address, a reset link is on its way. "
            "It works once, within an hour.",
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.get("/password/reset/<token>", endpoint="reset_link")
@secret_in_path
def reset_link(token: str) -> Response:
    """The emailed link: hold the link in the session and move to a URL without the token."""
    record = usable_reset_token(token)
    if record is None:
        forget_reset_link()
        flash(RESET_LINK_ENDED, "error")
        return redirect(url_for("auth.forgot_password"))
    hold_reset_link(record.id)
    return redirect(url_for("auth.reset_password"), 303)


@bp.route("/password/reset", methods=["GET", "POST"], endpoint="reset_password")
@limiter.limit(_reset_limit, exempt_when=_only_post)
def reset_password_view() -> Response | str:
    held = held_reset_link()
    record = usable_reset(held)
    if record is None:
        forget_reset_link()
        if held is None:
            flash("To choose a new password, open the link in your reset email.", "info")
        else:
            flash(RESET_LINK_ENDED, "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset_password(record, form.password.data)
        except AccountError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            db.session.commit()
            forget_reset_link()
            flash("Your password is reset. Log in with the new one.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.get("/account/sessions", endpoint="sessions")
@login_required
def sessions_view() -> str:
    return render_template(
        "auth/sessions.html",
        sessions=active_sessions(current_user, current_login_key()),
        idle_minutes=int(idle_limit().total_seconds() // 60),
        absolute_hours=int(absolute_limit().total_seconds() // 3600),
    )


@bp.post("/account/sessions/<int:session_id>/end", endpoint="end_one_session")
@login_required
def end_one_session(session_id: int) -> Response:
    if not end_one(current_user, session_id):
        db.session.rollback()  # nothing changed; free the write lock before the 404 page
        abort(404)  # not one's own, or already ended: nothing to say about it
    record("session_ended", "login_sessions", session_id, subject_id=current_user.id)
    db.session.commit()
    flash("That session is ended.", "success")
    return redirect(url_for("auth.sessions"))


@bp.post("/account/sessions/end-others", endpoint="end_other_sessions")
@login_required
def end_other_sessions() -> Response:
    ended = end_all(current_user, except_key=current_login_key())
    record(
        "sessions_ended",
        "users",
        current_user.id,
        subject_id=current_user.id,
        detail={"count": ended},
    )
    db.session.commit()
    flash(
        f"{ended} other session{'s' if ended != 1 else ''} ended."
        if ended
        else "No other session was open.",
        "success",
    )
    return redirect(url_for("auth.sessions"))
