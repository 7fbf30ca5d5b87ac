"""Writing, sharing and closing case vignettes. Plain verbs that flush and never commit."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from supervision.cases.sections import SECTION_KEYS
from supervision.extensions import db
from supervision.models import Case, CaseRevision, CaseStatus, Group, Post, Thread, User
from supervision.models.types import utcnow
from supervision.models.versioning import claim_edit_version
from supervision.notifications.events import notify_case_shared
from supervision.notifications.services import withdraw_notifications
from supervision.rendering import render_markdown

RevisionHook = Callable[[Case, CaseRevision], None]
_revision_hooks: list[RevisionHook] = []


def register_revision_hook(hook: RevisionHook) -> RevisionHook:
    """Call ``hook(case, revision)`` whenever a new or working revision's text is saved, so
    later features (annotations) can follow the text; usable as a decorator."""
    if hook not in _revision_hooks:
        _revision_hooks.append(hook)
    return hook


class CaseError(ValueError):
    """A rule about cases was broken; the message is safe to show to the user."""


class EditConflict(CaseError):
    """Someone saved the case after this form was opened."""


def latest_revision(case: Case) -> CaseRevision:
    return case.revisions[-1]


def working_revision(case: Case) -> CaseRevision | None:
    """The revision being written: the newest one, while it has not passed the gate."""
    latest = latest_revision(case)
    return latest if latest.cleared_at is None else None


def published_revision(case: Case) -> CaseRevision | None:
    if case.published_number is None:
        return None
    return next(r for r in case.revisions if r.number == case.published_number)


def revision_by_number(case: Case, number: int) -> CaseRevision | None:
    return next((r for r in case.revisions if r.number == number), None)


def revision_to_read(case: Case, number: int | None, is_author: bool) -> CaseRevision | None:
    """The revision a viewer asked for (or their default): the author reads any of their own,
    with the latest as default; everyone else only shared ones up to the published one."""
    if not number:
        return latest_revision(case) if is_author else published_revision(case)
    revision = revision_by_number(case, number)
    if revision is None or is_author:
        return revision
    if revision.cleared_at is None or revision.number > (case.published_number or 0):
        return None
    return revision


def _write_sections(revision: CaseRevision, title: str, sections: dict[str, str]) -> None:
    revision.title = " ".join(title.split())
    for key in SECTION_KEYS:
        source = (sections.get(key) or "").strip()
        setattr(revision, key, source)
        setattr(revision, f"{key}_html", render_markdown(source))
    revision.updated_at = utcnow()


def create_case(group: Group, author: User, title: str, sections: dict[str, str]) -> Case:
    case = Case(group=group, author=author, status=CaseStatus.DRAFT)
    revision = CaseRevision(number=1, created_by_id=author.id)
    _write_sections(revision, title, sections)
    case.title = revision.title
    case.revisions.append(revision)
    db.session.add(case)
    db.session.flush()
    return case


def save_case(
    case: Case, editor: User, title: str, sections: dict[str, str], edit_version: int
) -> CaseRevision:
    """Save the author's text. A shared case gets a new revision; nothing is overwritten."""
    if case.status is CaseStatus.CLOSED:
        raise CaseError("This case is closed and can no longer be edited.")
    if edit_version != case.edit_version or not claim_edit_version(case, edit_version):
        raise EditConflict(
            "This case was saved elsewhere after you opened it (another tab or device). "
            "Your text is still in the form: copy what you need, reload, and apply it again."
        )
    revision = working_revision(case)
    if revision is None:
        revision = CaseRevision(number=latest_revision(case).number + 1, created_by_id=editor.id)
        case.revisions.append(revision)
        previous = published_revision(case)
        if previous is not None:  # the author reviews the disguise again for this revision
            revision.altered_note = previous.altered_note
    _write_sections(revision, title, sections)
    if case.published_number is None:
        case.title = revision.title
    case.updated_at = utcnow()
    db.session.flush()
    for hook in _revision_hooks:
        hook(case, revision)
    return revision


def approve_case(case: Case, approver: User | None = None) -> None:
    if case.status is not CaseStatus.PENDING:
        raise CaseError("Only a case awaiting approval can be approved.")
    case.status = CaseStatus.SHARED
    case.shared_at = utcnow()
    db.session.flush()
    notify_case_shared(case, actor=approver)  # notifications: the group may read it now


def close_case(case: Case) -> None:
    if case.status is not CaseStatus.SHARED:
        raise CaseError("Only a shared case can be closed.")
    case.status = CaseStatus.CLOSED
    case.closed_at = utcnow()
    db.session.flush()


def withdraw_case(case: Case) -> None:
    """Remove the case and everything attached to it, for everyone."""
    # Notifications about it go with it, and those about posts in its discussion thread.
    withdraw_notifications("case", case.id)
    withdraw_notifications(
        "post",
        db.session.scalars(
            select(Post.id)
            .join(Thread, Post.thread_id == Thread.id)
            .where(Thread.case_id == case.id)
        ),
    )
    db.session.delete(case)
    db.session.flush()


def count_revisions(case: Case) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(CaseRevision).where(CaseRevision.case_id == case.id)
        )
        or 0
    )
