"""Annotations: the JSON endpoint the case page's script uses, and plain forms for the rest.

Every route loads its object first (404 for what the viewer may not see), then requires its
permission (403), then validates, then calls a service and commits once.

    POST /cases/<id>/annotations            CASE_ANNOTATE      JSON in, 201 + the annotation
    GET|POST /cases/<id>/annotations/new    CASE_ANNOTATE      form: quote the words (no script)
    POST /annotations/<id>/replies          ANNOTATION_REPLY   form
    POST /annotations/<id>/response         ANNOTATION_RESPOND form (the case author's answer)
    GET|POST /annotations/<id>/edit         ANNOTATION_EDIT    form
    POST /annotations/<id>/delete           ANNOTATION_EDIT    form
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from supervision.annotations import services
from supervision.annotations.anchoring import find_passage
from supervision.annotations.forms import (
    CreateAnnotationForm,
    EditAnnotationForm,
    QuoteAnnotationForm,
    ReplyForm,
    ResponseForm,
    criterion_choices,
    json_formdata,
)
from supervision.annotations.services import AnnotationConflict, AnnotationError
from supervision.cases.sections import SECTION_LABELS
from supervision.cases.services import revision_to_read
from supervision.extensions import db
from supervision.main.views import render_error
from supervision.models import Annotation, AnnotationVisibility, Case, ResponseKind
from supervision.permissions import Permission, load_annotation, load_case, require
from supervision.routing import arg_int
from supervision.rubrics.services import ensure_builtin_rubric, group_rubric_version

bp = Blueprint("annotations", __name__)

JSON_ENDPOINTS = frozenset({"annotations.create"})
_SELECTION_FIELDS = ("revision", "section", "start", "end")
_JSON_ERRORS = {
    400: "The request could not be read. Reload the page and try again.",
    403: "You cannot annotate this case.",
    404: "This case is not available to you.",
}


@bp.errorhandler(HTTPException)
def _error(error: HTTPException):  # type: ignore[no-untyped-def]
    """The script gets JSON errors it can show; the plain pages keep the usual error page."""
    if request.endpoint not in JSON_ENDPOINTS:
        return render_error(error)
    code = error.code or 500
    if isinstance(error, CSRFError):
        message = "Your session's security token is missing or expired. Reload the page."
    else:
        message = _JSON_ERRORS.get(code, "Something went wrong. Try again shortly.")
    return jsonify(ok=False, error=message), code


def _criteria(case: Case) -> list[tuple[str, str]]:
    # The built-in rubric is created on first use (as in rubrics.index): keep it, and leave no
    # write open while the request goes on (SQLite would lock the session store out). Nothing
    # is committed when it exists already, so nothing loaded so far is expired.
    if ensure_builtin_rubric():
        db.session.commit()
    return [(c.key, c.title) for c in group_rubric_version(case.group).criteria]


def _case_page(annotation: Annotation) -> str:
    """Back to the annotation on the case page, on the revision the viewer was reading."""
    number = arg_int("revision")
    return url_for(
        "cases.show",
        case_id=annotation.case_id,
        revision=number if number and number > 0 else None,
        annotation=annotation.id,  # the list's chunk that holds it
        _anchor=f"annotation-{annotation.id}",
    )


def annotation_json(annotation: Annotation) -> dict[str, object]:
    created = services.anchor_for(annotation, annotation.revision_number)
    return {
        "id": annotation.id,
        "case_id": annotation.case_id,
        "revision": annotation.revision_number,
        "section": annotation.section,
        "start": created.start if created else None,
        "end": created.end if created else None,
        "exact": annotation.original_exact,
        "body": annotation.body,
        "body_html": annotation.body_html,
        "criterion_key": annotation.criterion_key,
        "visibility": annotation.visibility.value,
        "author": annotation.author.display_name,
        "created_at": annotation.created_at.isoformat(),
        "url": url_for(
            "cases.show",
            case_id=annotation.case_id,
            revision=annotation.revision_number,
            _anchor=f"annotation-{annotation.id}",
        ),
    }


def _problems(form: CreateAnnotationForm) -> str:
    messages: list[str] = []
    for name, errors in form.errors.items():
        if name in _SELECTION_FIELDS:
            errors = ["The selection could not be read. Reload the page and select it again."]
        messages.extend(e for e in errors if isinstance(e, str) and e not in messages)
    return " ".join(messages) or "The annotation could not be read."


@bp.post("/cases/<int:case_id>/annotations")
@login_required
def create(case_id: int) -> tuple[Response, int]:
    case = load_case(case_id)
    require(Permission.CASE_ANNOTATE, case)
    # CSRFProtect has already checked this JSON request's X-CSRFToken header.
    payload = request.get_json(silent=True)
    defaults = {"criterion_key": "", "visibility": services.default_visibility(case).value}
    formdata = json_formdata({**defaults, **payload} if isinstance(payload, dict) else None)
    form = CreateAnnotationForm(formdata=formdata, meta={"csrf": False})
    form.criterion_key.choices = criterion_choices(_criteria(case))
    if formdata is None or not form.validate():
        return jsonify(ok=False, error=_problems(form)), 400
    try:
        annotation = services.create_annotation(
            case,
            current_user,
            form.revision.data,
            form.section.data,
            form.start.data,
            form.end.data,
            form.exact.data,
            form.body.data,
            criterion_key=form.criterion_key.data or None,
            visibility=AnnotationVisibility(form.visibility.data),
        )
    except AnnotationError as error:
        db.session.rollback()
        return jsonify(ok=False, error=str(error)), 400
    db.session.commit()
    return jsonify(ok=True, annotation=annotation_json(annotation)), 201


@bp.route("/cases/<int:case_id>/annotations/new", methods=["GET", "POST"])
@login_required
def new(case_id: int):  # type: ignore[no-untyped-def]
    """The same annotation as a selection makes, from the section and the words quoted."""
    case = load_case(case_id)
    require(Permission.CASE_ANNOTATE, case)
    # Annotators never wrote the case: they read (and quote) shared revisions only.
    revision = revision_to_read(case, arg_int("revision"), is_author=False)
    if revision is None:
        abort(404)
    form = QuoteAnnotationForm(
        data={"visibility": services.default_visibility(case).value}
        if request.method == "GET"
        else None
    )
    form.criterion_key.choices = criterion_choices(_criteria(case))
    if form.validate_on_submit():
        section = form.section.data
        text = services.section_texts(revision)[section]
        places = find_passage(text, form.passage.data)
        if len(places) == 1:
            start, end = places[0]
            try:
                annotation = services.create_annotation(
                    case,
                    current_user,
                    revision.number,
                    section,
                    start,
                    end,
                    text[start:end],
                    form.body.data,
                    criterion_key=form.criterion_key.data or None,
                    visibility=AnnotationVisibility(form.visibility.data),
                )
            except AnnotationError as error:
                db.session.rollback()
                form.passage.errors = [str(error)]
            else:
                db.session.commit()
                flash("Annotation saved.", "success")
                return redirect(_case_page(annotation))
        else:
            label = SECTION_LABELS[section]
            form.passage.errors = [
                f"These words are not in “{label}”. Copy them from the case exactly."
                if not places
                else f"These words occur {len(places)} times in “{label}”. Add a few words "
                "before or after them so they point to one place."
            ]
    page = render_template("annotations/new.html", case=case, revision=revision, form=form)
    return page, 400 if form.is_submitted() else 200


@bp.post("/annotations/<int:annotation_id>/replies")
@login_required
def reply(annotation_id: int):  # type: ignore[no-untyped-def]
    annotation = load_annotation(annotation_id)
    require(Permission.ANNOTATION_REPLY, annotation)
    form = ReplyForm()
    if not form.validate_on_submit():
        # A page of its own, so that what was typed is not lost.
        page = render_template("annotations/reply.html", annotation=annotation, form=form)
        return page, 400
    try:
        services.reply(annotation, current_user, form.body.data)
    except AnnotationError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash("Reply posted.", "success")
    return redirect(_case_page(annotation))


@bp.post("/annotations/<int:annotation_id>/response")
@login_required
def respond(annotation_id: int) -> Response:
    annotation = load_annotation(annotation_id)
    require(Permission.ANNOTATION_RESPOND, annotation)
    form = ResponseForm()
    if form.validate_on_submit():
        kind = ResponseKind(form.kind.data)
        services.respond(annotation, current_user, kind)
        db.session.commit()
        flash(f"Answer recorded: {kind.label}.", "success")
    else:
        flash("Choose an answer: acknowledged, question, disagree or addressed.", "error")
    return redirect(_case_page(annotation))


@bp.route("/annotations/<int:annotation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(annotation_id: int):  # type: ignore[no-untyped-def]
    annotation = load_annotation(annotation_id)
    require(Permission.ANNOTATION_EDIT, annotation)
    stored = {
        "body": annotation.body,
        "criterion_key": annotation.criterion_key or "",
        "visibility": annotation.visibility.value,
        "edit_version": annotation.edit_version,
    }
    form = EditAnnotationForm(data=stored if request.method == "GET" else None)
    form.criterion_key.choices = criterion_choices(
        _criteria(annotation.case), keep=annotation.criterion_key
    )
    status = 400
    if form.validate_on_submit():
        try:
            services.update_annotation(
                annotation,
                form.body.data,
                form.criterion_key.data or None,
                AnnotationVisibility(form.visibility.data),
                edit_version=form.edit_version.data,
            )
        except AnnotationError as error:
            db.session.rollback()
            form.body.errors = [*form.body.errors, str(error)]
            status = 409 if isinstance(error, AnnotationConflict) else 400
        else:
            db.session.commit()
            flash("Annotation updated.", "success")
            return redirect(_case_page(annotation))
    cited = len(services.citations(annotation.case).get(annotation.id, []))
    page = render_template(
        "annotations/edit.html",
        annotation=annotation,
        form=form,
        cited=cited,
        revision=arg_int("revision"),
        conflict=status == 409,
    )
    return page, status if form.is_submitted() else 200


@bp.post("/annotations/<int:annotation_id>/delete")
@login_required
def delete(annotation_id: int) -> Response:
    annotation = load_annotation(annotation_id)
    require(Permission.ANNOTATION_EDIT, annotation)
    back = url_for("cases.show", case_id=annotation.case_id, revision=arg_int("revision"))
    services.delete_annotation(annotation)
    db.session.commit()
    flash("Annotation deleted.", "success")
    return redirect(back + "#annotations")
