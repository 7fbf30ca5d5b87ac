"""Every authorization rule, once.

A permission is granted when any of its predicates holds. Views call ``require``; templates call
``can`` (registered as a Jinja global); lists use the SQL twins beside the predicates. Group-scoped
objects are loaded through ``load_group`` / ``load_in_group``, which answer 404 to non-members so
another group's objects are indistinguishable from missing ones.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from flask import abort, g
from flask_login import current_user
from sqlalchemy import Select, false, func, or_, select

from supervision.extensions import db
from supervision.models import (
    Annotation,
    AnnotationVisibility,
    Case,
    CaseFlag,
    CaseStatus,
    Group,
    GroupKind,
    Membership,
    Notification,
    Post,
    Review,
    ReviewStatus,
    Role,
    Thread,
    User,
)


class Permission(enum.StrEnum):
    GROUP_CREATE = "group.create"
    GROUP_VIEW = "group.view"
    GROUP_MANAGE = "group.manage"  # settings, invitations, roles, removing members
    GROUP_LEAVE = "group.leave"
    CASE_CREATE = "case.create"  # on a group
    CASE_VIEW = "case.view"
    CASE_EDIT = "case.edit"
    CASE_WITHDRAW = "case.withdraw"
    CASE_CLOSE = "case.close"
    CASE_APPROVE = "case.approve"
    CASE_FLAG = "case.flag"
    CASE_CLEAR_FLAG = "case.clear_flag"
    CASE_REDACT = "case.redact"
    CASE_SCORES_VISIBILITY = "case.scores_visibility"
    CASE_REVIEW = "case.review"  # start a review of the case's current revision
    CASE_RECONCILE = "case.reconcile"
    RUBRIC_VIEW = "rubric.view"  # on a group
    RUBRIC_MANAGE = "rubric.manage"  # on a group
    REVIEW_EDIT = "review.edit"
    REVIEW_RELEASE = "review.release"
    REVIEW_READ_FEEDBACK = "review.read_feedback"
    REVIEW_READ_SCORES = "review.read_scores"
    REVIEW_READ_PRIVATE = "review.read_private"
    CASE_ANNOTATE = "case.annotate"
    ANNOTATION_VIEW = "annotation.view"
    ANNOTATION_REPLY = "annotation.reply"
    ANNOTATION_RESPOND = "annotation.respond"
    ANNOTATION_EDIT = "annotation.edit"
    # -- Discussions ------------------------------------------------------------------------
    THREAD_CREATE = "thread.create"  # on a group
    THREAD_VIEW = "thread.view"
    THREAD_READ_REPLIES = "thread.read_replies"  # others' replies, under "reply before you read"
    THREAD_LOCK = "thread.lock"
    THREAD_PIN = "thread.pin"
    THREAD_SETTINGS = "thread.settings"  # "reply before you read"
    POST_CREATE = "post.create"  # on a thread
    POST_READ = "post.read"  # a post's text
    POST_EDIT = "post.edit"
    POST_DELETE = "post.delete"
    POST_HIDE = "post.hide"  # and show again


Predicate = Callable[[User, Any], bool]


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
    return cache[key]


def forget_roles() -> None:
    """Drop the per-request role cache after a service changed memberships."""
    g.pop("_roles", None)


# -- predicates: one line each ------------------------------------------------------------------


def is_authenticated(user: User, _obj: Any) -> bool:
    return bool(user and user.is_authenticated)


def is_member(user: User, group: Group) -> bool:
    return role_in(user, group) is not None


def is_facilitator(user: User, group: Group) -> bool:
    return role_in(user, group) is Role.FACILITATOR


def may_author_cases(user: User, group: Group) -> bool:
    role = role_in(user, group)
    if group.kind is GroupKind.PEER:
        return role in (Role.PEER, Role.FACILITATOR)  # peers are equals
    return role is Role.SUPERVISEE


def is_case_author(user: User, case: Case) -> bool:
    return case.author_id == user.id and is_member(user, case.group)


def is_case_facilitator(user: User, case: Case) -> bool:
    return is_facilitator(user, case.group)


def case_open_flag(case: Case) -> bool:
    return any(flag.closed_at is None for flag in case.flags)


def is_group_reader(user: User, case: Case) -> bool:
    """Shared and closed cases are the group's, unless a privacy flag hides them."""
    return (
        case.status in (CaseStatus.SHARED, CaseStatus.CLOSED)
        and not case_open_flag(case)
        and is_member(user, case.group)
    )


def facilitator_oversees(user: User, case: Case) -> bool:
    """Facilitators see cases awaiting approval and flagged cases; never someone's draft."""
    return case.status is not CaseStatus.DRAFT and is_case_facilitator(user, case)


def author_of_editable(user: User, case: Case) -> bool:
    return case.status is not CaseStatus.CLOSED and is_case_author(user, case)


def facilitator_of_pending(user: User, case: Case) -> bool:
    return case.status is CaseStatus.PENDING and is_case_facilitator(user, case)


def shared_case_author_or_facilitator(user: User, case: Case) -> bool:
    return case.status is CaseStatus.SHARED and (
        is_case_author(user, case) or is_case_facilitator(user, case)
    )


def reader_not_author(user: User, case: Case) -> bool:
    return case.author_id != user.id and (
        is_group_reader(user, case) or facilitator_oversees(user, case)
    )


def flagged_case_facilitator(user: User, case: Case) -> bool:
    return case_open_flag(case) and is_case_facilitator(user, case)


def redactor(user: User, case: Case) -> bool:
    return case.published_number is not None and (
        is_case_author(user, case) or facilitator_oversees(user, case)
    )


def reviews_in_group(user: User, case: Case) -> bool:
    """Holds a reviewing role for this case (whatever its state)."""
    if case.author_id == user.id:
        return False
    role = role_in(user, case.group)
    if case.group.kind is GroupKind.PEER:
        return role is not None
    return role in (Role.SUPERVISOR, Role.FACILITATOR)


def may_review(user: User, case: Case) -> bool:
    """Supervisors (and facilitators) review in a supervision group; in a peer group, every
    member except the author."""
    if case.status is not CaseStatus.SHARED or case_open_flag(case) or case.author_id == user.id:
        return False
    role = role_in(user, case.group)
    if case.group.kind is GroupKind.PEER:
        return role is not None
    return role in (Role.SUPERVISOR, Role.FACILITATOR)


def submitted_reviews_of(user: User) -> set[tuple[int, int]]:
    """(case id, revision number) pairs the user has submitted a review of (cached)."""
    cache: dict[int, set[tuple[int, int]]] = g.setdefault("_reviewed_revisions", {})
    if user.id not in cache:
        rows = db.session.execute(
            select(Review.case_id, Review.revision_number).where(
                Review.reviewer_id == user.id, Review.status != ReviewStatus.DRAFT
            )
        )
        cache[user.id] = {(case_id, number) for case_id, number in rows}
    return cache[user.id]


def forget_reviews() -> None:
    g.pop("_reviewed_revisions", None)


def is_reviewer(user: User, review: Review) -> bool:
    return review.reviewer_id == user.id and is_member(user, review.case.group)


def reviewer_of_draft(user: User, review: Review) -> bool:
    """A draft stays editable while its case is shared (a closed case is read-only)."""
    return (
        review.status is ReviewStatus.DRAFT
        and review.case.status is CaseStatus.SHARED
        and is_reviewer(user, review)
    )


def reviewer_of_submitted(user: User, review: Review) -> bool:
    return review.status is ReviewStatus.SUBMITTED and is_reviewer(user, review)


def review_facilitator(user: User, review: Review) -> bool:
    return review.status is not ReviewStatus.DRAFT and is_facilitator(user, review.case.group)


def unblinded_co_reviewer(user: User, review: Review) -> bool:
    """Blind scoring: others' scores on a revision show once one's own review of it is in."""
    return (
        review.status is not ReviewStatus.DRAFT
        and (review.case_id, review.revision_number) in submitted_reviews_of(user)
        and is_member(user, review.case.group)
    )


def author_of_released(user: User, review: Review) -> bool:
    return review.status is ReviewStatus.RELEASED and is_case_author(user, review.case)


def group_reader_of_released(user: User, review: Review) -> bool:
    return review.status is ReviewStatus.RELEASED and is_group_reader(user, review.case)


def group_reader_of_shared_scores(user: User, review: Review) -> bool:
    return review.case.scores_visible_to_group and group_reader_of_released(user, review)


def reconciler(user: User, case: Case) -> bool:
    reviewed = any(case_id == case.id for case_id, _ in submitted_reviews_of(user))
    return is_group_reader(user, case) and (reviewed or is_case_facilitator(user, case))


def annotator(user: User, case: Case) -> bool:
    """Readers other than the author annotate a shared case (closed cases are read-only)."""
    return (
        case.status is CaseStatus.SHARED
        and case.author_id != user.id
        and can(user, Permission.CASE_VIEW, case)
    )


def is_annotation_author(user: User, annotation: Annotation) -> bool:
    # The case must still be readable: a flag hides its annotations from their writers too.
    return annotation.author_id == user.id and can(user, Permission.CASE_VIEW, annotation.case)


def annotation_audience(user: User, annotation: Annotation) -> bool:
    """Who may read an annotation, by the visibility its author chose."""
    case = annotation.case
    if not can(user, Permission.CASE_VIEW, case):
        return False
    visibility = annotation.visibility
    if visibility is AnnotationVisibility.GROUP:
        return True
    if visibility is AnnotationVisibility.SUPERVISEE and case.author_id == user.id:
        return True
    if visibility in (AnnotationVisibility.SUPERVISEE, AnnotationVisibility.REVIEWERS):
        return reviews_in_group(user, case)
    return False


def annotation_reader(user: User, annotation: Annotation) -> bool:
    return is_annotation_author(user, annotation) or annotation_audience(user, annotation)


def case_author_reading(user: User, annotation: Annotation) -> bool:
    return (
        annotation.case.status is CaseStatus.SHARED
        and is_case_author(user, annotation.case)
        and annotation_audience(user, annotation)
    )


# A closed case is read-only: its annotations take no more replies, answers or edits.


def reader_on_open_case(user: User, annotation: Annotation) -> bool:
    return annotation.case.status is CaseStatus.SHARED and annotation_reader(user, annotation)


def annotation_author_on_open_case(user: User, annotation: Annotation) -> bool:
    return annotation.case.status is CaseStatus.SHARED and is_annotation_author(user, annotation)


# -- Discussions ---------------------------------------------------------------------------------


def threads_posted_in(user: User) -> set[int]:
    """Ids of the threads the user has posted in (cached for the request)."""
    cache: dict[int, set[int]] = g.setdefault("_posted_threads", {})
    if user.id not in cache:
        rows = db.session.scalars(select(Post.thread_id).where(Post.author_id == user.id))
        cache[user.id] = set(rows)
    return cache[user.id]


def opening_post_id(thread: Thread) -> int | None:
    """The id of a thread's first post (cached: one query per group and request)."""
    cache: dict[int, int | None] = g.setdefault("_opening_posts", {})
    if thread.id not in cache:
        rows = db.session.execute(
            select(Post.thread_id, func.min(Post.id))
            .join(Thread, Thread.id == Post.thread_id)
            .where(Thread.group_id == thread.group_id)
            .group_by(Post.thread_id)
        )
        cache.update({thread_id: post_id for thread_id, post_id in rows})
        cache.setdefault(thread.id, None)
    return cache[thread.id]


def forget_posts() -> None:
    """Drop the per-request post caches after a service added a post."""
    g.pop("_posted_threads", None)
    g.pop("_opening_posts", None)


def thread_reader(user: User, thread: Thread) -> bool:
    """A case's own thread is read by whoever may read the case; a free thread by the group."""
    if thread.case_id is not None:
        return can(user, Permission.CASE_VIEW, thread.case)
    return is_member(user, thread.group)


def open_thread_reader(user: User, thread: Thread) -> bool:
    return not thread.is_locked and thread_reader(user, thread)


def thread_facilitator(user: User, thread: Thread) -> bool:
    return is_facilitator(user, thread.group) and thread_reader(user, thread)


def thread_starter(user: User, thread: Thread) -> bool:
    return thread.author_id == user.id and thread_reader(user, thread)


def ungated_thread_reader(user: User, thread: Thread) -> bool:
    return not thread.reply_before_read and thread_reader(user, thread)


def locked_thread_reader(user: User, thread: Thread) -> bool:
    """Once a thread takes no more replies, "reply before you read" has nothing left to guard."""
    return thread.is_locked and thread_reader(user, thread)


def has_posted_in(user: User, thread: Thread) -> bool:
    return thread.id in threads_posted_in(user) and thread_reader(user, thread)


def opening_question(user: User, post: Post) -> bool:
    """A free thread's first post is its question: it shows even before one replies."""
    thread = post.thread
    return (
        post.is_visible
        and thread.case_id is None
        and post.id == opening_post_id(thread)
        and thread_reader(user, thread)
    )


def post_among_readable_replies(user: User, post: Post) -> bool:
    return post.is_visible and can(user, Permission.THREAD_READ_REPLIES, post.thread)


def facilitator_of_hidden_post(user: User, post: Post) -> bool:
    return (
        post.hidden_at is not None
        and post.deleted_at is None
        and thread_facilitator(user, post.thread)
    )


def author_of_open_post(user: User, post: Post) -> bool:
    return post.author_id == user.id and post.is_visible and open_thread_reader(user, post.thread)


def author_of_post(user: User, post: Post) -> bool:
    return (
        post.author_id == user.id and post.deleted_at is None and thread_reader(user, post.thread)
    )


def post_facilitator(user: User, post: Post) -> bool:
    return post.deleted_at is None and thread_facilitator(user, post.thread)


PERMISSION_MAP: dict[Permission, tuple[Predicate, ...]] = {
    Permission.GROUP_CREATE: (is_authenticated,),
    Permission.GROUP_VIEW: (is_member,),
    Permission.GROUP_MANAGE: (is_facilitator,),
    Permission.GROUP_LEAVE: (is_member,),
    Permission.CASE_CREATE: (may_author_cases,),
    Permission.CASE_VIEW: (is_case_author, is_group_reader, facilitator_oversees),
    Permission.CASE_EDIT: (author_of_editable,),
    Permission.CASE_WITHDRAW: (is_case_author,),
    Permission.CASE_CLOSE: (shared_case_author_or_facilitator,),
    Permission.CASE_APPROVE: (facilitator_of_pending,),
    Permission.CASE_FLAG: (reader_not_author,),
    Permission.CASE_CLEAR_FLAG: (flagged_case_facilitator,),
    Permission.CASE_REDACT: (redactor,),
    Permission.CASE_SCORES_VISIBILITY: (is_case_author,),
    Permission.CASE_REVIEW: (may_review,),
    Permission.CASE_RECONCILE: (reconciler,),
    Permission.RUBRIC_VIEW: (is_member,),
    Permission.RUBRIC_MANAGE: (is_facilitator,),
    Permission.REVIEW_EDIT: (reviewer_of_draft,),
    Permission.REVIEW_RELEASE: (reviewer_of_submitted,),
    Permission.REVIEW_READ_FEEDBACK: (
        is_reviewer,
        review_facilitator,
        unblinded_co_reviewer,
        author_of_released,
        group_reader_of_released,
    ),
    Permission.REVIEW_READ_SCORES: (
        is_reviewer,
        review_facilitator,
        unblinded_co_reviewer,
        author_of_released,
        group_reader_of_shared_scores,
    ),
    Permission.REVIEW_READ_PRIVATE: (is_reviewer,),
    Permission.CASE_ANNOTATE: (annotator,),
    Permission.ANNOTATION_VIEW: (annotation_reader,),
    Permission.ANNOTATION_REPLY: (reader_on_open_case,),
    Permission.ANNOTATION_RESPOND: (case_author_reading,),
    Permission.ANNOTATION_EDIT: (annotation_author_on_open_case,),
    # -- Discussions --
    Permission.THREAD_CREATE: (is_member,),
    Permission.THREAD_VIEW: (thread_reader,),
    Permission.THREAD_READ_REPLIES: (
        ungated_thread_reader,
        locked_thread_reader,
        thread_starter,
        thread_facilitator,
        has_posted_in,
    ),
    Permission.THREAD_LOCK: (thread_facilitator,),
    Permission.THREAD_PIN: (thread_facilitator,),
    Permission.THREAD_SETTINGS: (thread_starter, thread_facilitator),
    Permission.POST_CREATE: (open_thread_reader,),
    Permission.POST_READ: (
        opening_question,
        post_among_readable_replies,
        facilitator_of_hidden_post,
    ),
    Permission.POST_EDIT: (author_of_open_post,),
    Permission.POST_DELETE: (author_of_post,),
    Permission.POST_HIDE: (post_facilitator,),
}


def can(user: User | None, permission: Permission | str, obj: Any = None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    predicates = PERMISSION_MAP[Permission(permission)]
    return any(predicate(user, obj) for predicate in predicates)


def require(permission: Permission, obj: Any = None) -> None:
    """Abort with 403 unless the current user holds ``permission`` on ``obj``."""
    if not can(current_user, permission, obj):
        abort(403)


# -- the checked loaders ------------------------------------------------------------------------

M = TypeVar("M")


def _keep(obj: M) -> M:
    """Hold a loaded object for the rest of the request: the session's identity map holds it
    only weakly, and a parent (the case of a review, the group of a case) that a loader checked
    and let go would be fetched again by the view."""
    g.setdefault("_checked_objects", []).append(obj)
    return obj


def load_group(group_id: int) -> Group:
    """The group, if the current user belongs to it; otherwise 404."""
    group = db.session.get(Group, group_id)
    if group is None or not is_member(current_user, group):
        abort(404)
    return _keep(group)


def load_in_group(model: type[M], object_id: int, group: Group | None = None) -> M:
    """A group-scoped object (it has ``group_id``), if the current user belongs to its group."""
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    if group is not None and obj.group_id != group.id:  # type: ignore[attr-defined]
        abort(404)
    load_group(obj.group_id)  # type: ignore[attr-defined]
    return obj


def load_review(review_id: int) -> Review:
    """A review, if its case is visible and the user may read at least its feedback; else 404."""
    review = db.session.get(Review, review_id)
    if review is None:
        abort(404)
    load_case(review.case_id)
    if not can(current_user, Permission.REVIEW_READ_FEEDBACK, review):
        abort(404)
    return review


def load_annotation(annotation_id: int) -> Annotation:
    """An annotation, if its case is visible and its visibility includes the user; else 404."""
    annotation = db.session.get(Annotation, annotation_id)
    if annotation is None:
        abort(404)
    load_case(annotation.case_id)
    if not can(current_user, Permission.ANNOTATION_VIEW, annotation):
        abort(404)
    return annotation


def load_case(case_id: int) -> Case:
    """The case, if the current user may see it; 404 otherwise (drafts of others included)."""
    case = load_in_group(Case, case_id)
    if not can(current_user, Permission.CASE_VIEW, case):
        abort(404)
    return _keep(case)


def load_thread(thread_id: int) -> Thread:
    """A thread, if the user may read it (a case's thread: if they may read the case); else 404."""
    thread = load_in_group(Thread, thread_id)
    if thread.case_id is not None:
        load_case(thread.case_id)
    if not can(current_user, Permission.THREAD_VIEW, thread):
        abort(404)
    return _keep(thread)


def load_post(post_id: int) -> Post:
    """A post, if its thread is readable (what of it shows is POST_READ's); else 404."""
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404)
    load_thread(post.thread_id)
    return post


# -- SQL twins for lists ------------------------------------------------------------------------


def visible_groups(user: User) -> Select[tuple[Group]]:
    """Groups the user may view: the SQL twin of GROUP_VIEW."""
    return (
        select(Group)
        .join(Membership, Membership.group_id == Group.id)
        .where(Membership.user_id == user.id)
    )


def visible_cases(user: User, group: Group) -> Select[tuple[Case]]:
    """Cases of ``group`` the user may view: the SQL twin of CASE_VIEW."""
    open_flag = (
        select(CaseFlag.id)
        .where(CaseFlag.case_id == Case.id, CaseFlag.closed_at.is_(None))
        .exists()
    )
    readable = Case.status.in_([CaseStatus.SHARED, CaseStatus.CLOSED]) & ~open_flag
    rule = (Case.author_id == user.id) | readable
    if role_in(user, group) is Role.FACILITATOR:
        rule = rule | (Case.status != CaseStatus.DRAFT)
    if role_in(user, group) is None:
        rule = rule & false()
    return select(Case).where(Case.group_id == group.id, rule)


def visible_threads(user: User, group: Group) -> Select[tuple[Thread]]:
    """Threads of ``group`` the user may read: the SQL twin of THREAD_VIEW."""
    if role_in(user, group) is None:
        return select(Thread).where(false())
    readable_cases = visible_cases(user, group).with_only_columns(Case.id)
    return select(Thread).where(
        Thread.group_id == group.id,
        or_(Thread.case_id.is_(None), Thread.case_id.in_(readable_cases)),
    )


def thread_audience(thread: Thread) -> Select[tuple[Membership]]:
    """The memberships whose user may read ``thread``: THREAD_VIEW's SQL twin for one thread."""
    query = select(Membership).where(Membership.group_id == thread.group_id)
    case = thread.case
    if case is None or (
        case.status in (CaseStatus.SHARED, CaseStatus.CLOSED) and not case_open_flag(case)
    ):
        return query
    allowed = Membership.user_id == case.author_id
    if case.status is not CaseStatus.DRAFT:
        allowed = allowed | (Membership.role == Role.FACILITATOR)
    return query.where(allowed)


# -- Notifications -------------------------------------------------------------------------------
# A notification belongs to its user alone. Who is told of something is decided with ``can``
# itself (the single-object rules), with the roles of everyone concerned loaded in one query.


def load_notification(notification_id: int) -> Notification:
    """One of the current user's notifications; anyone else's answers 404, as if missing."""
    notification = db.session.get(Notification, notification_id)
    if (
        notification is None
        or not current_user.is_authenticated
        or notification.user_id != current_user.id
    ):
        abort(404)
    return notification


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
