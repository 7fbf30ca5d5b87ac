"""Demo case vignettes, taken through the same services a real author uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from supervision.cases.gate import resolve_finding, review_revision, share_case
from supervision.cases.privacy import flag_case
from supervision.cases.sections import CHECKLIST_KEYS, SECTION_KEYS
from supervision.cases.services import close_case, create_case, latest_revision, save_case
from supervision.demo.people import DemoWorkspace
from supervision.demo.timeline import notifications_at
from supervision.demo.vignettes import DEMO_VIGNETTES, PEER_DISCUSSION_FLAG_REASON, DemoVignette
from supervision.discussions.case_threads import case_thread
from supervision.extensions import db
from supervision.models import Case, Group, Role, User

DEMO_RESOLUTION = "Pseudonym or invented detail (demo workspace)"


@dataclass(frozen=True)
class CaseDays:
    """When a demo case happened, in days before the demo was loaded."""

    written: float  # the author began the first draft
    shared: tuple[float, ...] = ()  # each revision passed the gate, oldest first
    ended: float | None = None  # closed by its author, or flagged by a reader


# By vignette key. Annotations, reviews and discussions of a case come after its shares.
CASE_DAYS: dict[str, CaseDays] = {
    # Shared, annotated, rewritten with the dialogue, reviewed; its third revision moves a
    # sentence as an annotation suggested (demo/annotations.py).
    "too-soon-interpretation": CaseDays(written=15, shared=(14, 10.5, 5)),
    "card-with-number": CaseDays(written=1.5),  # still a draft
    "six-sessions-waiting-list": CaseDays(written=26, shared=(25, 21), ended=17),
    "filled-the-silence": CaseDays(written=3, shared=(2.5,)),  # awaiting approval since
    "ticking-boxes": CaseDays(written=8, shared=(7.5,)),
    "ended-by-email": CaseDays(written=12, shared=(11,)),
    "you-didnt-flinch": CaseDays(written=7, shared=(6.5,), ended=4),
}
REWRITTEN_BEFORE_SHARE = timedelta(hours=20)  # a later revision is written the day before
ANSWERED_BEFORE_SHARE = timedelta(minutes=10)  # the scanner's findings, just before sharing


def _sections(vignette: DemoVignette, moment: str | None = None) -> dict[str, str]:
    sections = {key: getattr(vignette, key) for key in SECTION_KEYS}
    if moment is not None:
        sections["moment"] = moment
    return sections


def _share(case: Case, author: User, note: str) -> None:
    # Demo authors answer whatever the scanner flags, as a careful author would.
    revision = latest_revision(case)
    for item in review_revision(case, revision).open_findings:
        resolve_finding(
            case,
            revision,
            author,
            item.section,
            item.finding.kind,
            item.finding.text,
            DEMO_RESOLUTION,
        )
    share_case(case, author, sorted(CHECKLIST_KEYS), note)


def _reader(group: Group, author: User) -> User:
    return next(
        m.user
        for m in sorted(group.memberships, key=lambda m: m.user_id)
        if m.user_id != author.id and m.role is not Role.FACILITATOR
    )


def load_demo_cases(workspace: DemoWorkspace) -> list[Case]:
    supervision_group, peer_group = workspace.groups
    cases = []
    for vignette in DEMO_VIGNETTES:
        group = supervision_group if vignette.group == "supervision" else peer_group
        author = workspace.users[vignette.author]
        shared = iter(CASE_DAYS[vignette.key].shared)
        first_moment = vignette.revisions[0] if vignette.revisions else vignette.moment
        case = create_case(group, author, vignette.title, _sections(vignette, first_moment))
        case.is_demo = True
        cases.append(case)
        if vignette.state == "draft":
            date_case(workspace, case)
            continue  # left with its scanner findings open, to show the gate
        if vignette.state == "pending_approval":
            group.require_case_approval = True
        with notifications_at(workspace.ago(next(shared))):
            _share(case, author, vignette.altered_note)
        group.require_case_approval = False
        for later in [*vignette.revisions[1:], vignette.moment] if vignette.revisions else []:
            save_case(case, author, vignette.title, _sections(vignette, later), case.edit_version)
            with notifications_at(workspace.ago(next(shared))):
                _share(case, author, vignette.altered_note)
        if vignette.state == "closed":
            close_case(case)
        elif vignette.state == "flagged":
            flag_case(case, _reader(group, author), "", PEER_DISCUSSION_FLAG_REASON)
        date_case(workspace, case)
    db.session.flush()
    return cases


def date_case(workspace: DemoWorkspace, case: Case) -> None:
    """Date the case, its revisions, its answers to the scanner, its flags and its own
    discussion thread from ``CASE_DAYS`` (again after each later revision)."""
    days = next(CASE_DAYS[v.key] for v in DEMO_VIGNETTES if v.title == case.title)
    for revision in case.revisions:
        if revision.number == 1:
            revision.created_at = workspace.ago(days.written)
        else:
            shared = workspace.ago(days.shared[revision.number - 1])
            revision.created_at = shared - REWRITTEN_BEFORE_SHARE
        revision.updated_at = revision.created_at  # each demo revision is written in one go
        if revision.cleared_at is not None:
            revision.cleared_at = workspace.ago(days.shared[revision.number - 1])
    cleared = {r.number: r.cleared_at for r in case.revisions if r.cleared_at is not None}
    for resolution in case.resolutions:
        resolution.resolved_at = cleared[resolution.revision_number] - ANSWERED_BEFORE_SHARE
    first = case.revisions[0]
    case.created_at = first.created_at
    case.updated_at = max([r.created_at for r in case.revisions] + list(cleared.values()))
    if case.shared_at is not None:  # not while it awaits approval
        case.shared_at = first.cleared_at
    if days.ended is not None:
        if case.closed_at is not None:
            case.closed_at = workspace.ago(days.ended)
        for flag in case.flags:
            flag.created_at = workspace.ago(days.ended)
    thread = case_thread(case)
    if thread is not None:  # opened at the first share; demo/discussions.py dates its posts
        thread.created_at = thread.last_post_at = first.cleared_at
