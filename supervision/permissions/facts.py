"""What the predicates look up about a user, cached for the request: roles, one's own reviews,
the threads one has posted in. Services that change these facts call the ``forget_*`` functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from flask import g
from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from supervision.extensions import db
from supervision.models import (
    Case,
    Group,
    GrowthShare,
    Membership,
    Post,
    RelationshipCheck,
    Review,
    ReviewStatus,
    ReviewUnblinding,
    Role,
    SelfAssessment,
    SelfAssessmentStatus,
    Thread,
    User,
)
from supervision.permissions.grants import grant_for_lists, grant_reading


def role_in(user: User | None, group: Group | None) -> Role | None:
    """The user's role in the group, cached for the request (one query per group)."""
    if user is None or group is None or not user.is_authenticated:
        return None
    cache: dict[tuple[int, int], Role | None] = g.setdefault("_roles", {})
    key = (user.id, group.id)
    if key not in cache:
        cache[key] = db.session.scalar(
            select(Membership.role).where(
                Membership.group_id == group.id, Membership.user_id == user.id
            )
        )
    if grant_reading(user, group) is not None:  # emergency access: read as a facilitator
        return Role.FACILITATOR
    return cache[key]


def reading_role_in(user: User | None, group: Group | None) -> Role | None:
    """The role the SQL twins of the read permissions list by: one's own, or a facilitator's
    under an open emergency grant to the group."""
    listed_under_grant = (
        user is not None
        and group is not None
        and user.is_authenticated
        and grant_for_lists(user, group) is not None
    )
    return Role.FACILITATOR if listed_under_grant else role_in(user, group)


def know_roles_of(user: User) -> None:
    """Fill the request's role cache with every group the user belongs to (one query), for a
    page that asks ``can`` about the user across many groups."""
    cache: dict[tuple[int, int], Role | None] = g.setdefault("_roles", {})
    rows = db.session.execute(
        select(Membership.group_id, Membership.role).where(Membership.user_id == user.id)
    )
    for group_id, role in rows:
        cache.setdefault((user.id, group_id), role)


def forget_roles() -> None:
    """Drop the per-request role cache after a service changed memberships."""
    g.pop("_roles", None)


@contextmanager
def roles_known(group_id: int, user_ids: Iterable[int]) -> Iterator[None]:
    """Within the block, ``can`` knows these people's roles in the group from one query; the
    request's role cache is left as it was afterwards."""
    cache: dict[tuple[int, int], Role | None] = g.setdefault("_roles", {})
    missing = {user_id for user_id in user_ids if (user_id, group_id) not in cache}
    added: dict[tuple[int, int], Role | None] = {}
    if missing:
        roles = dict(
            db.session.execute(
                select(Membership.user_id, Membership.role).where(
                    Membership.group_id == group_id, Membership.user_id.in_(missing)
                )
            ).all()
        )
        added = {(user_id, group_id): roles.get(user_id) for user_id in missing}
    cache.update(added)
    try:
        yield
    finally:
        for key in added:
            cache.pop(key, None)


def review_statuses(user: User) -> dict[tuple[int, int], ReviewStatus]:
    """The status of the user's own review of each (case id, revision number) (cached)."""
    cache: dict[int, dict[tuple[int, int], ReviewStatus]] = g.setdefault("_own_reviews", {})
    if user.id not in cache:
        rows = db.session.execute(
            select(Review.case_id, Review.revision_number, Review.status).where(
                Review.reviewer_id == user.id
            )
        )
        cache[user.id] = {(case_id, number): status for case_id, number, status in rows}
    return cache[user.id]


def submitted_reviews_of(user: User) -> set[tuple[int, int]]:
    """(case id, revision number) pairs the user has submitted a review of (cached)."""
    return {key for key, status in review_statuses(user).items() if status != ReviewStatus.DRAFT}


def unblinded_revisions(user: User) -> set[tuple[int, int]]:
    """(case id, revision number) pairs whose other reviews the user chose to read before
    scoring the revision blind (cached)."""
    cache: dict[int, set[tuple[int, int]]] = g.setdefault("_unblinded_revisions", {})
    if user.id not in cache:
        rows = db.session.execute(
            select(ReviewUnblinding.case_id, ReviewUnblinding.revision_number).where(
                ReviewUnblinding.user_id == user.id
            )
        )
        cache[user.id] = {(case_id, number) for case_id, number in rows}
    return cache[user.id]


def self_assessing(user: User) -> set[tuple[int, int]]:
    """(case id, revision number) pairs the user is scoring their own case of, not yet
    submitted: the released reviews of those revisions wait until they submit or skip (cached)."""
    cache: dict[int, set[tuple[int, int]]] = g.setdefault("_self_assessing", {})
    if user.id not in cache:
        rows = db.session.execute(
            select(SelfAssessment.case_id, SelfAssessment.revision_number).where(
                SelfAssessment.author_id == user.id,
                SelfAssessment.status == SelfAssessmentStatus.DRAFT,
            )
        )
        cache[user.id] = {(case_id, number) for case_id, number in rows}
    return cache[user.id]


def forget_reviews() -> None:
    """Drop the per-request review caches after a service started, submitted or unblinded one
    (a self-assessment included)."""
    g.pop("_own_reviews", None)
    g.pop("_unblinded_revisions", None)
    g.pop("_self_assessing", None)


def threads_posted_in(user: User) -> set[int]:
    """Ids of the threads the user has posted in (cached for the request)."""
    cache: dict[int, set[int]] = g.setdefault("_posted_threads", {})
    if user.id not in cache:
        rows = db.session.scalars(
            select(Post.thread_id).where(Post.author_id == user.id).distinct()
        )
        cache[user.id] = set(rows)
    return cache[user.id]


def opening_post_id(thread: Thread) -> int | None:
    """The id of a thread's first post: kept on the thread as the post is written."""
    return thread.first_post_id


def forget_posts() -> None:
    """Drop the per-request post caches after a service added a post."""
    g.pop("_posted_threads", None)


# -- The supervisory relationship -----------------------------------------------------------------


def supervisors_query(user: User) -> Select[tuple[User]]:
    """Who released a review of the user's cases, in a group both still belong to (the SQL of
    ``supervisor_ids_of``; ``queries.supervisors_of`` for lists)."""
    mine, theirs = aliased(Membership), aliased(Membership)
    return (
        select(User)
        .join(Review, Review.reviewer_id == User.id)
        .join(Case, Case.id == Review.case_id)
        .join(mine, (mine.group_id == Case.group_id) & (mine.user_id == user.id))
        .join(theirs, (theirs.group_id == Case.group_id) & (theirs.user_id == User.id))
        .where(
            Case.author_id == user.id,
            Review.status == ReviewStatus.RELEASED,
            User.id != user.id,
        )
        .distinct()
    )


def supervisor_ids_of(user: User) -> set[int]:
    """Who has released a review of the user's cases in a group both still belong to: the
    supervisors a relationship check or a wish to talk can be about (cached)."""
    cache: dict[int, set[int]] = g.setdefault("_supervisor_ids", {})
    if user.id not in cache:
        query = supervisors_query(user).with_only_columns(User.id)
        cache[user.id] = set(db.session.scalars(query))
    return cache[user.id]


def answers_about(user: User) -> int:
    """How many relationship checks are about the user as a supervisor (cached)."""
    cache: dict[int, int] = g.setdefault("_answers_about", {})
    if user.id not in cache:
        cache[user.id] = (
            db.session.scalar(
                select(func.count())
                .select_from(RelationshipCheck)
                .where(RelationshipCheck.supervisor_id == user.id)
            )
            or 0
        )
    return cache[user.id]


def answered_reviews(user: User) -> set[int]:
    """Ids of the reviews the user has answered a relationship check after (cached)."""
    cache: dict[int, set[int]] = g.setdefault("_answered_reviews", {})
    if user.id not in cache:
        rows = db.session.scalars(
            select(RelationshipCheck.occasion_id).where(
                RelationshipCheck.supervisee_id == user.id,
                RelationshipCheck.occasion_type == "review",
            )
        )
        cache[user.id] = set(rows)
    return cache[user.id]


def forget_relationship() -> None:
    """Drop the relationship caches after a check was recorded."""
    g.pop("_answered_reviews", None)
    g.pop("_supervisor_ids", None)
    g.pop("_answers_about", None)


def growth_share_groups(viewer: User, supervisee: User) -> set[int]:
    """Ids of the groups whose cases ``supervisee`` shares their growth with ``viewer``: only
    while both still belong and ``viewer`` still reviews there (not as a supervisee) (cached)."""
    cache: dict[tuple[int, int], set[int]] = g.setdefault("_growth_shares", {})
    key = (viewer.id, supervisee.id)
    if key not in cache:
        cache[key] = set(db.session.scalars(growth_shares_counting(viewer.id, supervisee.id)))
    return cache[key]


def growth_shares_counting(viewer_id: int, supervisee_id: int | None = None) -> Select[tuple[int]]:
    """Group ids (with the supervisee id) of the growth shares to ``viewer_id`` that count."""
    viewer = select(Membership.id).where(
        Membership.group_id == GrowthShare.group_id,
        Membership.user_id == GrowthShare.supervisor_id,
        Membership.role != Role.SUPERVISEE,
    )
    member = select(Membership.id).where(
        Membership.group_id == GrowthShare.group_id,
        Membership.user_id == GrowthShare.supervisee_id,
    )
    query = select(GrowthShare.group_id, GrowthShare.supervisee_id).where(
        GrowthShare.supervisor_id == viewer_id, viewer.exists(), member.exists()
    )
    if supervisee_id is not None:
        query = query.where(GrowthShare.supervisee_id == supervisee_id)
    return query


def forget_growth_shares() -> None:
    """Drop the per-request growth-share cache after a supervisee changed their choice."""
    g.pop("_growth_shares", None)
