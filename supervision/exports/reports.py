"""The group reports this package contributes itself: "members" (who, in which role, since
when, how many cases shared and reviews submitted) and "reviews" (per released review: date,
case, author, reviewer and the levels per criterion; no free text but the case's title).

A report is for the group's facilitators (``GROUP_REPORTS``, checked by the view). The reviews
report follows blind scoring like the pages: a facilitator still to score a revision herself
does not get its other reviews' levels (the row is left out), because a report builder runs in
the request of whoever asked (``current_user``)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from supervision.exports.sections import GroupReport
from supervision.extensions import db
from supervision.models import (
    Case,
    CaseStatus,
    Group,
    Membership,
    Review,
    ReviewScore,
    ReviewStatus,
)
from supervision.permissions import Permission, can

MEMBERS = ("members", "Members")
REVIEWS = ("reviews", "Released reviews")


def members_report(group: Group) -> GroupReport:
    memberships = db.session.scalars(
        select(Membership)
        .options(selectinload(Membership.user))
        .where(Membership.group_id == group.id)
        .order_by(Membership.joined_at, Membership.id)
    ).all()
    # Drafts are their authors' alone: only what reached the group counts.
    shared = dict(
        db.session.execute(
            select(Case.author_id, func.count(Case.id))
            .where(
                Case.group_id == group.id,
                Case.status.in_((CaseStatus.SHARED, CaseStatus.CLOSED)),
                Case.is_calibration.is_(False),
            )
            .group_by(Case.author_id)
        ).all()
    )
    submitted = dict(
        db.session.execute(
            select(Review.reviewer_id, func.count(Review.id))
            .join(Case, Case.id == Review.case_id)
            .where(Case.group_id == group.id, Review.status != ReviewStatus.DRAFT)
            .group_by(Review.reviewer_id)
        ).all()
    )
    rows = [
        (
            m.user.display_name,
            m.role.label,
            m.joined_at.date(),
            shared.get(m.user_id, 0),
            submitted.get(m.user_id, 0),
        )
        for m in memberships
    ]
    header = ("Name", "Role", "Joined", "Cases shared", "Reviews submitted")
    return GroupReport(MEMBERS[0], MEMBERS[1], header, rows)


def _level(score: ReviewScore | None) -> Any:
    if score is None:
        return ""
    return "n/o" if score.not_visible else score.level


def reviews_report(group: Group) -> GroupReport:
    reviews = db.session.scalars(
        select(Review)
        .join(Case, Case.id == Review.case_id)
        .options(
            selectinload(Review.case).selectinload(Case.flags),
            selectinload(Review.case).selectinload(Case.group),
            selectinload(Review.case).selectinload(Case.author),
            selectinload(Review.reviewer),
            selectinload(Review.scores).selectinload(ReviewScore.criterion),
        )
        .where(Case.group_id == group.id, Review.status == ReviewStatus.RELEASED)
        .order_by(Review.released_at, Review.id)
    ).all()
    readable = [r for r in reviews if can(current_user, Permission.REVIEW_READ_SCORES, r)]
    # Columns by criterion key, in the order the rubric shows them, across rubric versions.
    positions: dict[str, int] = {}
    titles: dict[str, str] = {}
    for review in readable:
        for score in review.scores:
            key = score.criterion_key
            titles.setdefault(key, score.criterion.title)
            positions[key] = min(positions.get(key, score.position), score.position)
    keys = sorted(titles, key=lambda key: (positions[key], key))
    header = ("Released", "Case", "Revision", "Author", "Reviewer", *(titles[k] for k in keys))
    rows = []
    for review in readable:
        by_key = {score.criterion_key: score for score in review.scores}
        rows.append(
            (
                review.released_at,
                review.case.title,
                review.revision_number,
                review.case.author.display_name,
                review.reviewer.display_name,
                *(_level(by_key.get(key)) for key in keys),
            )
        )
    return GroupReport(REVIEWS[0], REVIEWS[1], header, rows)
