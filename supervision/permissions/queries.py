"""The SQL twins of the predicates, for lists: each selects exactly what its permission allows,
and tests check that the two agree.
"""

from __future__ import annotations

from sqlalchemy import Select, false, or_, select

from supervision.models import (
    Agreement,
    Annotation,
    AnnotationVisibility,
    Case,
    CaseFlag,
    CaseStatus,
    Evaluation,
    Group,
    GroupKind,
    Meeting,
    MeetingAttendee,
    Membership,
    Review,
    Role,
    SupervisorEvaluation,
    Thread,
    User,
)
from supervision.permissions.facts import growth_shares_counting, reading_role_in, supervisors_query
from supervision.permissions.permission import Permission, holds
from supervision.permissions.predicates import case_open_flag, is_reviewing_role


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
    if reading_role_in(user, group) is Role.FACILITATOR:
        rule = rule | (Case.status != CaseStatus.DRAFT)
    if reading_role_in(user, group) is None:
        rule = rule & false()
    return select(Case).where(Case.group_id == group.id, rule)


def visible_threads(user: User, group: Group) -> Select[tuple[Thread]]:
    """Threads of ``group`` the user may read: the SQL twin of THREAD_VIEW."""
    if reading_role_in(user, group) is None:
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


def visible_annotations(user: User, case: Case) -> Select[tuple[Annotation]]:
    """Annotations of ``case`` the user may read: the SQL twin of ANNOTATION_VIEW for one case.

    While the case may be read: one's own, and the others whose visibility reaches the user
    (the group; the case author for SUPERVISEE; its reviewers for SUPERVISEE and REVIEWERS).
    """
    query = select(Annotation).where(Annotation.case_id == case.id)
    if not holds(user, Permission.CASE_VIEW, case):
        return query.where(false())
    reaches = [AnnotationVisibility.GROUP]
    if case.author_id == user.id:
        reaches.append(AnnotationVisibility.SUPERVISEE)
    elif is_reviewing_role(reading_role_in(user, case.group), case.group):
        reaches += [AnnotationVisibility.SUPERVISEE, AnnotationVisibility.REVIEWERS]
    return query.where(or_(Annotation.author_id == user.id, Annotation.visibility.in_(reaches)))


def reviewable_cases(user: User) -> Select[tuple[Case]]:
    """Cases in any of the user's groups whose current revision they may start a review of and
    have not: CASE_REVIEW's SQL twin (``may_review``), less the revisions already reviewed."""
    open_flag = (
        select(CaseFlag.id)
        .where(CaseFlag.case_id == Case.id, CaseFlag.closed_at.is_(None))
        .exists()
    )
    reviewed = (
        select(Review.id)
        .where(
            Review.case_id == Case.id,
            Review.revision_number == Case.published_number,
            Review.reviewer_id == user.id,
        )
        .exists()
    )
    reviews_here = (Group.kind == GroupKind.PEER) | Membership.role.in_(
        [Role.SUPERVISOR, Role.FACILITATOR]
    )
    return (
        select(Case)
        .join(Group, Group.id == Case.group_id)
        .join(Membership, (Membership.group_id == Group.id) & (Membership.user_id == user.id))
        .where(
            Case.status == CaseStatus.SHARED,
            Case.author_id != user.id,
            reviews_here,
            ~open_flag,
            ~reviewed,
        )
    )


def supervisors_of(user: User) -> Select[tuple[User]]:
    """The reviewers of released reviews of the user's cases, in groups both still belong to:
    RELATIONSHIP_TALK's SQL twin (``supervised_by``). Built in facts, which caches it."""
    return supervisors_query(user)


def growth_sharers(user: User) -> Select[tuple[int, int]]:
    """(group id, supervisee id) of the growth pages shared with ``user`` that count now: the
    SQL twin of GROWTH_VIEW's ``growth_shared_with_viewer``."""
    return growth_shares_counting(user.id)


# -- Supervision agreements ----------------------------------------------------------------------


def visible_agreements(user: User, group: Group) -> Select[tuple[Agreement]]:
    """Agreements of ``group`` the user may read: the SQL twin of AGREEMENT_VIEW (a
    facilitator reads all of them, a member their own, anyone else none)."""
    query = select(Agreement).where(Agreement.group_id == group.id)
    role = reading_role_in(user, group)
    if role is Role.FACILITATOR:
        return query
    if role is None:
        return query.where(false())
    return query.where(or_(Agreement.supervisor_id == user.id, Agreement.supervisee_id == user.id))


def visible_meetings(user: User, group: Group) -> Select[tuple[Meeting]]:
    """Meetings of ``group`` the user may read: the SQL twin of MEETING_VIEW."""
    role = reading_role_in(user, group)
    if role is None:
        return select(Meeting).where(false())
    query = select(Meeting).where(Meeting.group_id == group.id)
    if role is Role.FACILITATOR:
        return query
    attended = select(MeetingAttendee.meeting_id).where(MeetingAttendee.user_id == user.id)
    return query.where(or_(Meeting.supervisor_id == user.id, Meeting.id.in_(attended)))


# -- Evaluations ---------------------------------------------------------------------------------


def visible_evaluations(user: User, group: Group) -> Select[tuple[Evaluation]]:
    """Evaluations of ``group`` the user may read: the SQL twin of EVALUATION_VIEW."""
    role = reading_role_in(user, group)
    query = select(Evaluation).where(Evaluation.group_id == group.id)
    if role is None:
        return query.where(false())
    if role is Role.FACILITATOR:
        return query
    return query.where(or_(Evaluation.supervisee_id == user.id, Evaluation.evaluator_id == user.id))


def visible_supervisor_evaluations(user: User, group: Group) -> Select[tuple[SupervisorEvaluation]]:
    """Supervisor evaluations of ``group`` the user may read: the SQL twin of
    SUPERVISOR_EVALUATION_VIEW."""
    role = reading_role_in(user, group)
    query = select(SupervisorEvaluation).where(SupervisorEvaluation.group_id == group.id)
    if role is None:
        return query.where(false())
    mine = SupervisorEvaluation.author_id == user.id
    about_me_shared = (SupervisorEvaluation.supervisor_id == user.id) & SupervisorEvaluation.shared
    if role is Role.FACILITATOR:
        not_about_me = SupervisorEvaluation.supervisor_id != user.id
        return query.where(or_(mine, about_me_shared, not_about_me))
    return query.where(or_(mine, about_me_shared))
