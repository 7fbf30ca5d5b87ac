"""The checked loaders: a group-scoped object, if the current user may see it; otherwise 404, so
another group's objects are indistinguishable from missing ones. A missing object is a plain
404; refusing one that exists goes through ``refuse``, which leaves a ``denied`` entry.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort, g
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from supervision.extensions import db
from supervision.models import (
    Agreement,
    Annotation,
    Case,
    Credential,
    EmergencyGrant,
    Evaluation,
    Group,
    Meeting,
    Membership,
    Notification,
    Post,
    Review,
    SupervisorEvaluation,
    Thread,
    User,
)
from supervision.permissions.denials import refuse
from supervision.permissions.permission import Permission
from supervision.permissions.permission_map import can

M = TypeVar("M")


def _keep(obj: M) -> M:
    """Hold a loaded object for the rest of the request: the session's identity map holds it
    only weakly, and a parent (the case of a review, the group of a case) that a loader checked
    and let go would be fetched again by the view."""
    g.setdefault("_checked_objects", []).append(obj)
    return obj


def load_group(group_id: int) -> Group:
    """The group, if the current user belongs to it (or reads it under an emergency grant);
    otherwise 404."""
    group = db.session.get(Group, group_id)
    if group is None:
        abort(404)
    if not can(current_user, Permission.GROUP_VIEW, group):
        refuse(group)
    return _keep(group)


def load_in_group(
    model: type[M], object_id: int, group: Group | None = None, options: tuple[Any, ...] = ()
) -> M:
    """A group-scoped object (it has ``group_id``), if the current user belongs to its group.
    ``options``: what the checks then read, loaded with it (its group, say)."""
    obj = db.session.get(model, object_id, options=options)
    if obj is None:
        abort(404)
    if group is not None and obj.group_id != group.id:  # type: ignore[attr-defined]
        refuse(obj)
    load_group(obj.group_id)  # type: ignore[attr-defined]
    return obj


def load_review(review_id: int) -> Review:
    """A review, if its case is visible and the user may read at least its feedback, or may
    choose to (REVIEW_READ_ANYWAY: its page then offers that choice); else 404."""
    review = db.session.get(Review, review_id)
    if review is None:
        abort(404)
    load_case(review.case_id)
    if not (
        can(current_user, Permission.REVIEW_READ_FEEDBACK, review)
        or can(current_user, Permission.REVIEW_READ_ANYWAY, review)
    ):
        refuse(review, group_id=review.case.group_id)
    return review


def load_annotation(annotation_id: int) -> Annotation:
    """An annotation, if its case is visible and its visibility includes the user; else 404."""
    annotation = db.session.get(Annotation, annotation_id)
    if annotation is None:
        abort(404)
    load_case(annotation.case_id)
    if not can(current_user, Permission.ANNOTATION_VIEW, annotation):
        refuse(annotation, group_id=annotation.case.group_id)
    return annotation


def load_case(case_id: int) -> Case:
    """The case, if the current user may see it; 404 otherwise (drafts of others included)."""
    # What the checks read (group, author, flags) in the case's own statement, not one each.
    case = load_in_group(
        Case,
        case_id,
        options=(joinedload(Case.group), joinedload(Case.author), joinedload(Case.flags)),
    )
    if not can(current_user, Permission.CASE_VIEW, case):
        refuse(case)
    return _keep(case)


def load_thread(thread_id: int) -> Thread:
    """A thread, if the user may read it (a case's thread: if they may read the case); else 404."""
    thread = load_in_group(Thread, thread_id)
    if thread.case_id is not None:
        load_case(thread.case_id)
    if not can(current_user, Permission.THREAD_VIEW, thread):
        refuse(thread)
    return _keep(thread)


def load_post(post_id: int) -> Post:
    """A post, if its thread is readable (what of it shows is POST_READ's); else 404."""
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404)
    load_thread(post.thread_id)
    return post


# A notification belongs to its user alone. Who is told of something is decided with ``can``
# itself (the single-object rules), with the roles of everyone concerned loaded in one query
# (``roles_known``).


def load_notification(notification_id: int) -> Notification:
    """One of the current user's notifications; anyone else's answers 404, as if missing."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or not current_user.is_authenticated:
        abort(404)
    if notification.user_id != current_user.id:
        refuse(notification)
    return notification


def load_person(user_id: int) -> User:
    """Someone who shares a group with the current user; anyone else answers 404."""
    person = db.session.get(User, user_id)
    if person is None or not current_user.is_authenticated:
        abort(404)
    theirs = select(Membership.group_id).where(Membership.user_id == person.id)
    shared = db.session.scalar(
        select(Membership.id)
        .where(Membership.user_id == current_user.id, Membership.group_id.in_(theirs))
        .limit(1)
    )
    if shared is None:
        refuse(person)
    return person


def load_growth_of(user_id: int) -> User:
    """The supervisee whose growth page is asked for, if the current user may read it: the
    supervisee, or a reviewer they shared it with. Anyone else, facilitators included, gets
    404, as if there were no such page."""
    supervisee = db.session.get(User, user_id)
    if supervisee is None:
        abort(404)
    if not can(current_user, Permission.GROWTH_VIEW, supervisee):
        refuse(supervisee)
    return _keep(supervisee)


# -- Supervision agreements and credentials ------------------------------------------------------


def load_agreement(agreement_id: int) -> Agreement:
    """An agreement, if the user is one of its parties or facilitates its group; else 404."""
    agreement = load_in_group(Agreement, agreement_id)
    if not can(current_user, Permission.AGREEMENT_VIEW, agreement):
        refuse(agreement)
    return _keep(agreement)


def load_own_credential(credential_id: int) -> Credential:
    """One of the current user's credentials; anyone else's answers 404, as if missing."""
    credential = db.session.get(Credential, credential_id)
    if credential is None or not current_user.is_authenticated:
        abort(404)
    if credential.user_id != current_user.id:
        refuse(credential)
    return credential


def load_meeting(meeting_id: int) -> Meeting:
    """A meeting entry, if the user may read it (its supervisor, an attendee, a facilitator of
    its group); anyone else, other members included, gets 404."""
    meeting = load_in_group(Meeting, meeting_id)
    if not can(current_user, Permission.MEETING_VIEW, meeting):
        refuse(meeting)
    return _keep(meeting)


# -- Evaluations: whoever may not read one is not admitted it exists (404).


def load_evaluation(evaluation_id: int) -> Evaluation:
    evaluation = load_in_group(Evaluation, evaluation_id)
    if not can(current_user, Permission.EVALUATION_VIEW, evaluation):
        refuse(evaluation)
    return _keep(evaluation)


def load_supervisor_evaluation(evaluation_id: int) -> SupervisorEvaluation:
    evaluation = load_in_group(SupervisorEvaluation, evaluation_id)
    if not can(current_user, Permission.SUPERVISOR_EVALUATION_VIEW, evaluation):
        refuse(evaluation)
    return _keep(evaluation)


# -- Audit trail: a group's entries are its facilitators'; anyone else is not admitted they exist.


def load_group_audit(group_id: int) -> Group:
    group = load_group(group_id)
    if not can(current_user, Permission.GROUP_AUDIT, group):
        refuse(group)
    return group


def load_emergency_grant(grant_id: int) -> EmergencyGrant:
    """An emergency grant, for the site admins' pages (the view requires EMERGENCY_OPEN)."""
    grant = db.session.get(EmergencyGrant, grant_id)
    if grant is None:
        abort(404)
    return grant
