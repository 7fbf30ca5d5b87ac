"""The predicates: each a one-line rule about a user and an object, granting permissions in the
map (permission_map.py). A predicate that needs another permission asks ``holds``.
"""

from __future__ import annotations

from typing import Any

from supervision.models import (
    Annotation,
    AnnotationVisibility,
    Case,
    CaseStatus,
    Group,
    GroupKind,
    Post,
    Review,
    ReviewStatus,
    Role,
    Thread,
    User,
)
from supervision.permissions.facts import (
    answered_reviews,
    answers_about,
    growth_share_groups,
    opening_post_id,
    review_statuses,
    role_in,
    self_assessing,
    submitted_reviews_of,
    supervisor_ids_of,
    threads_posted_in,
    unblinded_revisions,
)
from supervision.permissions.permission import Permission, holds


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


def is_reviewing_role(role: Role | None, group: Group) -> bool:
    """Who reviews in a group: every member of a peer group; supervisors and facilitators of
    a supervision group. The one statement of that rule (the SQL twins ask it too)."""
    if group.kind is GroupKind.PEER:
        return role is not None
    return role in (Role.SUPERVISOR, Role.FACILITATOR)


def reviews_in_group(user: User, case: Case) -> bool:
    """Holds a reviewing role for this case (whatever its state)."""
    if case.author_id == user.id:
        return False
    return is_reviewing_role(role_in(user, case.group), case.group)


def may_review(user: User, case: Case) -> bool:
    """Supervisors (and facilitators) review in a supervision group; in a peer group, every
    member except the author."""
    if case.status is not CaseStatus.SHARED or case_open_flag(case) or case.author_id == user.id:
        return False
    return is_reviewing_role(role_in(user, case.group), case.group)


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


# -- Blind scoring: a reviewer reads no other review of a revision (levels, comments, feedback)
# while still to score it blind, unless they choose to, and their review is then not blind.


def scoring_blind(user: User, case: Case, revision_number: int) -> bool:
    """Still to score this revision blind: one has a draft review of it, or (facilitators
    aside: they see all until they start a review) may start one; and has not chosen to read
    the other reviews of it first."""
    key = (case.id, revision_number)
    status = review_statuses(user).get(key)
    if status is None:
        still_to_score = (
            revision_number == case.published_number
            and not is_case_facilitator(user, case)
            and holds(user, Permission.CASE_REVIEW, case)
        )
    else:
        still_to_score = status is ReviewStatus.DRAFT
    return still_to_score and key not in unblinded_revisions(user)


def blind_to(user: User, review: Review) -> bool:
    """Someone else's review of a revision the user is still to score blind."""
    case, number = review.case, review.revision_number
    return review.reviewer_id != user.id and scoring_blind(user, case, number)


def scoring_self_first(user: User, review: Review) -> bool:
    """The case's author is scoring this revision themselves: others' reviews of it wait."""
    key = (review.case_id, review.revision_number)
    return review.reviewer_id != user.id and key in self_assessing(user)


def oversees_review(user: User, review: Review) -> bool:
    return review.status is not ReviewStatus.DRAFT and is_facilitator(user, review.case.group)


def released_to_group_reader(user: User, review: Review) -> bool:
    return review.status is ReviewStatus.RELEASED and is_group_reader(user, review.case)


def review_facilitator(user: User, review: Review) -> bool:
    return (
        oversees_review(user, review)
        and not blind_to(user, review)
        and not scoring_self_first(user, review)
    )


def unblinded_co_reviewer(user: User, review: Review) -> bool:
    """Blind scoring: others' scores on a revision show once one's own review of it is in."""
    return (
        review.status is not ReviewStatus.DRAFT
        and (review.case_id, review.revision_number) in submitted_reviews_of(user)
        and is_member(user, review.case.group)
    )


def author_of_released(user: User, review: Review) -> bool:
    return (
        review.status is ReviewStatus.RELEASED
        and is_case_author(user, review.case)
        and not scoring_self_first(user, review)
    )


def group_reader_of_released(user: User, review: Review) -> bool:
    return (
        released_to_group_reader(user, review)
        and not blind_to(user, review)
        and not scoring_self_first(user, review)
    )


def group_reader_of_shared_scores(user: User, review: Review) -> bool:
    return review.case.scores_visible_to_group and group_reader_of_released(user, review)


def blind_reader(user: User, review: Review) -> bool:
    """Would read the review, but is still to score its revision blind: may choose to."""
    return blind_to(user, review) and (
        oversees_review(user, review) or released_to_group_reader(user, review)
    )


def reconciler(user: User, case: Case) -> bool:
    reviewed = any(case_id == case.id for case_id, _ in submitted_reviews_of(user))
    return is_group_reader(user, case) and (reviewed or is_case_facilitator(user, case))


def annotator(user: User, case: Case) -> bool:
    """Readers other than the author annotate a shared case (closed cases are read-only)."""
    return (
        case.status is CaseStatus.SHARED
        and case.author_id != user.id
        and holds(user, Permission.CASE_VIEW, case)
    )


def is_annotation_author(user: User, annotation: Annotation) -> bool:
    # The case must still be readable: a flag hides its annotations from their writers too.
    return annotation.author_id == user.id and holds(user, Permission.CASE_VIEW, annotation.case)


def annotation_audience(user: User, annotation: Annotation) -> bool:
    """Who may read an annotation, by the visibility its author chose."""
    case = annotation.case
    if not holds(user, Permission.CASE_VIEW, case):
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


# -- Calibration of raters: a facilitator keeps a calibration vignette's gold levels; raters
# (whoever may review it) score it blind like any review, and read the gold levels, and how
# they diverged from them, once their own review is in. A facilitator reads everyone's agreement
# (unless she is still to score the vignette blind herself); a rater reads only their own.


def rates_in_group(user: User, group: Group) -> bool:
    """Holds a reviewing role in the group: who takes part in calibration rounds."""
    return is_reviewing_role(role_in(user, group), group)


def calibration_marker(user: User, case: Case) -> bool:
    return case.status in (CaseStatus.PENDING, CaseStatus.SHARED) and is_case_facilitator(
        user, case
    )


def gold_keeper(user: User, case: Case) -> bool:
    """A facilitator of a calibration vignette she may read, unless still to score it blind."""
    return (
        case.is_calibration
        and is_case_facilitator(user, case)
        and holds(user, Permission.CASE_VIEW, case)
        and not (
            case.published_number is not None and scoring_blind(user, case, case.published_number)
        )
    )


def gold_keeper_of_open(user: User, case: Case) -> bool:
    return case.status is not CaseStatus.CLOSED and gold_keeper(user, case)


def calibration_rater_submitted(user: User, case: Case) -> bool:
    """Has submitted a review of the calibration vignette (of any revision)."""
    return (
        case.is_calibration
        and any(case_id == case.id for case_id, _ in submitted_reviews_of(user))
        and holds(user, Permission.CASE_VIEW, case)
    )


# -- Discussions ---------------------------------------------------------------------------------


def thread_reader(user: User, thread: Thread) -> bool:
    """A case's own thread is read by whoever may read the case; a free thread by the group."""
    if thread.case_id is not None:
        return holds(user, Permission.CASE_VIEW, thread.case)
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
    return post.is_visible and holds(user, Permission.THREAD_READ_REPLIES, post.thread)


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


# -- The supervisory relationship ----------------------------------------------------------------

# A supervisor sees relationship answers only pooled over at least this many (trend.py pools
# them in blocks of this size): fewer could be read as one person's answer.
MIN_POOLED_ANSWERS = 3


def checks_in_after_review(user: User, review: Review) -> bool:
    """The author of a case answers a relationship check, once, about the reviewer of a
    released review of it (the review's page and the check-ins page offer it)."""
    return (
        review.reviewer_id != user.id
        and review.id not in answered_reviews(user)
        and author_of_released(user, review)
        and not review.reviewer.is_deleted  # privacy: nobody to ask about any more
    )


def supervised_by(user: User, supervisor: User) -> bool:
    """Someone who released a review of one's case, in a group both still belong to."""
    return supervisor.id in supervisor_ids_of(user)


def own_pooled_trend(user: User, whose: User) -> bool:
    """One's own relationship trend, once enough answers pool to keep each one private."""
    return whose.id == user.id and answers_about(user) >= MIN_POOLED_ANSWERS


# -- Growth: a supervisee's page of their released levels over time. Only they, and the
# reviewers they chose (per group), may read it; not even a facilitator otherwise.


def is_self(user: User, supervisee: User) -> bool:
    return isinstance(supervisee, User) and supervisee.id == user.id


def growth_shared_with_viewer(user: User, supervisee: User) -> bool:
    return isinstance(supervisee, User) and bool(growth_share_groups(user, supervisee))


def growth_reader_of_released(user: User, review: Review) -> bool:
    """The author shared their growth with the user for this group: their released levels show,
    unless the user is still to score that revision blind."""
    case = review.case
    return (
        review.status is ReviewStatus.RELEASED
        and case.group_id in growth_share_groups(user, case.author)
        and holds(user, Permission.CASE_VIEW, case)
        and not blind_to(user, review)
    )


def author_of_shared(user: User, case: Case) -> bool:
    """The author may score their own shared revision (a self-assessment)."""
    return (
        case.status is CaseStatus.SHARED
        and case.published_number is not None
        and is_case_author(user, case)
    )
