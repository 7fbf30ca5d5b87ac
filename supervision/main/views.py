"""The landing page (a dashboard once signed in) and the error pages."""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import Blueprint, Flask, render_template
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from supervision.extensions import db
from supervision.groups.views import group_cards
from supervision.rubrics.services import default_rubric_data

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> str:
    groups = group_cards(current_user) if current_user.is_authenticated else []
    criteria = [criterion.title for criterion in default_rubric_criteria()]
    return render_template("main/index.html", groups=groups, criteria=criteria)


@cache
def default_rubric_criteria() -> tuple[Any, ...]:
    """The built-in rubric's criteria, as shipped (read once: the file does not change)."""
    return tuple(default_rubric_data().criteria)


ERROR_TEXT = {
    400: ("Something in that request was not right", "Go back, check the form and try again."),
    403: ("You cannot do that here", "Your role in this group does not allow this action."),
    404: ("Page not found", "It may have moved, or it is not shared with you."),
    405: ("Not allowed", "That page cannot be used this way."),
    413: ("That was too large", "Shorten the text or split it, then try again."),
    429: ("Slow down a little", "Too many attempts in a short time. Wait a minute, then retry."),
    500: ("Something went wrong on our side", "Nothing you did caused this. Try again shortly."),
}


def render_error(error: HTTPException | Exception) -> tuple[str, int]:
    code = error.code if isinstance(error, HTTPException) and error.code else 500
    if code >= 500:
        db.session.rollback()
    title, message = ERROR_TEXT.get(code, (getattr(error, "name", "Error"), ""))
    return render_template("errors/error.html", code=code, title=title, message=message), code


def init_error_pages(app: Flask) -> None:
    # Unhandled exceptions reach this as InternalServerError (tests let them propagate).
    app.register_error_handler(HTTPException, render_error)
