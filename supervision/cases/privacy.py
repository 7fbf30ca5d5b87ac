"""Privacy flags and redaction.

Redaction is one service: it scrubs a passage from every revision of the case and then calls
every registered hook, so later features (annotations, notifications, exports) remove their
own copies in the same transaction.

Where a passage is scrubbed: everything attached to the case (revisions, flags, gate answers,
and through the hooks its annotations and reviews), and the places the case's group shares
(every thread of the group, its posts and their history, the group's notifications and the mail
they queued). Never another group's data: whoever may redact a case can change only what its
own group holds, and another case's text is its author's to redact.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from supervision.cases.sections import SECTION_KEYS
from supervision.cases.services import CaseError, published_revision
from supervision.extensions import db
from supervision.models import Case, CaseFlag, FindingResolution, Redaction, User
from supervision.models.case import REASON_MAX, TITLE_MAX
from supervision.models.types import utcnow
from supervision.rendering import markdown_to_text, render_markdown

REDACTED = "[redacted]"
PASSAGE_MAX = 2_000

# hook(case, passage) -> occurrences it removed; called before the revisions are scrubbed.
RedactionHook = Callable[[Case, str], int]
_redaction_hooks: list[RedactionHook] = []


def register_redaction_hook(hook: RedactionHook) -> RedactionHook:
    """Register ``hook(case, passage) -> occurrences removed``; usable as a decorator."""
    if hook not in _redaction_hooks:
        _redaction_hooks.append(hook)
    return hook


def scrub(text: str, passage: str, limit: int | None = None) -> str:
    """``text`` with every ``passage`` replaced by ``[redacted]``, cut to fit a column of
    ``limit`` characters (the marker is longer than a short passage)."""
    if not passage or passage not in text:
        return text
    scrubbed = text.replace(passage, REDACTED)
    return scrubbed[:limit] if limit is not None else scrubbed


def flag_case(case: Case, user: User, passage: str, reason: str) -> CaseFlag:
    """Hide the case at once from everyone but its author and the facilitators."""
    passage = passage.strip()
    reason = " ".join(reason.split())
    if not reason:
        raise CaseError("Say what could identify the client, so the author knows what to change.")
    if len(reason) > REASON_MAX:
        raise CaseError(f"Keep the reason under {REASON_MAX} characters.")
    if len(passage) > PASSAGE_MAX:
        raise CaseError(f"Quote at most {PASSAGE_MAX} characters of the passage.")
    revision = published_revision(case)
    if revision is None:
        raise CaseError("Only a shared case can be flagged.")
    shown = [revision.title] + [
        text
        for key in SECTION_KEYS
        for text in (getattr(revision, key) or "", markdown_to_text(getattr(revision, key) or ""))
    ]
    if passage and not any(passage in text for text in shown):
        raise CaseError(
            "That passage is not in the case as shared. Copy it exactly, or leave the "
            "passage empty to flag the whole case."
        )
    flag = CaseFlag(
        case=case,
        revision_number=revision.number,
        passage=passage,
        reason=reason,
        flagged_by_id=user.id,
    )
    db.session.add(flag)
    db.session.flush()
    return flag


def clear_flag(flag: CaseFlag, user: User) -> None:
    if flag.closed_at is not None:
        raise CaseError("This flag is already closed.")
    flag.closed_at, flag.closed_by_id, flag.closed_how = utcnow(), user.id, "cleared"
    db.session.flush()


def _all_text(case: Case) -> str:
    """Every revision's text (source and as rendered for readers), for containment checks."""
    parts = []
    for revision in case.revisions:
        parts.append(revision.title)
        for key in SECTION_KEYS:
            parts.append(getattr(revision, key) or "")
            parts.append(markdown_to_text(getattr(revision, key) or ""))
    return "\n\u0000".join(parts)


def open_flags(case: Case) -> list[CaseFlag]:
    return [flag for flag in case.flags if flag.closed_at is None]


def redact_passage(case: Case, user: User, passage: str) -> int:
    """Replace ``passage`` in every revision (and every hooked copy). Returns occurrences."""
    passage = passage.strip()
    if len(passage) < 2:
        raise CaseError("Give the exact passage to redact (at least two characters).")
    if len(passage) > PASSAGE_MAX:
        raise CaseError(f"Redact at most {PASSAGE_MAX} characters at a time.")
    sources = [r.title for r in case.revisions] + [r.altered_note or "" for r in case.revisions]
    sources += [getattr(r, key) or "" for r in case.revisions for key in SECTION_KEYS]
    if not any(passage in text for text in sources):
        raise CaseError(
            "That passage does not appear in any revision of this case. If it spans "
            "formatting (emphasis, a link, a line break), redact a shorter piece."
        )
    # Hooks run while the revisions still hold the old text, so they can map positions.
    occurrences = sum(hook(case, passage) for hook in _redaction_hooks)
    for revision in case.revisions:
        for key in SECTION_KEYS:
            text = getattr(revision, key) or ""
            if passage in text:
                occurrences += text.count(passage)
                scrubbed = text.replace(passage, REDACTED)
                setattr(revision, key, scrubbed)
                setattr(revision, f"{key}_html", render_markdown(scrubbed))
        if passage in revision.title:
            occurrences += revision.title.count(passage)
            revision.title = scrub(revision.title, passage, TITLE_MAX)
        if passage in (revision.altered_note or ""):
            occurrences += revision.altered_note.count(passage)
            revision.altered_note = revision.altered_note.replace(passage, REDACTED)
    case.title = scrub(case.title, passage, TITLE_MAX)
    now = utcnow()
    remaining = _all_text(case)
    for flag in case.flags:
        flag.passage = flag.passage.replace(passage, REDACTED)
        flag.reason = scrub(flag.reason, passage, REASON_MAX)
        if flag.passage and flag.passage not in remaining:  # it overlapped the passage
            flag.passage = REDACTED
        if flag.closed_at is None and REDACTED in flag.passage:
            flag.closed_at, flag.closed_by_id, flag.closed_how = now, user.id, "redacted"
    for resolution in db.session.scalars(
        select(FindingResolution).where(FindingResolution.case_id == case.id)
    ):
        if resolution.text not in remaining:
            db.session.delete(resolution)  # the text it answered for is gone
        else:  # the author's reason may name the passage too
            resolution.reason = scrub(resolution.reason, passage, REASON_MAX)
    case.edit_version += 1  # an edit form opened before this must not bring the passage back
    db.session.add(Redaction(case_id=case.id, redacted_by_id=user.id, occurrences=occurrences))
    db.session.flush()
    return occurrences
