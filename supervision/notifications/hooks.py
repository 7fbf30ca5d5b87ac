"""Notifications that follow other features' hooks, registered by ``create_app``.

Kept apart from the blueprint: the case services import the notification services, so the
notifications package must not import the case gate when it is first loaded.
"""

from __future__ import annotations

from supervision.cases.gate import register_share_hook
from supervision.cases.privacy import REDACTED, register_redaction_hook
from supervision.extensions import db
from supervision.mail.redaction import redact_outbox
from supervision.models import Case, CaseRevision, CaseStatus, User
from supervision.notifications.events import notify_case_shared
from supervision.notifications.services import redact_group_notifications


def _case_shared(case: Case, revision: CaseRevision, first_share: bool) -> None:
    # A later revision is not news to the group; a case awaiting approval is told when approved.
    if first_share and case.status is CaseStatus.SHARED:
        notify_case_shared(case, actor=db.session.get(User, case.author_id))


def _passage_redacted(case: Case, passage: str) -> int:
    # The group's notifications and the mail they queued (sent or not): never another group's.
    return redact_group_notifications(case.group_id, passage, REDACTED) + redact_outbox(
        case.group_id, passage, REDACTED
    )


def register_hooks() -> None:
    register_share_hook(_case_shared)
    register_redaction_hook(_passage_redacted)
