"""Setting up, using and turning off the second factor."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from supervision.audit.trail import note, record
from supervision.auth.login_sessions import end_all as end_all_login_sessions
from supervision.auth.sessions import start_session
from supervision.extensions import db, limiter
from supervision.models.user import new_session_token
from supervision.passwords import verify_password
from supervision.two_factor import pending
from supervision.two_factor.forms import ChallengeForm, ConfirmForm, SetupForm, StartSetupForm
from supervision.two_factor.services import (
    SecondFactorError,
    credential_of,
    disable,
    enable,
    has_second_factor,
    is_required_for,
    new_secret,
    provisioning_uri,
    qr_svg,
    recovery_codes_left,
    regenerate_recovery_codes,
    verify,
)

bp = Blueprint("two_factor", __name__)
# Sign forms show the code field only to those who have a second factor.
bp.add_app_template_global(has_second_factor, "has_second_factor")

_SETUP_SECRET = "second_factor_setup_secret"  # noqa: S105 (a session key)
# Pages a person who must set up a second factor may still reach.
_OPEN_WHILE_REQUIRED = {
    "two_factor.settings",
    "two_factor.setup",
    "two_factor.start_setup",
    "auth.logout",
    "auth.change_password",
    "static",
}


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.before_app_request
def require_second_factor() -> Response | None:
    if not current_user.is_authenticated or request.endpoint in _OPEN_WHILE_REQUIRED:
        return None
    if is_required_for(current_user) and not has_second_factor(current_user):
        flash(
            "Your account needs a second factor before you continue. It takes a minute.", "warning"
        )
        return redirect(url_for("two_factor.settings"))
    return None


def _renew_sessions() -> None:
    """A second-factor change ends every other session of this person; this one goes on."""
    user = current_user._get_current_object()
    user.session_token = new_session_token()
    end_all_login_sessions(user)
    db.session.commit()
    start_session(user)


def _confirmed(form: ConfirmForm) -> bool:
    """The password and a current code, each with its own message when wrong."""
    ok = True
    if not verify_password(current_user.password_hash, form.password.data or ""):
        form.password.errors = [*form.password.errors, "That password is not correct."]
        ok = False
    if ok and not verify(current_user, form.code.data or ""):
        form.code.errors = [*form.code.errors, "That code is not right, or was used already."]
        ok = False
    return ok


def _settings_page(off_form: ConfirmForm | None = None, codes_form: ConfirmForm | None = None):  # type: ignore[no-untyped-def]
    credential = credential_of(current_user)
    return render_template(
        "two_factor/settings.html",
        credential=credential,
        required=is_required_for(current_user),
        codes_left=recovery_codes_left(current_user) if credential else 0,
        start_form=StartSetupForm(),
        off_form=off_form or ConfirmForm(prefix="off"),
        codes_form=codes_form or ConfirmForm(prefix="codes"),
    )


@bp.get("/account/two-factor")
@login_required
def settings() -> str:
    return _settings_page()


@bp.post("/account/two-factor/setup")
@login_required
def start_setup() -> Response:
    if StartSetupForm().validate_on_submit():
        session[_SETUP_SECRET] = new_secret()
    return redirect(url_for("two_factor.setup"))


@bp.route("/account/two-factor/new", methods=["GET", "POST"])
@login_required
def setup() -> Response | str:
    if has_second_factor(current_user):
        flash("A second factor is already set up.", "info")
        return redirect(url_for("two_factor.settings"))
    secret = session.get(_SETUP_SECRET)
    if not isinstance(secret, str):
        secret = session[_SETUP_SECRET] = new_secret()
    form = SetupForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.password.data):
            form.password.errors = [*form.password.errors, "That password is not correct."]
        else:
            try:
                codes = enable(current_user, secret, form.code.data)
            except SecondFactorError as error:
                db.session.rollback()
                form.code.errors = [*form.code.errors, str(error)]
            else:
                session.pop(_SETUP_SECRET, None)
                _renew_sessions()
                return _codes_page(codes, first=True)
    uri = provisioning_uri(current_user, secret)
    return render_template(
        "two_factor/setup.html", form=form, qr=qr_svg(uri), secret=secret, uri=uri
    )


def _codes_page(codes: list[str], first: bool) -> Response:
    response = current_app.make_response(
        render_template("two_factor/recovery_codes.html", codes=codes, first=first)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/account/two-factor/recovery-codes")
@login_required
def new_recovery_codes() -> Response | str:
    form = ConfirmForm(prefix="codes")
    if not credential_of(current_user):
        return redirect(url_for("two_factor.settings"))
    if form.validate_on_submit() and _confirmed(form):
        codes = regenerate_recovery_codes(current_user)
        db.session.commit()
        return _codes_page(codes, first=False)
    db.session.commit()  # a recovery code used to confirm is spent even if the password was wrong
    return _settings_page(codes_form=form), 400  # type: ignore[return-value]


@bp.post("/account/two-factor/off")
@login_required
def turn_off() -> Response | str:
    form = ConfirmForm(prefix="off")
    if not credential_of(current_user):
        return redirect(url_for("two_factor.settings"))
    if form.validate_on_submit() and _confirmed(form):
        disable(current_user)
        _renew_sessions()
        flash("The second factor is off. Other sessions were logged out.", "success")
        return redirect(url_for("two_factor.settings"))
    db.session.commit()
    return _settings_page(off_form=form), 400  # type: ignore[return-value]


@bp.route("/login/second-factor", methods=["GET", "POST"])
@limiter.limit(_login_limit, exempt_when=lambda: request.method != "POST")
def challenge() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    waiting = pending.current()
    if waiting is None:
        flash("Log in again: the code was not entered in time, or too many were tried.", "info")
        return redirect(url_for("auth.login"))
    form = ChallengeForm()
    if form.validate_on_submit():
        user = waiting.user
        if verify(user, form.code.data):
            db.session.commit()
            pending.forget()
            detail = {"via": "second_factor"}
            record("login", "users", user.id, subject_id=user.id, actor=user.id, detail=detail)
            start_session(user)
            if waiting.user.must_change_password:
                flash("Choose your own password before you continue.", "warning")
                return redirect(url_for("auth.change_password"))
            return redirect(waiting.next_url)
        note("second_factor_failed", "users", user.id, subject_id=user.id)
        db.session.commit()
        left = pending.count_failure()
        if left <= 0:
            pending.forget()
            flash("Too many codes were tried. Log in again.", "error")
            return redirect(url_for("auth.login"))
        form.code.errors = [
            *form.code.errors,
            f"That code is not right, or was used already. {left} tries left.",
        ]
    return render_template("two_factor/challenge.html", form=form)
