"""Who may do what: each permission is granted when any of its predicates holds. Views call
``require``; templates call ``can`` (registered as a Jinja global).
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from supervision.models import User
from supervision.permissions.denials import refuse
from supervision.permissions.permission import GRANTS, Permission, Predicate, holds
from supervision.permissions.predicates import (
    annotation_author_on_open_case,
    annotation_reader,
    annotator,
    author_of_editable,
    author_of_open_post,
    author_of_post,
    author_of_released,
    author_of_shared,
    blind_reader,
    calibration_marker,
    calibration_rater_submitted,
    case_author_reading,
    checks_in_after_review,
    facilitator_of_hidden_post,
    facilitator_of_pending,
    facilitator_oversees,
    flagged_case_facilitator,
    gold_keeper,
    gold_keeper_of_open,
    group_reader_of_released,
    group_reader_of_shared_scores,
    growth_reader_of_released,
    growth_shared_with_viewer,
    has_posted_in,
    is_authenticated,
    is_case_author,
    is_facilitator,
    is_group_reader,
    is_member,
    is_reviewer,
    is_self,
    locked_thread_reader,
    may_author_cases,
    may_review,
    open_thread_reader,
    opening_question,
    own_pooled_trend,
    post_among_readable_replies,
    post_facilitator,
    rates_in_group,
    reader_not_author,
    reader_on_open_case,
    reconciler,
    redactor,
    review_facilitator,
    reviewer_of_draft,
    reviewer_of_submitted,
    shared_case_author_or_facilitator,
    supervised_by,
    thread_facilitator,
    thread_reader,
    thread_starter,
    unblinded_co_reviewer,
    ungated_thread_reader,
)
from supervision.permissions.record_predicates import (
    agreement_facilitator,
    agreement_party,
    checks_in_after_meeting,
    evaluation_facilitator,
    evaluation_party,
    evaluation_signer,
    evaluator_drafting,
    evaluator_part_reader,
    in_supervision_group,
    is_site_admin,
    logs_meetings,
    makes_agreements,
    meeting_facilitator,
    meeting_party,
    party_to_draft,
    party_to_signed,
    schedules_evaluations,
    self_evaluating,
    self_part_reader,
    site_admin_of_open_grant,
    supervisee_responding,
    supervisor_evaluation_author,
    supervisor_evaluation_facilitator,
    supervisor_of_draft,
    supervisor_reading_shared,
    writes_supervisor_evaluations,
)

# The map itself is ``GRANTS``, the one ``holds`` reads.
PERMISSION_MAP: dict[Permission, tuple[Predicate, ...]] = GRANTS
PERMISSION_MAP.update(
    {
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
            growth_reader_of_released,
        ),
        Permission.REVIEW_READ_PRIVATE: (is_reviewer,),
        Permission.REVIEW_READ_ANYWAY: (blind_reader,),
        Permission.CASE_ANNOTATE: (annotator,),
        Permission.ANNOTATION_VIEW: (annotation_reader,),
        Permission.ANNOTATION_REPLY: (reader_on_open_case,),
        Permission.ANNOTATION_RESPOND: (case_author_reading,),
        Permission.ANNOTATION_EDIT: (annotation_author_on_open_case,),
        Permission.GROWTH_VIEW: (is_self, growth_shared_with_viewer),
        Permission.GROWTH_SHARE: (may_author_cases,),
        Permission.CASE_SELF_ASSESS: (author_of_shared,),
        # -- Calibration --
        Permission.CALIBRATION_CREATE: (is_facilitator,),
        Permission.CALIBRATION_MARK: (calibration_marker,),
        Permission.CALIBRATION_GOLD_EDIT: (gold_keeper_of_open,),
        Permission.CALIBRATION_GOLD_VIEW: (gold_keeper, calibration_rater_submitted),
        Permission.CALIBRATION_FEEDBACK: (calibration_rater_submitted,),
        Permission.CALIBRATION_REPORT_VIEW: (rates_in_group,),
        Permission.CALIBRATION_REPORT_ALL: (is_facilitator,),
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
        # -- The supervisory relationship --
        Permission.RELATIONSHIP_CHECK: (checks_in_after_review,),
        Permission.RELATIONSHIP_TALK: (supervised_by,),
        Permission.RELATIONSHIP_TREND_VIEW: (own_pooled_trend,),
        # -- Supervision agreements --
        Permission.AGREEMENT_CREATE: (makes_agreements,),
        Permission.AGREEMENT_VIEW: (agreement_party, agreement_facilitator),
        Permission.AGREEMENT_EDIT: (agreement_party,),
        Permission.AGREEMENT_SIGN: (agreement_party,),
        Permission.AGREEMENT_TEMPLATE_EDIT: (is_facilitator,),
        # -- Exports --
        Permission.GROUP_REPORTS: (is_facilitator,),
        # -- Supervision meetings --
        Permission.MEETING_LOG: (logs_meetings,),
        Permission.MEETING_LIST: (logs_meetings,),
        Permission.MEETING_VIEW: (meeting_party, meeting_facilitator),
        Permission.MEETING_EDIT: (party_to_draft,),
        Permission.MEETING_SIGN: (supervisor_of_draft,),
        Permission.MEETING_CORRECT: (party_to_signed,),
        Permission.RELATIONSHIP_CHECK_MEETING: (checks_in_after_meeting,),
        # -- Evaluations --
        Permission.EVALUATION_LIST: (in_supervision_group,),
        Permission.EVALUATION_SCHEDULE: (schedules_evaluations,),
        Permission.EVALUATION_VIEW: (evaluation_party, evaluation_facilitator),
        Permission.EVALUATION_READ_EVALUATOR_PART: (evaluator_part_reader,),
        Permission.EVALUATION_READ_SELF_PART: (self_part_reader,),
        Permission.EVALUATION_EVALUATE: (evaluator_drafting,),
        Permission.EVALUATION_SELF: (self_evaluating,),
        Permission.EVALUATION_RESPOND: (supervisee_responding,),
        Permission.EVALUATION_SIGN: (evaluation_signer,),
        Permission.SUPERVISOR_EVALUATION_CREATE: (writes_supervisor_evaluations,),
        Permission.SUPERVISOR_EVALUATION_VIEW: (
            supervisor_evaluation_author,
            supervisor_evaluation_facilitator,
            supervisor_reading_shared,
        ),
        Permission.SUPERVISOR_EVALUATION_SHARE: (supervisor_evaluation_author,),
        # -- Audit trail --
        Permission.AUDIT_VIEW_ALL: (is_site_admin,),
        Permission.GROUP_AUDIT: (is_facilitator,),
        # -- Emergency access --
        Permission.EMERGENCY_OPEN: (is_site_admin,),
        Permission.EMERGENCY_END: (site_admin_of_open_grant,),
        Permission.GROUP_EMERGENCY_VIEW: (is_facilitator,),
    }
)


def can(user: User | None, permission: Permission | str, obj: Any = None) -> bool:
    return holds(user, permission, obj)


def require(permission: Permission, obj: Any = None) -> None:
    """Abort with 403 unless the current user holds ``permission`` on ``obj``."""
    if not can(current_user, permission, obj):
        refuse(obj, 403, permission=str(permission))
