"""Notifications that follow other features' hooks, registered by ``create_app``.

Kept apart from the blueprint: the case services import the notification services, so the
notifications package must not import the case gate when it is first loaded.
"""

from __future__ import annotations

from supervision.cases.gate import register_share_hook
from supervision.extensions import db
from supervision.models import Case, CaseRevision, CaseStatus, User
from supervision.notifications.events import notify_case_shared


def _case_shared(case: Case, revision: CaseRevision, first_share: bool) -> None:
    # A later revision is not news to the group; a case awaiting approval is told when approved.
    if first_share and case.status is CaseStatus.SHARED:
        notify_case_shared(case, actor=db.session.get(User, case.author_id))


def register_hooks() -> None:
    register_share_hook(_case_shared)
