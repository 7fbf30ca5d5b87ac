"""Annotations: create, follow the text into new revisions, reply, answer, cite, redact.

Services flush and never commit. Offsets count characters of a section's plain text, which is
exactly the browser's ``textContent`` of the rendered section (``html_text_content``).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import joinedload, selectinload

from supervision.annotations import anchoring
from supervision.cases.gate import register_share_hook
from supervision.cases.privacy import REDACTED, register_redaction_hook
from supervision.cases.sections import SECTION_KEYS
from supervision.cases.services import register_revision_hook, revision_by_number
from supervision.extensions import db
from supervision.models import (
    AnchorStatus,
    Annotation,
    AnnotationAnchor,
    AnnotationReply,
    AnnotationResponse,
    AnnotationVisibility,
    Case,
    CaseRevision,
    GroupKind,
    ResponseKind,
    Review,
    ReviewScore,
    ScoreEvidence,
    User,
)
from supervision.models.annotation import ANNOTATION_BODY_MAX, CONTEXT_CHARS, QUOTE_MAX
from supervision.models.types import utcnow
from supervision.models.versioning import claim_edit_version
from supervision.notifications.events import (
    notify_annotation_answered,
    notify_annotation_reply,
    notify_annotations_to_rereview,
)
from supervision.rendering import html_text_content, render_markdown


class AnnotationError(ValueError):
    """A rule about annotations was broken; the message is safe to show to the user."""


def default_visibility(case: Case) -> AnnotationVisibility:
    """Supervision: feedback is for the supervisee. Peer consultation: for the whole group."""
    if case.group.kind is GroupKind.PEER:
        return AnnotationVisibility.GROUP
    return AnnotationVisibility.SUPERVISEE


def section_texts(revision: CaseRevision) -> dict[str, str]:
    return {key: html_text_content(getattr(revision, f"{key}_html") or "") for key in SECTION_KEYS}


def _body(body: str) -> tuple[str, str]:
    body = body.strip()
    if not body:
        raise AnnotationError("Write a comment for the passage.")
    if len(body) > ANNOTATION_BODY_MAX:
        raise AnnotationError(f"Keep the comment under {ANNOTATION_BODY_MAX:,} characters.")
    return body, render_markdown(body)


def create_annotation(
    case: Case,
    user: User,
    revision_number: int,
    section: str,
    start: int,
    end: int,
    exact: str,
    body: str,
    criterion_key: str | None = None,
    visibility: AnnotationVisibility | None = None,
) -> Annotation:
    revision = revision_by_number(case, revision_number)
    if revision is None or revision.cleared_at is None:
        raise AnnotationError("That revision is not shared; reload the page.")
    if section not in SECTION_KEYS:
        raise AnnotationError("Choose text inside one section of the case.")
    text = section_texts(revision)[section]
    if not (0 <= start < end <= len(text)) or text[start:end] != exact:
        raise AnnotationError("The selected text does not match the case; reload and try again.")
    if end - start > QUOTE_MAX:
        raise AnnotationError(f"Select at most {QUOTE_MAX:,} characters.")
    source, html = _body(body)
    selector = anchoring.make_selector(text, start, end, CONTEXT_CHARS)
    now = utcnow()  # one instant for both: "edited" means updated after it was made
    annotation = Annotation(
        created_at=now,
        updated_at=now,
        case=case,
        author=user,
        revision_number=revision_number,
        section=section,
        original_exact=exact,
        body=source,
        body_html=html,
        criterion_key=criterion_key or None,
        visibility=visibility or default_visibility(case),
    )
    annotation.anchors.append(
        _anchor(case, revision_number, AnchorStatus.CREATED, section, selector)
    )
    db.session.add(annotation)
    db.session.flush()
    _carry_to_later_revisions(case, annotation)
    return annotation


def _anchor(
    case: Case,
    revision_number: int,
    status: AnchorStatus,
    section: str | None,
    selector: anchoring.Selector | None,
) -> AnnotationAnchor:
    anchor = AnnotationAnchor(case_id=case.id, revision_number=revision_number, status=status)
    _place(anchor, status, section, selector)
    return anchor


def _place(
    anchor: AnnotationAnchor,
    status: AnchorStatus,
    section: str | None,
    selector: anchoring.Selector | None,
) -> None:
    anchor.status = status
    if selector is None or section is None:
        anchor.section, anchor.start, anchor.end = None, None, None
        anchor.exact = anchor.prefix = anchor.suffix = ""
        return
    anchor.section, anchor.start, anchor.end = section, selector.start, selector.end
    anchor.exact, anchor.prefix, anchor.suffix = selector.exact, selector.prefix, selector.suffix


def anchor_for(annotation: Annotation, revision_number: int) -> AnnotationAnchor | None:
    return next((a for a in annotation.anchors if a.revision_number == revision_number), None)


def _carry(annotation: Annotation, previous: AnnotationAnchor, old: dict, new: dict):  # type: ignore[no-untyped-def]
    if previous.section is None or previous.start is None or previous.end is None:
        return AnchorStatus.ORPHANED, None, None
    selector = anchoring.Selector(
        previous.start, previous.end, previous.exact, previous.prefix, previous.suffix
    )
    section, result = anchoring.carry_forward_across(old, new, previous.section, selector)
    status = AnchorStatus(result.status.value)
    return status, section, result.selector


def carry_forward(case: Case, revision: CaseRevision) -> None:
    """Place every annotation of the case in ``revision``, from its place in the revision
    before. Runs on every save, so a working revision's anchors always match its text."""
    earlier = [r for r in case.revisions if r.number < revision.number]
    if not earlier:
        return
    previous_revision = earlier[-1]
    old, new = section_texts(previous_revision), section_texts(revision)
    for annotation in case_annotations(case):
        previous = anchor_for(annotation, previous_revision.number)
        if previous is None:
            continue
        status, section, selector = _carry(annotation, previous, old, new)
        anchor = anchor_for(annotation, revision.number)
        if anchor is None:
            anchor = AnnotationAnchor(case_id=case.id, revision_number=revision.number)
            annotation.anchors.append(anchor)
        _place(anchor, status, section, selector)
    db.session.flush()


def _carry_to_later_revisions(case: Case, annotation: Annotation) -> None:
    """An annotation made on an older revision follows the text into the newer ones."""
    later = [r for r in case.revisions if r.number > annotation.revision_number]
    previous_revision = revision_by_number(case, annotation.revision_number)
    for revision in later:
        old, new = section_texts(previous_revision), section_texts(revision)
        previous = anchor_for(annotation, previous_revision.number)
        status, section, selector = _carry(annotation, previous, old, new)
        annotation.anchors.append(_anchor(case, revision.number, status, section, selector))
        previous_revision = revision
    db.session.flush()


register_revision_hook(carry_forward)

# Statuses that ask the annotation's readers to look at it again.
REREVIEW = frozenset({AnchorStatus.CHANGED, AnchorStatus.ORPHANED})


def waiting_for_rereview(case: Case, revision: CaseRevision) -> list[Annotation]:
    """Annotations that ``revision`` newly leaves to be looked at again: their passage was
    reworded in it, or is gone from it (an annotation orphaned before is not news again)."""
    previous = revision_by_number(case, revision.number - 1)
    if previous is None:
        return []
    waiting = []
    for annotation in case_annotations(case):
        now = anchor_for(annotation, revision.number)
        before = anchor_for(annotation, previous.number)
        if now is None or now.status not in REREVIEW:
            continue
        if now.status is AnchorStatus.ORPHANED and before and before.status is now.status:
            continue
        waiting.append(annotation)
    return waiting


@register_share_hook
def _tell_of_rereview(case: Case, revision: CaseRevision, first_share: bool) -> None:
    # Only now, shared, is the revision what readers see: its saves before were the author's.
    if not first_share:
        notify_annotations_to_rereview(case, waiting_for_rereview(case, revision), case.author)


def _whole(where: ColumnElement[bool]) -> list[Annotation]:
    """Annotations with what a view of each shows (anchors, replies and their authors, the
    answer, the author), in a constant number of queries."""
    return list(
        db.session.scalars(
            select(Annotation)
            .options(
                selectinload(Annotation.anchors),
                selectinload(Annotation.replies).selectinload(AnnotationReply.author),
                # one row each: joined into the first query, not a round trip each
                joinedload(Annotation.response),
                joinedload(Annotation.author),
            )
            .where(where)
            .order_by(Annotation.id)
        )
    )


def case_annotations(case: Case) -> list[Annotation]:
    """All annotations of a case with what they show, in a constant number of queries."""
    return _whole(Annotation.case_id == case.id)


def annotations_by_id(ids: Iterable[int]) -> list[Annotation]:
    """These annotations with what they show (the case page's chunk: a few of a case's
    annotations, not all), in a constant number of queries."""
    wanted = list(ids)
    return _whole(Annotation.id.in_(wanted)) if wanted else []


class AnnotationConflict(AnnotationError):
    """The annotation changed after the form was opened (another tab or device)."""


def update_annotation(
    annotation: Annotation,
    body: str,
    criterion_key: str | None,
    visibility: AnnotationVisibility,
    edit_version: int | None = None,
) -> None:
    """Change what the author set. With ``edit_version`` (the version the form was opened on)
    the change is a compare-and-set: of two saves from the same version, one wins."""
    source, html = _body(body)
    if edit_version is not None and not claim_edit_version(annotation, edit_version):
        raise AnnotationConflict(
            "This annotation was changed elsewhere after you opened it (another tab or "
            "device). Your text is still in the form: copy what you need, reload, and apply "
            "it again."
        )
    annotation.body, annotation.body_html = source, html
    annotation.criterion_key = criterion_key or None
    annotation.visibility = visibility
    annotation.updated_at = utcnow()
    db.session.flush()


def delete_annotation(annotation: Annotation) -> None:
    db.session.delete(annotation)
    db.session.flush()


def reply(annotation: Annotation, user: User, body: str) -> AnnotationReply:
    source, html = _body(body)
    answer = AnnotationReply(annotation=annotation, author=user, body=source, body_html=html)
    db.session.add(answer)
    db.session.flush()
    notify_annotation_reply(annotation, user)  # notifications: its author and earlier repliers
    return answer


def respond(annotation: Annotation, user: User, kind: ResponseKind) -> AnnotationResponse:
    """The case author's answer; answering again replaces it."""
    responder_id = user.id  # read before the new row joins the session (reading may autoflush)
    response = annotation.response
    if response is None:
        response = AnnotationResponse(annotation=annotation)
        db.session.add(response)
    response.kind = kind
    response.responded_by_id = responder_id
    response.responded_at = utcnow()
    db.session.flush()
    notify_annotation_answered(annotation, user)  # notifications: the annotation's author
    return response


def cite(score: ReviewScore, annotations: list[Annotation]) -> None:
    """Set the annotations a criterion score cites as its evidence (same case only)."""
    case_id = score.review.case_id
    if any(a.case_id != case_id for a in annotations):
        raise AnnotationError("A score can only cite annotations on the same case.")
    existing = db.session.scalars(select(ScoreEvidence).where(ScoreEvidence.score_id == score.id))
    for row in existing:
        db.session.delete(row)
    db.session.flush()
    for annotation_id in dict.fromkeys(a.id for a in annotations):  # each one once, in order
        db.session.add(ScoreEvidence(score_id=score.id, annotation_id=annotation_id))
    db.session.flush()


def citations(
    case: Case, annotation_ids: Iterable[int] | None = None
) -> dict[int, list[ReviewScore]]:
    """For each annotation id (of ``case``, or only these of its annotations), the scores that
    cite it (one query)."""
    rows = db.session.execute(
        select(ScoreEvidence.annotation_id, ReviewScore)
        .join(ReviewScore, ReviewScore.id == ScoreEvidence.score_id)
        .join(Annotation, Annotation.id == ScoreEvidence.annotation_id)
        .options(
            # the reviewer too: a citation names who scored (one query, not one per reviewer)
            selectinload(ReviewScore.review).selectinload(Review.reviewer),
            selectinload(ReviewScore.criterion),
        )
        .where(
            Annotation.case_id == case.id,
            true()
            if annotation_ids is None
            else ScoreEvidence.annotation_id.in_(list(annotation_ids)),
        )
    ).all()
    found: dict[int, list[ReviewScore]] = {}
    for annotation_id, score in rows:
        found.setdefault(annotation_id, []).append(score)
    return found


def _redacted_place(anchor: AnnotationAnchor, old: dict, new: dict, passage: str):  # type: ignore[no-untyped-def]
    """The anchor's place once ``passage`` is redacted: exact where the passage shows in the
    section's text as typed, otherwise found again like any other edit."""
    section_old = old.get(anchor.section, "")
    if section_old.replace(passage, REDACTED) == new.get(anchor.section) and anchor.end is not None:
        selector = anchoring.Selector(
            anchor.start, anchor.end, anchor.exact, anchor.prefix, anchor.suffix
        )
        moved = anchoring.through_replacement(section_old, passage, REDACTED, selector)
        return anchor.status, anchor.section, moved
    return _carry(anchor.annotation, anchor, old, new)


@register_redaction_hook
def redact_annotations(case: Case, passage: str) -> int:
    """Scrub quotes, their context, comments and replies. Runs before the revisions are
    scrubbed: each anchor is mapped from the old text to the scrubbed one, so no part of the
    passage survives in a quote or its 32 characters of context."""
    count = 0

    def scrub(text: str) -> str:
        nonlocal count
        count += text.count(passage)
        return text.replace(passage, REDACTED)

    annotations = case_annotations(case)
    for revision in case.revisions:
        old = section_texts(revision)
        new = {
            key: html_text_content(
                render_markdown((getattr(revision, key) or "").replace(passage, REDACTED))
            )
            for key in SECTION_KEYS
        }
        for annotation in annotations:
            anchor = anchor_for(annotation, revision.number)
            if anchor is None or anchor.section is None:
                continue
            count += anchor.exact.count(passage)
            status, section, selector = _redacted_place(anchor, old, new, passage)
            if status is AnchorStatus.ORPHANED:
                _place(anchor, status, None, None)
            else:
                _place(anchor, anchor.status, section, selector)
    for annotation in annotations:
        created = anchor_for(annotation, annotation.revision_number)
        scrub(annotation.original_exact)
        annotation.original_exact = created.exact if created and created.exact else REDACTED
        annotation.body = scrub(annotation.body)
        annotation.body_html = render_markdown(annotation.body)
        for answer in annotation.replies:
            answer.body = scrub(answer.body)
            answer.body_html = render_markdown(answer.body)
    db.session.flush()
    return count
