"""A case's own discussion thread, opened when the case is first shared. Importing this module
registers the share hook (redaction of every thread of the group: ``discussions.redaction``)."""

from __future__ import annotations

from sqlalchemy import select

from supervision.cases.gate import register_share_hook
from supervision.extensions import db
from supervision.models import Case, CaseRevision, Thread
from supervision.models.types import utcnow

CASE_THREAD_TITLE = "Case discussion"


def case_thread(case: Case) -> Thread | None:
    return db.session.scalar(select(Thread).where(Thread.case_id == case.id))


def open_case_thread(case: Case) -> Thread:
    """The case's own discussion thread (created once; the case's author starts it).

    Its title is not a copy of the case's (pages show the case's own, current title), so a
    redaction of the case never has to chase it."""
    thread = case_thread(case)
    if thread is None:
        thread = Thread(
            group_id=case.group_id,
            case_id=case.id,
            title=CASE_THREAD_TITLE,
            author_id=case.author_id,
            last_post_at=utcnow(),
        )
        db.session.add(thread)
        db.session.flush()
    return thread


@register_share_hook
def _open_thread_on_first_share(case: Case, revision: CaseRevision, first_share: bool) -> None:
    if first_share:
        open_case_thread(case)
