"""The anonymization gate: nothing reaches the group until every finding is answered, the
disguise checklist is confirmed and the author has said what they altered."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from supervision.cases.sections import CHECKLIST_KEYS, SECTION_KEYS, SECTIONS
from supervision.cases.services import CaseError, save_case, working_revision
from supervision.deid import Finding, scan
from supervision.extensions import db
from supervision.models import Case, CaseRevision, CaseStatus, FindingResolution, User
from supervision.models.case import NOTE_MAX, REASON_MAX, SECTION_MAX, TITLE_MAX
from supervision.models.types import utcnow

ShareHook = Callable[[Case, CaseRevision, bool], None]
_share_hooks: list[ShareHook] = []


def register_share_hook(hook: ShareHook) -> ShareHook:
    """Call ``hook(case, revision, first_share)`` after a revision passes the gate (discussion
    threads, notifications); usable as a decorator."""
    if hook not in _share_hooks:
        _share_hooks.append(hook)
    return hook


class GateError(CaseError):
    """The revision cannot be shared yet; ``problems`` says everything that is missing."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class SectionFinding:
    section: str
    finding: Finding
    resolution: FindingResolution | None

    @property
    def anchor(self) -> str:
        return f"finding-{self.section}-{self.finding.start}"


@dataclass(frozen=True)
class Segment:
    text: str
    finding: SectionFinding | None = None


@dataclass
class SectionReview:
    key: str
    label: str
    segments: list[Segment] = field(default_factory=list)
    findings: list[SectionFinding] = field(default_factory=list)
    digest: str = ""  # of the text as scanned: a replacement applies only to that text


@dataclass
class GateReview:
    sections: list[SectionReview]

    @property
    def findings(self) -> list[SectionFinding]:
        return [f for section in self.sections for f in section.findings]

    @property
    def open_findings(self) -> list[SectionFinding]:
        return [f for f in self.findings if f.resolution is None]


def _resolutions(case: Case) -> dict[tuple[str, str, str], FindingResolution]:
    rows = db.session.scalars(select(FindingResolution).where(FindingResolution.case_id == case.id))
    return {(r.section, r.kind, r.text): r for r in rows}


def _segments(text: str, findings: list[SectionFinding]) -> list[Segment]:
    segments, position = [], 0
    for item in findings:
        if item.finding.start > position:
            segments.append(Segment(text[position : item.finding.start]))
        segments.append(Segment(text[item.finding.start : item.finding.end], item))
        position = item.finding.end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


def review_revision(case: Case, revision: CaseRevision) -> GateReview:
    """Scan every section (and the title) and pair each finding with its recorded answer."""
    known = _resolutions(case)
    sections = []
    parts = [("title", "Title", revision.title)] + [
        (s.key, s.label, getattr(revision, s.key)) for s in SECTIONS
    ]
    for key, label, text in parts:
        found = [SectionFinding(key, f, known.get((key, f.kind, f.text))) for f in scan(text or "")]
        sections.append(
            SectionReview(key, label, _segments(text or "", found), found, text_digest(text))
        )
    return GateReview(sections)


def text_digest(text: str | None) -> str:
    """A short fingerprint of a section's text, so a form made from it can tell it changed."""
    return hashlib.sha256((text or "").encode()).hexdigest()[:32]


def _section_label(section: str) -> str:
    if section == "title":
        return "Title"
    return next(s.label for s in SECTIONS if s.key == section)


def replace_finding(
    case: Case,
    editor: User,
    section: str,
    start: int,
    original: str,
    replacement: str,
    digest: str,
) -> CaseRevision:
    """Replace one occurrence of a finding (``original`` at ``start`` of ``section``) in the
    working revision, in place. Refused if the text is not the one the author was shown."""
    revision = working_revision(case)
    if revision is None:
        raise CaseError("There are no unshared changes to share.")
    if section != "title" and section not in SECTION_KEYS:
        raise CaseError("That section does not exist.")
    label = _section_label(section)
    replacement = " ".join(replacement.split())  # in place, inside a line: no line breaks
    if not replacement:
        raise CaseError("Type what should stand in its place (e.g. a pseudonym).")
    source = (revision.title if section == "title" else getattr(revision, section)) or ""
    end = start + len(original)
    if (
        not original
        or start < 0
        or text_digest(source) != digest
        or source[start:end] != original
        or not any(f.start == start and f.text == original for f in scan(source))
    ):
        raise CaseError(
            f"{label} changed after this page was loaded, so nothing was replaced. "
            "Here is the text as it is now."
        )
    changed = source[:start] + replacement + source[end:]
    if len(changed) > (TITLE_MAX if section == "title" else SECTION_MAX):
        raise CaseError(f"That would make {label} too long.")
    title = changed if section == "title" else revision.title
    texts = {key: getattr(revision, key) or "" for key in SECTION_KEYS}
    if section != "title":
        texts[section] = changed
    return save_case(case, editor, title, texts, case.edit_version)


def resolve_finding(
    case: Case, revision: CaseRevision, user: User, section: str, kind: str, text: str, reason: str
) -> FindingResolution:
    """Record that a finding is not identifying. Only findings the scanner really made count."""
    reason = " ".join(reason.split())
    if not reason:
        raise CaseError("Say why this is not identifying (for example: a pseudonym).")
    if len(reason) > REASON_MAX:
        raise CaseError(f"Keep the reason under {REASON_MAX} characters.")
    if section != "title" and section not in SECTION_KEYS:
        raise CaseError("That section does not exist.")
    source = revision.title if section == "title" else getattr(revision, section)
    if not any(f.kind == kind and f.text == text for f in scan(source or "")):
        raise CaseError("That finding is no longer in the text; it may have been edited away.")
    existing = db.session.scalar(
        select(FindingResolution).where(
            FindingResolution.case_id == case.id,
            FindingResolution.section == section,
            FindingResolution.kind == kind,
            FindingResolution.text == text,
        )
    )
    resolution = existing or FindingResolution(
        case_id=case.id, section=section, kind=kind, text=text
    )
    resolution.reason = reason
    resolution.revision_number = revision.number
    resolution.resolved_by_id = user.id
    resolution.resolved_at = utcnow()
    db.session.add(resolution)
    db.session.flush()
    return resolution


def keep_gate_answers(revision: CaseRevision, checklist: list[str], altered_note: str) -> None:
    """Remember what the author has ticked and written so far on the unshared revision, so
    answering a finding (a page of its own) loses none of it. Nothing here shares anything."""
    if revision.cleared_at is not None:
        raise CaseError("This revision is already shared.")
    revision.checklist = sorted(CHECKLIST_KEYS & set(checklist))
    revision.altered_note = altered_note.strip()[:NOTE_MAX]
    db.session.flush()


def share_case(case: Case, user: User, checklist: list[str], altered_note: str) -> CaseRevision:
    """Pass the working revision through the gate and publish it (or queue it for approval)."""
    revision = working_revision(case)
    if revision is None:
        raise CaseError("There are no unshared changes to share.")
    problems = []
    open_count = len(review_revision(case, revision).open_findings)
    if open_count:
        problems.append(
            f"{open_count} possible identifier{'s' if open_count != 1 else ''} still "
            f"need{'' if open_count != 1 else 's'} an answer: edit the text, or mark "
            f"{'each' if open_count != 1 else 'it'} as not identifying with a reason."
        )
    missing = CHECKLIST_KEYS - set(checklist)
    if missing:
        problems.append("Confirm every item of the disguise checklist.")
    note = altered_note.strip()
    if not note:
        problems.append(
            "Say briefly what you altered to disguise the client, and whether it matters."
        )
    elif len(note) > NOTE_MAX:
        problems.append(f"Keep the note on what you altered under {NOTE_MAX} characters.")
    if problems:
        raise GateError(problems)
    now = utcnow()
    revision.checklist = sorted(CHECKLIST_KEYS)
    revision.altered_note = note
    revision.cleared_at = now
    revision.cleared_by_id = user.id
    first_share = case.published_number is None
    case.published_number = revision.number
    case.title = revision.title
    case.updated_at = now
    case.edit_version += 1
    if first_share:
        if case.group.require_case_approval:
            case.status = CaseStatus.PENDING
        else:
            case.status = CaseStatus.SHARED
            case.shared_at = now
    for flag in case.flags:  # a revision answers every open privacy flag
        if flag.closed_at is None:
            flag.closed_at, flag.closed_by_id, flag.closed_how = now, user.id, "revised"
    db.session.flush()
    for hook in _share_hooks:
        hook(case, revision, first_share)
    return revision
