"""The permissions: what a view declares it needs. Which predicates grant each one is the map's
(permission_map.py)."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from werkzeug.local import LocalProxy

from supervision.models import User
from supervision.permissions.grants import grants_set_aside, read_under_grant


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
    REVIEW_READ_ANYWAY = "review.read_anyway"  # and give up scoring its revision blind
    CASE_ANNOTATE = "case.annotate"
    ANNOTATION_VIEW = "annotation.view"
    ANNOTATION_REPLY = "annotation.reply"
    ANNOTATION_RESPOND = "annotation.respond"
    ANNOTATION_EDIT = "annotation.edit"
    # -- Growth -------------------------------------------------------------------------------
    GROWTH_VIEW = "growth.view"  # on a supervisee (a user): their growth page
    GROWTH_SHARE = "growth.share"  # on a group: choose who of its reviewers sees one's growth
    CASE_SELF_ASSESS = "case.self_assess"  # the author scores their own shared revision
    # -- Calibration of raters ----------------------------------------------------------------
    CALIBRATION_CREATE = "calibration.create"  # on a group: post a calibration vignette
    CALIBRATION_MARK = "calibration.mark"  # mark a case as a calibration vignette, or unmark
    CALIBRATION_GOLD_EDIT = "calibration.gold_edit"  # record the agreed (gold) levels
    CALIBRATION_GOLD_VIEW = "calibration.gold_view"
    CALIBRATION_FEEDBACK = "calibration.feedback"  # one's own divergences from gold
    CALIBRATION_REPORT_VIEW = "calibration.report_view"  # on a group: the rounds
    CALIBRATION_REPORT_ALL = "calibration.report_all"  # on a group: every rater's agreement
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
    # -- The supervisory relationship -------------------------------------------------------
    RELATIONSHIP_CHECK = "relationship.check"  # on a released review: answer its check
    RELATIONSHIP_TALK = "relationship.talk"  # on a supervisor: "I'd like to talk"
    RELATIONSHIP_TREND_VIEW = "relationship.trend_view"  # on oneself: the pooled answers
    # -- Supervision agreements -----------------------------------------------------------
    AGREEMENT_CREATE = "agreement.create"  # on a group: start one's own agreement
    AGREEMENT_VIEW = "agreement.view"  # the two parties and the group's facilitators
    AGREEMENT_EDIT = "agreement.edit"  # a party: edit the draft, propose a change
    AGREEMENT_SIGN = "agreement.sign"  # a party: sign the newest version
    AGREEMENT_TEMPLATE_EDIT = "agreement.template_edit"  # on a group: its template
    # -- Exports ------------------------------------------------------------------------------
    GROUP_REPORTS = "group.reports"  # on a group: its reports as CSV (facilitators)
    # -- Supervision meetings -----------------------------------------------------------------
    MEETING_LOG = "meeting.log"  # on a group: list its meetings one may read, draft one
    MEETING_LIST = "meeting.list"  # on a group: its meetings page (reading only; see grants.py)
    MEETING_VIEW = "meeting.view"
    MEETING_EDIT = "meeting.edit"  # an unsigned entry
    MEETING_SIGN = "meeting.sign"
    MEETING_CORRECT = "meeting.correct"  # a signed entry: draft its correction
    RELATIONSHIP_CHECK_MEETING = "relationship.check_meeting"  # on a signed meeting attended
    # -- Evaluations (and the supervisee's evaluation of a supervisor) ----------------------
    EVALUATION_LIST = "evaluation.list"  # on a group: its evaluations page (what one may read)
    EVALUATION_SCHEDULE = "evaluation.schedule"  # on a group
    EVALUATION_VIEW = "evaluation.view"
    EVALUATION_READ_EVALUATOR_PART = "evaluation.read_evaluator_part"  # its author's until ready
    EVALUATION_READ_SELF_PART = "evaluation.read_self_part"  # its author's until ready
    EVALUATION_EVALUATE = "evaluation.evaluate"  # the evaluator's part, until it is ready
    EVALUATION_SELF = "evaluation.self"  # the supervisee's self-evaluation, until it is ready
    EVALUATION_RESPOND = "evaluation.respond"  # the supervisee's response, before any signature
    EVALUATION_SIGN = "evaluation.sign"
    SUPERVISOR_EVALUATION_CREATE = "supervisor_evaluation.create"  # on a group
    SUPERVISOR_EVALUATION_VIEW = "supervisor_evaluation.view"
    SUPERVISOR_EVALUATION_SHARE = "supervisor_evaluation.share"  # "let my supervisor read it"
    # -- Audit trail ----------------------------------------------------------------------------
    AUDIT_VIEW_ALL = "audit.view_all"  # on oneself: the whole trail (site admins)
    GROUP_AUDIT = "group.audit"  # on a group: the entries about it (its facilitators)
    # -- Emergency access (read only, time-boxed; grants.py) ---------------------------------
    EMERGENCY_OPEN = "emergency.open"  # site admins: the list of grants, and opening one
    EMERGENCY_END = "emergency.end"  # on a grant: end it before it expires
    GROUP_EMERGENCY_VIEW = "group.emergency_view"  # on a group: the grants to it (facilitators)


Predicate = Callable[[User, Any], bool]

# Which predicates grant each permission: filled once by ``permission_map`` (built from the
# predicates), read by ``holds``, so a predicate can ask for another permission without
# importing the map that imports it.
GRANTS: dict[Permission, tuple[Predicate, ...]] = {}


# What an emergency grant may give (grants.py): reading, as a facilitator reads, and nothing
# else. A permission that changes anything, or exports, is never here.
READ_PERMISSIONS = frozenset(
    {
        Permission.GROUP_VIEW,
        Permission.CASE_VIEW,
        Permission.RUBRIC_VIEW,
        Permission.REVIEW_READ_FEEDBACK,
        Permission.REVIEW_READ_SCORES,
        Permission.ANNOTATION_VIEW,
        Permission.CALIBRATION_GOLD_VIEW,
        Permission.CALIBRATION_REPORT_VIEW,
        Permission.CALIBRATION_REPORT_ALL,
        Permission.THREAD_VIEW,
        Permission.THREAD_READ_REPLIES,
        Permission.POST_READ,
        Permission.AGREEMENT_VIEW,
        Permission.MEETING_LIST,
        Permission.MEETING_VIEW,
        Permission.EVALUATION_LIST,
        Permission.EVALUATION_VIEW,
        Permission.EVALUATION_READ_EVALUATOR_PART,
        Permission.EVALUATION_READ_SELF_PART,
        Permission.SUPERVISOR_EVALUATION_VIEW,
    }
)


def holds(user: User | None, permission: Permission | str, obj: Any = None) -> bool:
    """Whether any predicate granting ``permission`` holds for ``user`` on ``obj`` (or, for a
    read permission, would hold under the user's open emergency grant)."""
    if isinstance(user, LocalProxy):
        # current_user: the user itself from here on, as every attribute read through the
        # proxy looks the request context up again (hundreds of reads on a list page).
        user = user._get_current_object()
    if user is None or not user.is_authenticated:
        return False
    permission = Permission(permission)
    predicates = GRANTS[permission]
    if permission not in READ_PERMISSIONS:
        with grants_set_aside():
            return any(predicate(user, obj) for predicate in predicates)
    if any(predicate(user, obj) for predicate in predicates):
        return True
    return read_under_grant(user, obj, predicates)
