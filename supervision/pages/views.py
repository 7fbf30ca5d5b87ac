"""Routes of the pages that compose several features."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.blueprints import BlueprintSetupState
from flask_login import current_user, login_required

from supervision.annotations.panel import annotation_panel
from supervision.audit.trail import read
from supervision.auth.sessions import signed_in_user
from supervision.cases.services import revision_to_read
from supervision.extensions import db
from supervision.models import Case, CaseRevision
from supervision.pages.case_page import case_page_context
from supervision.permissions import load_case
from supervision.routing import arg_int
from supervision.rubrics.services import ensure_builtin_rubric

bp = Blueprint("pages", __name__)


def _case_and_revision(case_id: int) -> tuple[Case, CaseRevision]:
    # The built-in rubric is made on first use; commit it before loading, not after, so the
    # commit does not expire (and reload, one by one) everything the page has read.
    if ensure_builtin_rubric():
        db.session.commit()
    case = load_case(case_id)
    is_author = case.author_id == current_user.id
    revision = revision_to_read(case, arg_int("revision"), is_author)
    if revision is None:
        abort(404)
    read(case, detail={"revision": revision.number})
    return case, revision


@login_required
def case_page(case_id: int) -> str:
    """?revision=, and for the annotation list ?after= (an annotation id: the chunk past it) or
    ?annotation= (the chunk holding it, where a link to one annotation lands)."""
    case, revision = _case_and_revision(case_id)
    context = case_page_context(
        case, revision, signed_in_user(), after=arg_int("after"), focus=arg_int("annotation")
    )
    return render_template("cases/show.html", **context)


@bp.get("/cases/<int:case_id>/annotations/more")
@login_required
def case_annotations(case_id: int) -> str:
    """The next chunk of the case page's annotation list (?revision=, ?after=), as an HTML
    fragment for static/js/more.js; the same checks as the case page."""
    case, revision = _case_and_revision(case_id)
    panel = annotation_panel(case, revision, signed_in_user(), after=arg_int("after"))
    return render_template("annotations/_chunk.html", annotation_panel=panel)


@bp.record_once
def _add_case_page(state: BlueprintSetupState) -> None:
    # The case page keeps its URL and its endpoint, cases.show, which every feature links to;
    # it is defined up here so that cases never imports the panels of the features above it.
    state.app.add_url_rule("/cases/<int:case_id>", endpoint="cases.show", view_func=case_page)
