"""Reviews: scoring a case against the group's rubric, release, reconciliation.

Reviews are loaded with ``load_review``, which answers 404 unless the case is visible and the
viewer may read at least the review's feedback, or may choose to (a reviewer still to score the
revision blind); what else a page shows is decided in panel.py.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from supervision.audit.trail import note
from supervision.cases.sections import SECTIONS
from supervision.cases.services import revision_by_number
from supervision.extensions import db
from supervision.models import Annotation, Case, Review
from supervision.permissions import Permission, can, load_case, load_review, require
from supervision.reviews import descriptor_views
from supervision.reviews.blindness import is_blind, read_reviews_anyway
from supervision.reviews.forms import (
    ConsensusForm,
    NoteForm,
    ReviewForm,
    ScoresVisibilityForm,
    json_formdata,
    level_value,
    review_form,
)
from supervision.reviews.panel import (
    case_review_panel,
    citable_annotations,
    citation_choices,
    load_scores,
    review_view,
)
from supervision.reviews.reconcile import ReconcileView, reconcile_view
from supervision.reviews.services import (
    ReviewConflict,
    ReviewError,
    add_reconciliation_note,
    record_consensus,
    release_review,
    save_citations,
    save_review,
    score_citations,
    set_scores_visibility,
    start_review,
    submission_problems,
    submit_review,
)
from supervision.security import is_safe_next

bp = Blueprint("reviews", __name__)
bp.add_url_rule(
    "/account/review-descriptors", view_func=descriptor_views.descriptors, methods=["POST"]
)

CITATIONS_REFUSED = (
    "Some annotations ticked as evidence could not be cited: they are not on this revision of "
    "the case, or you can no longer read them. They were left out; the rest is saved."
)


def _form_for(review: Review, **kwargs: object) -> ReviewForm:
    load_scores(review)  # the scores with their criteria, in one query rather than one each
    return review_form(((s.criterion_key, s.criterion.title) for s in review.scores), **kwargs)


def _stored_data(review: Review) -> dict[str, object]:
    """The form's values for the review as saved."""
    cited = score_citations(review)
    data: dict[str, object] = {
        f"criterion_{s.criterion_key}": {
            "evidence": s.evidence,
            "annotations": [str(a.id) for a in cited.get(s.id, [])],
            "level": level_value(s.level, s.not_visible),
            "comment": s.comment,
        }
        for s in review.scores
    }
    return data | {
        "edit_version": review.edit_version,
        "overall_feedback": review.overall_feedback,
        "private_notes": review.private_notes,
    }


def _render_edit(  # type: ignore[no-untyped-def]
    review: Review, form: ReviewForm, problems: list[str], status: int = 200, saved: bool = False
):
    revision = revision_by_number(review.case, review.revision_number)
    assert revision is not None  # a review always scores an existing revision
    return render_template(
        "reviews/edit.html",
        review=review,
        case=review.case,
        revision=revision,
        sections=[(s.label, getattr(revision, f"{s.key}_html")) for s in SECTIONS],
        criteria=[
            (score.criterion, form.criterion(score.criterion_key)) for score in review.scores
        ],
        scale_labels=review.rubric_version.scale_labels,
        citable=citation_choices(review, citable_annotations(review, current_user)),
        form=form,
        problems=problems,
        draft_saved=saved,
        is_blind=is_blind(review),
        conflict=status == 409,  # the stored draft is shown beside the form as submitted
    ), status


def _chosen_citations(
    review: Review, form: ReviewForm
) -> tuple[dict[str, list[Annotation]], list[str]]:
    """The annotations each criterion cites, of those ticked, and the ticked ids that may not
    be cited (not on this case's reviewed revision, or not readable by the reviewer)."""
    citable = {str(a.id): a for a in citable_annotations(review, current_user)}
    chosen: dict[str, list[Annotation]] = {}
    refused: list[str] = []
    for key, ids in form.cited_ids().items():
        chosen[key] = [citable[i] for i in dict.fromkeys(ids) if i in citable]
        refused.extend(i for i in ids if i not in citable)
    return chosen, list(dict.fromkeys(refused))


def _store(review: Review, form: ReviewForm) -> list[str]:
    """Save the draft's text, levels and citations; the refused annotation ids. Raises
    ReviewError (and nothing is kept) if the draft cannot be saved."""
    chosen, refused = _chosen_citations(review, form)
    save_review(review, form.review_input(), form.edit_version.data)
    save_citations(review, chosen)
    return refused


def _save(review: Review, form: ReviewForm) -> tuple[list[str], int, bool]:
    """Save the draft, then submit it if asked and complete: (problems, status, draft saved).

    A submit with problems still keeps the draft as typed: nothing is lost.
    """
    try:
        refused = _store(review, form)
    except ReviewError as error:
        db.session.rollback()
        return [str(error)], 409 if isinstance(error, ReviewConflict) else 400, False
    if refused:
        flash(CITATIONS_REFUSED, "warning")
    problems = submission_problems(review) if form.submit_review.data else []
    if form.submit_review.data and not problems:
        submit_review(review)
    db.session.commit()
    form.set_edit_version(review.edit_version)
    return problems, 400 if problems else 200, True


@bp.get("/cases/<int:case_id>/reviews/list")
@login_required
def index(case_id: int) -> str:
    case = load_case(case_id)
    return render_template(
        "reviews/index.html", case=case, review_panel=case_review_panel(case, current_user)
    )


@bp.post("/cases/<int:case_id>/reviews")
@login_required
def start(case_id: int) -> Response:
    case = load_case(case_id)
    require(Permission.CASE_REVIEW, case)
    try:
        review = start_review(case, current_user)
    except ReviewError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("cases.show", case_id=case.id))
    db.session.commit()
    if not can(current_user, Permission.REVIEW_EDIT, review):
        flash(f"You have already submitted your review of revision {review.revision_number}.")
        return redirect(url_for("reviews.show", review_id=review.id))
    return redirect(url_for("reviews.edit", review_id=review.id))


@bp.route("/reviews/<int:review_id>/edit", methods=["GET", "POST"])
@login_required
def edit(review_id: int):  # type: ignore[no-untyped-def]
    review = load_review(review_id)
    require(Permission.REVIEW_EDIT, review)
    if request.method == "GET":
        return _render_edit(review, _form_for(review, data=_stored_data(review)), [])
    form = _form_for(review)
    if not form.validate_on_submit():
        return _render_edit(review, form, form.problems(), 400)
    problems, status, saved = _save(review, form)
    if problems:
        return _render_edit(review, form, problems, status, saved)
    if form.submit_review.data:
        flash("Review submitted. Release it when you want the supervisee to read it.", "success")
        return redirect(url_for("reviews.show", review_id=review.id))
    flash("Draft saved.", "success")
    return redirect(url_for("reviews.edit", review_id=review.id))


@bp.post("/reviews/<int:review_id>/autosave")
@login_required
def autosave(review_id: int) -> tuple[Response, int]:
    review = load_review(review_id)
    require(Permission.REVIEW_EDIT, review)
    formdata = json_formdata(request.get_json(silent=True))
    # CSRFProtect has already checked this JSON request's X-CSRFToken header.
    form = _form_for(review, formdata=formdata, meta={"csrf": False})
    if formdata is None or not form.validate():
        problems = form.problems() or ["The draft could not be read."]
        return jsonify(ok=False, conflict=False, error=" ".join(problems)), 400
    try:
        refused = _store(review, form)
    except ReviewError as error:
        db.session.rollback()
        conflict = isinstance(error, ReviewConflict)
        return jsonify(ok=False, conflict=conflict, error=str(error)), 409 if conflict else 400
    db.session.commit()
    saved_at = review.updated_at.isoformat()
    return jsonify(
        ok=True,
        edit_version=review.edit_version,
        saved_at=saved_at,
        warning=CITATIONS_REFUSED if refused else None,
        uncited=refused,  # the page unticks these
    ), 200


@bp.get("/reviews/<int:review_id>")
@login_required
def show(review_id: int) -> str:
    review = load_review(review_id)
    # The review is the case author's feedback: it shows in their "who read my cases" list.
    case = review.case
    note("read", "reviews", review.id, group_id=case.group_id, subject_id=case.author_id)
    return render_template(
        "reviews/show.html",
        case=review.case,
        review=review_view(review, current_user, with_private=True, with_citations=True),
        offers_check_in=can(current_user, Permission.RELATIONSHIP_CHECK, review),
    )


@bp.post("/reviews/<int:review_id>/read-anyway")
@login_required
def read_anyway(review_id: int) -> Response:
    """Read the other reviews of the revision before scoring it: one's review of it is then
    not blind. An explicit choice, made on the page that would otherwise show the review."""
    review = load_review(review_id)
    require(Permission.REVIEW_READ_ANYWAY, review)
    read_reviews_anyway(current_user, review.case, review.revision_number)
    db.session.commit()
    flash(
        f"Your review of revision {review.revision_number} is marked not blind from now on: it "
        "is left out when reviewers' levels are compared.",
        "success",
    )
    return redirect(url_for("reviews.show", review_id=review.id))


@bp.post("/reviews/<int:review_id>/release")
@login_required
def release(review_id: int) -> Response:
    review = load_review(review_id)
    require(Permission.REVIEW_RELEASE, review)
    try:
        release_review(review)
    except ReviewError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash("Released: the supervisee can now read your review.", "success")
    return redirect(url_for("reviews.show", review_id=review.id))


@bp.post("/cases/<int:case_id>/scores-visibility")
@login_required
def scores_visibility(case_id: int) -> Response:
    case = load_case(case_id)
    require(Permission.CASE_SCORES_VISIBILITY, case)
    form = ScoresVisibilityForm()
    if not form.validate_on_submit():
        flash("Choose who sees your scores.", "error")
    else:
        set_scores_visibility(case, form.is_visible)
        db.session.commit()
        flash(
            "The group can now see the scores of released reviews."
            if form.is_visible
            else "Only you, your reviewers and the facilitators see your scores.",
            "success",
        )
    back = form.return_to.data
    return redirect(back if is_safe_next(back) else url_for("cases.show", case_id=case.id))


def _reconcile_post(case: Case, view: ReconcileView, notes: NoteForm, agree: ConsensusForm) -> bool:
    """Post a note or record the consensus, whichever button was pressed. True if done."""
    form = agree if agree.record.data else notes
    if not form.validate_on_submit():
        return False
    where = (case, view.revision_number, view.criterion_key, current_user)
    try:
        if form is agree:
            record_consensus(*where, agree.level_input(), agree.dissent_note.data or "")
        else:
            add_reconciliation_note(*where, notes.body.data or "")
    except ReviewError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return False
    db.session.commit()
    flash("Consensus recorded." if form is agree else "Note posted.", "success")
    return True


@bp.route(
    "/cases/<int:case_id>/reconcile/<int:revision>/<string(maxlength=40):criterion_key>",
    methods=["GET", "POST"],
)
@login_required
def reconcile(case_id: int, revision: int, criterion_key: str):  # type: ignore[no-untyped-def]
    case = load_case(case_id)
    require(Permission.CASE_RECONCILE, case)
    view = reconcile_view(case, current_user, revision, criterion_key)
    if view is None:
        abort(404)  # no discrepancy here that this viewer may see
    notes, agree = NoteForm(), ConsensusForm()
    if request.method == "POST" and _reconcile_post(case, view, notes, agree):
        return redirect(request.path)
    if request.method == "GET" and view.consensus is not None:
        agree.level.data = level_value(view.consensus.level, view.consensus.level is None)
        agree.dissent_note.data = view.consensus.dissent_note
    return render_template(
        "reviews/reconcile.html", case=case, view=view, note_form=notes, consensus_form=agree
    ), (400 if request.method == "POST" else 200)
