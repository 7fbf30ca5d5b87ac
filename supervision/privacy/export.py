"""Everything the platform holds about one person, as one JSON document (``FORMAT``).

What is theirs is given whole: their account (never a password hash, a second-factor secret,
a token or a key), their cases with every revision, what they wrote (reviews with their own
private notes, annotations, replies, posts, self-assessments, check-ins), their notifications,
sessions and the audit entries about them. What others wrote about them comes only through the
permission checks the pages use (``records.py`` and the portfolio's feedback builder): never a
supervisor's private notes, never scores or parts not yet released to them. One query per kind
of record, whatever their number.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from supervision.cases.sections import SECTION_KEYS
from supervision.extensions import db
from supervision.models import (
    Annotation,
    AnnotationReply,
    Case,
    CaseFlag,
    GrowthShare,
    Post,
    RelationshipCheck,
    Review,
    SelfAssessment,
    Thread,
    User,
)
from supervision.permissions import Permission, can, know_roles_of
from supervision.privacy.account_records import (
    account,
    audit_entries,
    iso,
    login_sessions,
    memberships,
    notifications,
)
from supervision.privacy.records import agreements, evaluations, meetings
from supervision.reviews.export import feedback_section

FORMAT = "attune-personal-data/1"


def _cases(user: User) -> list[dict[str, Any]]:
    cases = db.session.scalars(
        select(Case)
        .options(
            selectinload(Case.revisions), selectinload(Case.group), selectinload(Case.resolutions)
        )
        .where(Case.author_id == user.id)
        .order_by(Case.created_at, Case.id)
    ).all()
    return [
        {
            "id": case.id,
            "group": case.group.name,
            "title": case.title,
            "status": case.status.value,
            "calibration_vignette": case.is_calibration,
            "scores_visible_to_group": case.scores_visible_to_group,
            "created_at": iso(case.created_at),
            "updated_at": iso(case.updated_at),
            "shared_at": iso(case.shared_at),
            "closed_at": iso(case.closed_at),
            "shared_revision": case.published_number,
            "revisions": [
                {
                    "number": r.number,
                    "title": r.title,
                    "sections": {key: getattr(r, key) or "" for key in SECTION_KEYS},
                    "what_i_altered": r.altered_note or "",
                    "checklist": list(r.checklist or []),
                    "created_at": iso(r.created_at),
                    "updated_at": iso(r.updated_at),
                    "passed_the_gate_at": iso(r.cleared_at),
                }
                for r in case.revisions
            ],
            "scanner_findings_i_resolved": [
                {
                    "section": f.section,
                    "kind": f.kind,
                    "text": f.text,
                    "reason": f.reason,
                    "revision": f.revision_number,
                    "resolved_at": iso(f.resolved_at),
                }
                for f in case.resolutions
            ],
        }
        for case in cases
    ]


def _flags(user: User) -> list[dict[str, Any]]:
    flags = db.session.scalars(
        select(CaseFlag)
        .options(selectinload(CaseFlag.case).selectinload(Case.flags))
        .where(CaseFlag.flagged_by_id == user.id)
        .order_by(CaseFlag.created_at, CaseFlag.id)
    ).all()
    records = []
    for flag in flags:
        readable = can(user, Permission.CASE_VIEW, flag.case)
        records.append(
            {
                "case_id": flag.case_id,
                "revision": flag.revision_number,
                # The quoted passage is another's case text: only while one may still read it.
                "passage": flag.passage if readable else None,
                "reason": flag.reason,
                "raised_at": iso(flag.created_at),
                "closed_at": iso(flag.closed_at),
                "closed_how": flag.closed_how,
            }
        )
    return records


def _reviews_written(user: User) -> list[dict[str, Any]]:
    reviews = db.session.scalars(
        select(Review)
        .options(selectinload(Review.scores), selectinload(Review.case))
        .where(Review.reviewer_id == user.id)
        .order_by(Review.created_at, Review.id)
    ).all()
    return [
        {
            "id": r.id,
            "case_id": r.case_id,
            "revision": r.revision_number,
            "status": r.status.value,
            "overall_feedback": r.overall_feedback,
            "private_notes": r.private_notes,  # one's own: nobody else ever reads them
            "created_at": iso(r.created_at),
            "submitted_at": iso(r.submitted_at),
            "released_at": iso(r.released_at),
            "scores": [
                {
                    "criterion": s.criterion_key,
                    "level": None if s.not_visible else s.level,
                    "not_visible": s.not_visible,
                    "comment": s.comment,
                    "evidence": s.evidence,
                }
                for s in r.scores
            ],
        }
        for r in reviews
    ]


def _annotations_written(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Annotation).where(Annotation.author_id == user.id).order_by(Annotation.id)
    ).all()
    return [
        {
            "id": a.id,
            "case_id": a.case_id,
            "revision": a.revision_number,
            "section": a.section,
            "quote": a.original_exact,
            "comment": a.body,
            "criterion": a.criterion_key,
            "visible_to": a.visibility.value,
            "created_at": iso(a.created_at),
            "updated_at": iso(a.updated_at),
        }
        for a in rows
    ]


def _replies_written(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(AnnotationReply)
        .where(AnnotationReply.author_id == user.id)
        .order_by(AnnotationReply.id)
    ).all()
    return [
        {"annotation_id": r.annotation_id, "text": r.body, "created_at": iso(r.created_at)}
        for r in rows
    ]


def _posts(user: User) -> list[dict[str, Any]]:
    posts = db.session.scalars(
        select(Post)
        .options(
            selectinload(Post.edits),
            selectinload(Post.thread).selectinload(Thread.case).selectinload(Case.flags),
        )
        .where(Post.author_id == user.id)
        .order_by(Post.created_at, Post.id)
    ).all()
    return [
        {
            "id": p.id,
            "thread_id": p.thread_id,
            "thread": p.thread.title if can(user, Permission.THREAD_VIEW, p.thread) else None,
            "reply_to_post_id": p.reply_to_id,
            "text": p.body,
            "created_at": iso(p.created_at),
            "edited_at": iso(p.edited_at),
            "removed_at": iso(p.deleted_at),
            "hidden_by_a_facilitator": p.hidden_at is not None,
            "earlier_texts": [{"text": e.body, "replaced_at": iso(e.replaced_at)} for e in p.edits],
        }
        for p in posts
    ]


def _self_assessments(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(SelfAssessment)
        .options(selectinload(SelfAssessment.scores))
        .where(SelfAssessment.author_id == user.id)
        .order_by(SelfAssessment.id)
    ).all()
    return [
        {
            "case_id": a.case_id,
            "revision": a.revision_number,
            "status": a.status.value,
            "blind": a.blind,
            "created_at": iso(a.created_at),
            "submitted_at": iso(a.submitted_at),
            "levels": {s.criterion_key: s.level for s in a.scores},
        }
        for a in rows
    ]


def _check_ins(user: User) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(RelationshipCheck, User.display_name)
        .join(User, User.id == RelationshipCheck.supervisor_id)
        .where(RelationshipCheck.supervisee_id == user.id)
        .order_by(RelationshipCheck.id)
    ).all()
    # The moment of an answer is kept for ordering alone and shown to nobody (models/relationship).
    return [
        {
            "supervisor": name,
            "occasion": f"{c.occasion_type} {c.occasion_id}",
            "answers": {"safety": c.safety, "goals": c.goals, "tasks": c.tasks, "heard": c.heard},
            "note": c.note,
        }
        for c, name in rows
    ]


def _growth_shares(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(GrowthShare)
        .options(
            selectinload(GrowthShare.supervisor),
            selectinload(GrowthShare.supervisee),
            selectinload(GrowthShare.group),
        )
        .where(or_(GrowthShare.supervisee_id == user.id, GrowthShare.supervisor_id == user.id))
        .order_by(GrowthShare.id)
    ).all()
    return [
        {
            "direction": "shared by me" if s.supervisee_id == user.id else "shared with me",
            "with": (s.supervisor if s.supervisee_id == user.id else s.supervisee).display_name,
            "group": s.group.name,
            "since": iso(s.created_at),
        }
        for s in rows
    ]


def personal_data(user: User, now: datetime) -> dict[str, Any]:
    """The whole document for ``user``, made at ``now``."""
    know_roles_of(user)
    return {
        "format": FORMAT,
        "made_at": iso(now),
        "account": account(user),
        "memberships": memberships(user),
        "cases": _cases(user),
        "flags_i_raised": _flags(user),
        "reviews_i_wrote": _reviews_written(user),
        # Released reviews of my cases and the annotations on them I may read, as on the pages.
        "feedback_on_my_cases": feedback_section(user).records,
        "annotations_i_wrote": _annotations_written(user),
        "annotation_replies_i_wrote": _replies_written(user),
        "posts_i_wrote": _posts(user),
        "self_assessments": _self_assessments(user),
        "relationship_check_ins_i_gave": _check_ins(user),
        "growth_shares": _growth_shares(user),
        "agreements": agreements(user),
        "meetings": meetings(user),
        "evaluations": evaluations(user),
        "notifications": notifications(user),
        "login_sessions": login_sessions(user),
        "audit_entries_about_me": audit_entries(user),
    }


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON-able: {type(value).__name__}")


def personal_data_json(user: User, now: datetime) -> bytes:
    document = personal_data(user, now)
    return (
        json.dumps(document, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    ).encode()
