"""The predicates of the supervision records: agreements, meetings and evaluations. One-line
rules like those in predicates.py (kept apart so neither module grows past reading), granting
permissions in the map (permission_map.py).
"""

from __future__ import annotations

from supervision.models import (
    Agreement,
    EmergencyGrant,
    Evaluation,
    Group,
    GroupKind,
    Meeting,
    Role,
    SupervisorEvaluation,
    User,
)
from supervision.permissions.facts import role_in
from supervision.permissions.permission import Permission, holds
from supervision.permissions.predicates import is_facilitator, is_member

# -- Supervision agreements ----------------------------------------------------------------------
# Made in supervision groups, between a supervisor (or facilitator) and a supervisee.
AGREEMENT_MAKERS = (Role.SUPERVISOR, Role.FACILITATOR, Role.SUPERVISEE)


def makes_agreements(user: User, group: Group) -> bool:
    return group.kind is GroupKind.SUPERVISION and role_in(user, group) in AGREEMENT_MAKERS


def agreement_party(user: User, agreement: Agreement) -> bool:
    return agreement.party(user) is not None and is_member(user, agreement.group)


def agreement_facilitator(user: User, agreement: Agreement) -> bool:
    return is_facilitator(user, agreement.group)


# -- Supervision meetings: the supervisor and the attending supervisees draft and read an entry,
# the group's facilitators read it too; only its supervisor signs, and a signed entry is locked
# (a correction is a new entry).


def logs_meetings(user: User, group: Group) -> bool:
    return group.kind is GroupKind.SUPERVISION and role_in(user, group) in (
        Role.FACILITATOR,
        Role.SUPERVISOR,
        Role.SUPERVISEE,
    )


def meeting_party(user: User, meeting: Meeting) -> bool:
    return (meeting.supervisor_id == user.id or user.id in meeting.attendee_ids) and is_member(
        user, meeting.group
    )


def meeting_facilitator(user: User, meeting: Meeting) -> bool:
    return is_facilitator(user, meeting.group)


def party_to_draft(user: User, meeting: Meeting) -> bool:
    return not meeting.is_signed and meeting_party(user, meeting)


def supervisor_of_draft(user: User, meeting: Meeting) -> bool:
    return (
        not meeting.is_signed
        and meeting.supervisor_id == user.id
        and is_member(user, meeting.group)
    )


def party_to_signed(user: User, meeting: Meeting) -> bool:
    return meeting.is_signed and meeting_party(user, meeting)


def checks_in_after_meeting(user: User, meeting: Meeting) -> bool:
    """An attending supervisee answers a relationship check about the supervisor of a signed
    meeting, in a group both still belong to."""
    return (
        meeting.is_signed
        and meeting.supervisor_id != user.id
        and user.id in meeting.attendee_ids
        and role_in(meeting.supervisor, meeting.group) is not None
        and is_member(user, meeting.group)
    )


# -- Evaluations: each side's part is its author's alone until they mark it ready; both sign once
# both parts are ready, and after the first signature nothing changes. Read by the two parties
# and the group's facilitators; a supervisor evaluation by its author, the facilitators (but
# not one about herself) and its supervisor only while shared.


def in_supervision_group(user: User, group: Group) -> bool:
    return group.kind is GroupKind.SUPERVISION and is_member(user, group)


def schedules_evaluations(user: User, group: Group) -> bool:
    role = role_in(user, group)
    return group.kind is GroupKind.SUPERVISION and role in (Role.FACILITATOR, Role.SUPERVISOR)


def evaluation_party(user: User, evaluation: Evaluation) -> bool:
    parties = (evaluation.supervisee_id, evaluation.evaluator_id)
    return user.id in parties and is_member(user, evaluation.group)


def evaluation_facilitator(user: User, evaluation: Evaluation) -> bool:
    return is_facilitator(user, evaluation.group)


def evaluator_part_reader(user: User, evaluation: Evaluation) -> bool:
    mine = evaluation.evaluator_id == user.id
    ready = evaluation.evaluator_ready_at is not None
    return (mine or ready) and holds(user, Permission.EVALUATION_VIEW, evaluation)


def self_part_reader(user: User, evaluation: Evaluation) -> bool:
    mine = evaluation.supervisee_id == user.id
    ready = evaluation.self_ready_at is not None
    return (mine or ready) and holds(user, Permission.EVALUATION_VIEW, evaluation)


def evaluator_drafting(user: User, evaluation: Evaluation) -> bool:
    return (
        evaluation.evaluator_id == user.id
        and evaluation.evaluator_ready_at is None
        and not evaluation.any_signed
        and is_member(user, evaluation.group)
    )


def self_evaluating(user: User, evaluation: Evaluation) -> bool:
    return (
        evaluation.supervisee_id == user.id
        and evaluation.self_ready_at is None
        and not evaluation.any_signed
        and is_member(user, evaluation.group)
    )


def supervisee_responding(user: User, evaluation: Evaluation) -> bool:
    return (
        evaluation.supervisee_id == user.id
        and evaluation.both_ready
        and not evaluation.any_signed
        and is_member(user, evaluation.group)
    )


def evaluation_signer(user: User, evaluation: Evaluation) -> bool:
    """A party who has not signed yet, once both parts are ready."""
    unsigned = (evaluation.evaluator_id == user.id and evaluation.evaluator_signed_at is None) or (
        evaluation.supervisee_id == user.id and evaluation.supervisee_signed_at is None
    )
    return unsigned and evaluation.both_ready and is_member(user, evaluation.group)


def writes_supervisor_evaluations(user: User, group: Group) -> bool:
    return group.kind is GroupKind.SUPERVISION and role_in(user, group) is Role.SUPERVISEE


def supervisor_evaluation_author(user: User, evaluation: SupervisorEvaluation) -> bool:
    return evaluation.author_id == user.id and is_member(user, evaluation.group)


def supervisor_evaluation_facilitator(user: User, evaluation: SupervisorEvaluation) -> bool:
    return evaluation.supervisor_id != user.id and is_facilitator(user, evaluation.group)


def supervisor_reading_shared(user: User, evaluation: SupervisorEvaluation) -> bool:
    return (
        evaluation.shared
        and evaluation.supervisor_id == user.id
        and is_member(user, evaluation.group)
    )


# -- Site admins: the whole audit trail; emergency access (they open and end grants; a group's
# facilitators see them). What a grant lets its admin read is not here but in grants.py (read
# permissions only).


def is_site_admin(user: User, _obj: object) -> bool:
    return bool(user.is_site_admin)


def site_admin_of_open_grant(user: User, grant: EmergencyGrant) -> bool:
    return bool(user.is_site_admin) and grant.is_open()
