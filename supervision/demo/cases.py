"""Demo case vignettes, taken through the same services a real author uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from supervision.cases.gate import resolve_finding, review_revision, share_case
from supervision.cases.privacy import flag_case
from supervision.cases.sections import CHECKLIST_KEYS, SECTION_KEYS
from supervision.cases.services import close_case, create_case, latest_revision, save_case
from supervision.demo.vignettes import DEMO_VIGNETTES, PEER_DISCUSSION_FLAG_REASON, DemoVignette
from supervision.extensions import db
from supervision.models import Case, Group, Role, User

if TYPE_CHECKING:
    from supervision.demo.workspace import DemoWorkspace

DEMO_RESOLUTION = "Pseudonym or invented detail (demo workspace)"


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
        first_moment = vignette.revisions[0] if vignette.revisions else vignette.moment
        case = create_case(group, author, vignette.title, _sections(vignette, first_moment))
        case.is_demo = True
        cases.append(case)
        if vignette.state == "draft":
            continue  # left with its scanner findings open, to show the gate
        if vignette.state == "pending_approval":
            group.require_case_approval = True
        _share(case, author, vignette.altered_note)
        group.require_case_approval = False
        for later in [*vignette.revisions[1:], vignette.moment] if vignette.revisions else []:
            save_case(case, author, vignette.title, _sections(vignette, later), case.edit_version)
            _share(case, author, vignette.altered_note)
        if vignette.state == "closed":
            close_case(case)
        elif vignette.state == "flagged":
            flag_case(case, _reader(group, author), "", PEER_DISCUSSION_FLAG_REASON)
    db.session.flush()
    return cases
