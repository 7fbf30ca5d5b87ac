"""The portfolio's "feedback" section: the released reviews of the person's own cases (levels
per criterion with their descriptors, comments, evidence, overall feedback) and the annotations
on those cases that they may read, with their replies and the person's answers.

Every review passes ``REVIEW_READ_FEEDBACK`` and its levels ``REVIEW_READ_SCORES`` (so one
still scoring a revision oneself sees its reviews only afterwards); every annotation passes
``ANNOTATION_VIEW`` (never someone's private annotation). A reviewer's private notes are never
read here. The stored text is already scrubbed of every redacted passage."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from supervision.cases.sections import SECTION_LABELS
from supervision.exports.sections import PortfolioSection
from supervision.extensions import db
from supervision.models import (
    Annotation,
    AnnotationReply,
    Case,
    Review,
    ReviewScore,
    ReviewStatus,
    User,
)
from supervision.permissions import Permission, can, know_roles_of

KEY = "feedback"
TITLE = "Feedback"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _score(score: ReviewScore) -> dict[str, Any]:
    level = None if score.not_visible else score.level
    return {
        "criterion": score.criterion_key,
        "title": score.criterion.title,
        "level": level,
        "not_visible": score.not_visible,
        "descriptor": score.criterion.descriptor(level),
        "evidence": score.evidence,
        "comment": score.comment,
    }


def _review(user: User, review: Review) -> dict[str, Any]:
    scores = can(user, Permission.REVIEW_READ_SCORES, review)
    return {
        "kind": "review",
        "case_id": review.case_id,
        "case": review.case.title,
        "revision": review.revision_number,
        "reviewer": review.reviewer.display_name,
        "released_at": _iso(review.released_at),
        # Deliberately not review.private_notes: the reviewer's alone.
        "feedback": review.overall_feedback,
        "scores": [_score(s) for s in review.scores] if scores else [],
    }


def _annotation(annotation: Annotation) -> dict[str, Any]:
    response = annotation.response
    return {
        "kind": "annotation",
        "case_id": annotation.case_id,
        "case": annotation.case.title,
        "revision": annotation.revision_number,
        "section": SECTION_LABELS.get(annotation.section, annotation.section),
        "author": annotation.author.display_name,
        "created_at": _iso(annotation.created_at),
        "quote": annotation.original_exact,
        "comment": annotation.body,
        "criterion": annotation.criterion_key,
        "my_answer": response.kind.label if response else None,
        "replies": [
            {"author": r.author.display_name, "created_at": _iso(r.created_at), "text": r.body}
            for r in annotation.replies
        ],
    }


def _level_text(score: dict[str, Any]) -> str:
    if score["not_visible"]:
        return "not visible in this vignette"
    if score["level"] is None:
        return "no level"
    return f"level {score['level']}: {score['descriptor']}"


def _markdown(records: list[dict[str, Any]]) -> str:
    lines = [f"# {TITLE}", ""]
    reviews = [r for r in records if r["kind"] == "review"]
    annotations = [r for r in records if r["kind"] == "annotation"]
    lines += ["## Released reviews", ""]
    if not reviews:
        lines += ["No review of your cases has been released yet.", ""]
    for r in reviews:
        when = (r["released_at"] or "")[:10]
        lines += [f"### {r['case']} (revision {r['revision']}), by {r['reviewer']}, {when}", ""]
        for s in r["scores"]:
            lines += [f"- **{s['title']}**: {_level_text(s)}"]
            if s["evidence"]:
                lines += [f"  - Evidence: {' / '.join(s['evidence'].splitlines())}"]
            if s["comment"]:
                lines += [f"  - Comment: {' '.join(s['comment'].splitlines())}"]
        lines += ["", "#### Feedback", "", r["feedback"].strip() or "—", ""]
    lines += ["## Annotations on your cases", ""]
    if not annotations:
        lines += ["No annotations you can read.", ""]
    for a in annotations:
        lines += [f"### {a['case']}: {a['section']}, by {a['author']}", ""]
        lines += [f"> {' '.join(a['quote'].splitlines())}", "", a["comment"].strip() or "—", ""]
        if a["my_answer"]:
            lines += [f"Your answer: {a['my_answer']}.", ""]
        for reply in a["replies"]:
            lines += [f"- {reply['author']}: {' '.join(reply['text'].splitlines())}"]
        lines += [""]
    return "\n".join(lines)


def feedback_section(user: User) -> PortfolioSection:
    know_roles_of(user)
    reviews = db.session.scalars(
        select(Review)
        .join(Case, Case.id == Review.case_id)
        .options(
            selectinload(Review.case).selectinload(Case.flags),
            selectinload(Review.case).selectinload(Case.group),
            selectinload(Review.reviewer),
            selectinload(Review.scores).selectinload(ReviewScore.criterion),
        )
        .where(Case.author_id == user.id, Review.status == ReviewStatus.RELEASED)
        .order_by(Review.released_at, Review.id)
    ).all()
    annotations = db.session.scalars(
        select(Annotation)
        .join(Case, Case.id == Annotation.case_id)
        .options(
            selectinload(Annotation.case).selectinload(Case.flags),
            selectinload(Annotation.case).selectinload(Case.group),
            selectinload(Annotation.author),
            selectinload(Annotation.replies).selectinload(AnnotationReply.author),
            selectinload(Annotation.response),
        )
        .where(Case.author_id == user.id)
        .order_by(Annotation.case_id, Annotation.created_at, Annotation.id)
    ).all()
    records = [
        _review(user, r) for r in reviews if can(user, Permission.REVIEW_READ_FEEDBACK, r)
    ] + [_annotation(a) for a in annotations if can(user, Permission.ANNOTATION_VIEW, a)]
    return PortfolioSection(KEY, TITLE, records, _markdown(records))
