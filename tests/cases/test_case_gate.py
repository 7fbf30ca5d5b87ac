"""The anonymization gate: findings highlighted in place, answered by editing or with a reason,
the disguise checklist and the note; nothing reaches the group until all is done. Approval."""

from __future__ import annotations

import re

import pytest
from case_support import (
    CLEAN,
    NAME_TEXT,
    NOTE,
    PHONE_TEXT,
    Browser,
    all_revisions,
    case_links,
    fetch_case,
    form_data,
    make_world,
    new_case,
    publish,
    revise,
    sections,
    share_form,
    shared_case,
)
from markupsafe import escape
from sqlalchemy import func, select

from supervision.cases.gate import (
    GateError,
    resolve_finding,
    review_revision,
    share_case,
)
from supervision.cases.sections import CHECKLIST_KEYS, DISGUISE_CHECKLIST
from supervision.cases.services import CaseError, working_revision
from supervision.deid import scan
from supervision.extensions import db
from supervision.models import CaseStatus, FindingResolution

FINDINGS_PROBLEM = "still need"  # "... still need(s) an answer"
CHECKLIST_PROBLEM = "Confirm every item of the disguise checklist."
NOTE_PROBLEM = "Say briefly what you altered to disguise the client, and whether it matters."


def finding_of(text: str):  # type: ignore[no-untyped-def]
    """The scanner's single finding in ``text`` (the tests quote what the scanner really says)."""
    found = scan(text)
    assert len(found) == 1, found
    return found[0]


def resolve_form(section: str, text: str, revision: int, reason: str) -> dict[str, object]:
    finding = finding_of(text)
    return {
        "section": section,
        "kind": finding.kind,
        "text": finding.text,
        "revision": revision,
        "reason": reason,
    }


def test_the_scanner_finds_the_identifiers_the_tests_use():
    assert finding_of(PHONE_TEXT).text == "503-555-0100"
    assert "Megan Hollis" in finding_of(NAME_TEXT).text


# -- blocked --------------------------------------------------------------------------------------


def test_share_is_blocked_until_findings_checklist_and_note_are_done(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, context=PHONE_TEXT, client=NAME_TEXT)
    version = case.edit_version
    author = Browser(app, w.author)
    response = author.post(
        f"/cases/{case.id}/share", share_form(checklist=["age", "occupation"], note="   ")
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Not shared yet" in page
    assert "2 possible identifiers still need an answer" in page
    assert CHECKLIST_PROBLEM in page
    assert NOTE_PROBLEM in page

    case = fetch_case(case.id)
    assert case.status is CaseStatus.DRAFT and case.published_number is None
    assert case.edit_version == version
    assert all_revisions(case.id)[0].cleared_at is None
    reader = Browser(app, w.reader)
    assert reader.status(f"/cases/{case.id}") == 404
    assert case.id not in case_links(reader.text(f"/groups/{w.group.id}/cases"))


@pytest.mark.parametrize(
    ("overrides", "form", "expected"),
    [
        ({"context": PHONE_TEXT}, share_form(), "1 possible identifier still needs an answer"),
        ({}, share_form(checklist=sorted(CHECKLIST_KEYS)[1:]), CHECKLIST_PROBLEM),
        ({}, share_form(checklist=[]), CHECKLIST_PROBLEM),
        ({}, share_form(note=""), NOTE_PROBLEM),
    ],
    ids=["one-open-finding", "seven-of-eight", "no-checklist", "no-note"],
)
def test_each_missing_step_blocks_sharing_alone(
    app, make_user, make_group, overrides, form, expected
):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, **overrides)
    response = Browser(app, w.author).post(f"/cases/{case.id}/share", form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert expected in page
    problems = [FINDINGS_PROBLEM, CHECKLIST_PROBLEM, NOTE_PROBLEM]
    assert sum(problem in page for problem in problems) == 1
    assert fetch_case(case.id).status is CaseStatus.DRAFT


def test_gate_service_lists_every_problem(make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, moment=PHONE_TEXT)
    with pytest.raises(GateError) as error:
        share_case(case, w.author, [], "")
    assert len(error.value.problems) == 3
    db.session.rollback()
    with pytest.raises(GateError) as error:
        share_case(case, w.author, sorted(CHECKLIST_KEYS), "x" * 2001)
    assert any("under 2000 characters" in p for p in error.value.problems)


def test_share_page_highlights_each_finding_in_place(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, context=PHONE_TEXT, moment=NAME_TEXT)
    page = Browser(app, w.author).text(f"/cases/{case.id}/share")
    phone, name = finding_of(PHONE_TEXT), finding_of(NAME_TEXT)
    assert f'<mark id="finding-context-{phone.start}" class="finding">{phone.text}' in page
    assert f'<mark id="finding-moment-{name.start}" class="finding">{name.text}' in page
    # the text around each finding is shown with it
    assert f"{PHONE_TEXT[: phone.start]}<mark" in page
    assert "2 found, 2 still open" in page
    assert page.count('name="reason"') == 2
    # the disguise checklist: all eight items
    assert len(DISGUISE_CHECKLIST) == 8
    assert page.count('name="checklist"') == 8
    for item in DISGUISE_CHECKLIST:
        assert str(escape(item.label)) in page and f'value="{item.key}"' in page
    assert 'name="altered_note"' in page


def test_share_page_says_when_nothing_was_found(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author)
    page = Browser(app, w.author).text(f"/cases/{case.id}/share")
    assert "The scanner found nothing" in page and "<mark" not in page


def test_title_is_scanned_too(make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, "Megan Hollis and the gift")
    review = review_revision(case, working_revision(case))
    assert [f.section for f in review.open_findings] == ["title"]


# -- resolving ----------------------------------------------------------------------------------


def test_resolve_findings_on_the_page_then_share_with_the_group(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, context=PHONE_TEXT, client=NAME_TEXT)
    author = Browser(app, w.author)
    for section, text, reason in (
        ("context", PHONE_TEXT, "A made-up number from a film"),
        ("client", NAME_TEXT, "A pseudonym"),
    ):
        response = author.post(f"/cases/{case.id}/findings", resolve_form(section, text, 1, reason))
        assert response.status_code == 302
        assert response.headers["Location"] == f"/cases/{case.id}/share#findings"

    resolutions = {r.section: r for r in db.session.scalars(select(FindingResolution)).all()}
    assert set(resolutions) == {"context", "client"}
    phone = resolutions["context"]
    assert phone.text == "503-555-0100" and phone.kind == finding_of(PHONE_TEXT).kind
    assert phone.reason == "A made-up number from a film"
    assert phone.resolved_by_id == w.author.id and phone.resolved_at is not None
    assert phone.revision_number == 1

    page = author.text(f"/cases/{case.id}/share")
    assert "2 found, 0 still open" in page
    assert page.count("finding finding--resolved") == 2
    assert "Not identifying: A made-up number from a film (Alex Author," in page

    response = author.post(f"/cases/{case.id}/share", share_form())
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{case.id}"
    case = fetch_case(case.id)
    assert case.status is CaseStatus.SHARED and case.published_number == 1
    assert case.shared_at is not None
    revision = case.revisions[0]
    assert revision.cleared_at is not None and revision.cleared_by_id == w.author.id
    assert sorted(revision.checklist) == sorted(CHECKLIST_KEYS)
    assert revision.altered_note == NOTE
    assert "Shared with the group." in author.text(f"/cases/{case.id}")

    reader = Browser(app, w.reader)
    page = reader.text(f"/cases/{case.id}")
    assert "503-555-0100" in page and NOTE in page
    assert case.id in case_links(reader.text(f"/groups/{w.group.id}/cases"))


def test_answering_a_finding_keeps_the_checklist_and_note_sent_along(app, make_user, make_group):
    """app.js sends the checklist and the note with a finding's answer; nothing typed is lost."""
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, context=PHONE_TEXT)
    author = Browser(app, w.author)
    ticked = ["age", "occupation"]
    answer = {
        **resolve_form("context", PHONE_TEXT, 1, "A made-up number"),
        "checklist": ticked,
        "altered_note": "  Changed her age.  ",
    }
    assert author.post(f"/cases/{case.id}/findings", answer).status_code == 302
    page = author.text(f"/cases/{case.id}/share")
    assert "2 of 8 ticked" in page
    for key in ticked:
        assert re.search(rf'<input[^>]*\bchecked\b[^>]*value="{key}"', page), key
    assert re.search(r">\s*Changed her age.</textarea>", page)
    assert fetch_case(case.id).published_number is None  # kept, not shared

    # A failed answer (no reason) keeps them too.
    answer = {**answer, "reason": "", "checklist": [*ticked, "place"], "altered_note": "More."}
    author.post(f"/cases/{case.id}/findings", answer)
    assert "3 of 8 ticked" in author.text(f"/cases/{case.id}/share")


def test_editing_a_finding_away_also_answers_it(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, context=PHONE_TEXT)
    author = Browser(app, w.author)
    assert author.post(f"/cases/{case.id}/share", share_form()).status_code == 400
    response = author.post(
        f"/cases/{case.id}/edit",
        form_data("A gift", sections(context="Call me any time."), edit_version=case.edit_version),
    )
    assert response.status_code == 302
    assert author.post(f"/cases/{case.id}/share", share_form()).status_code == 302
    assert fetch_case(case.id).status is CaseStatus.SHARED
    assert len(all_revisions(case.id)) == 1


def test_a_resolution_needs_a_reason(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, context=PHONE_TEXT)
    author = Browser(app, w.author)
    for reason in ("", "   "):
        response = author.post(
            f"/cases/{case.id}/findings",
            resolve_form("context", PHONE_TEXT, 1, reason),
            follow_redirects=True,
        )
        assert "Give a reason" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(FindingResolution)) == 0

    finding = finding_of(PHONE_TEXT)
    revision = working_revision(case)
    with pytest.raises(CaseError, match="Say why this is not identifying"):
        resolve_finding(case, revision, w.author, "context", finding.kind, finding.text, " \n ")
    with pytest.raises(CaseError, match="under 500"):
        resolve_finding(case, revision, w.author, "context", finding.kind, finding.text, "x" * 501)


def test_only_real_findings_can_be_resolved(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, context=PHONE_TEXT)
    finding = finding_of(PHONE_TEXT)
    revision = working_revision(case)
    with pytest.raises(CaseError, match="no longer in the text"):
        resolve_finding(case, revision, w.author, "moment", finding.kind, finding.text, "r")
    with pytest.raises(CaseError, match="no longer in the text"):
        resolve_finding(case, revision, w.author, "context", finding.kind, "555", "r")
    with pytest.raises(CaseError, match="section does not exist"):
        resolve_finding(case, revision, w.author, "altered_note", finding.kind, finding.text, "r")
    db.session.rollback()

    author = Browser(app, w.author)
    response = author.post(
        f"/cases/{case.id}/findings",
        {**resolve_form("context", PHONE_TEXT, 1, "r"), "text": "invented"},
        follow_redirects=True,
    )
    assert "no longer in the text" in response.get_data(as_text=True)
    stale = author.post(
        f"/cases/{case.id}/findings", resolve_form("context", PHONE_TEXT, 7, "a reason")
    )
    assert stale.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(FindingResolution)) == 0


def test_other_members_cannot_resolve_findings(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    revise(case, context=PHONE_TEXT)
    facilitator = Browser(app, w.facilitator)
    response = facilitator.post(
        f"/cases/{case.id}/findings", resolve_form("context", PHONE_TEXT, 2, "fine")
    )
    assert response.status_code == 403
    assert facilitator.status(f"/cases/{case.id}/share") == 403
    assert db.session.scalar(select(func.count()).select_from(FindingResolution)) == 0


def test_resolution_survives_a_new_revision_while_its_text_is_unchanged(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, context=PHONE_TEXT)
    author = Browser(app, w.author)
    author.post(f"/cases/{case.id}/findings", resolve_form("context", PHONE_TEXT, 1, "Fictional"))
    assert author.post(f"/cases/{case.id}/share", share_form()).status_code == 302

    # revision 2 changes another section: the answer still holds, sharing goes through
    case = fetch_case(case.id)
    author.post(
        f"/cases/{case.id}/edit",
        form_data(
            case.title,
            sections(context=PHONE_TEXT, moment="A calmer retelling."),
            edit_version=case.edit_version,
        ),
    )
    assert [r.number for r in all_revisions(case.id)] == [1, 2]
    page = author.text(f"/cases/{case.id}/share")
    assert "1 found, 0 still open" in page and "Not identifying: Fictional" in page
    assert author.post(f"/cases/{case.id}/share", share_form()).status_code == 302
    case = fetch_case(case.id)
    assert case.published_number == 2
    [resolution] = db.session.scalars(select(FindingResolution)).all()
    assert resolution.revision_number == 1  # recorded once, when it was answered

    # revision 3 adds a new identifier: scanned again, blocked again, the group keeps revision 2
    author.post(
        f"/cases/{case.id}/edit",
        form_data(
            case.title,
            sections(context=PHONE_TEXT, moment="A calmer retelling.", reactions=NAME_TEXT),
            edit_version=case.edit_version,
        ),
    )
    response = author.post(f"/cases/{case.id}/share", share_form())
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "1 possible identifier still needs an answer" in page
    assert f'class="finding">{finding_of(NAME_TEXT).text}' in page
    assert "finding finding--resolved" in page  # the old answer still shown as answered
    case = fetch_case(case.id)
    assert case.published_number == 2
    assert all_revisions(case.id)[2].cleared_at is None
    reader_page = Browser(app, w.reader).text(f"/cases/{case.id}")
    assert "A calmer retelling." in reader_page and "Megan" not in reader_page


def test_resolution_does_not_cover_changed_text_or_another_section(make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author, context=PHONE_TEXT)  # answered during publish
    revise(case, context="Call me at 503-555-0199")
    assert len(review_revision(case, working_revision(case)).open_findings) == 1
    revise(case, context=PHONE_TEXT)
    assert review_revision(case, working_revision(case)).open_findings == []
    revise(case, context=CLEAN["context"], question=PHONE_TEXT)
    [open_finding] = review_revision(case, working_revision(case)).open_findings
    assert open_finding.section == "question"
    with pytest.raises(GateError):
        share_case(case, w.author, sorted(CHECKLIST_KEYS), NOTE)


def test_there_is_nothing_to_share_without_unshared_changes(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    author = Browser(app, w.author)
    response = author.get(f"/cases/{case.id}/share", follow_redirects=True)
    assert "Everything is already shared" in response.get_data(as_text=True)
    with pytest.raises(CaseError, match="no unshared changes"):
        share_case(case, w.author, sorted(CHECKLIST_KEYS), NOTE)


# -- approval ----------------------------------------------------------------------------------


def test_group_may_require_approval_before_the_group_sees_a_case(app, make_user, make_group):
    w = make_world(make_user, make_group, require_approval=True)
    case = new_case(w.group, w.author, "Needs approval")
    author = Browser(app, w.author)
    assert "Share for approval" in author.text(f"/cases/{case.id}/share")
    response = author.post(f"/cases/{case.id}/share", share_form(), follow_redirects=True)
    assert "Shared with the facilitators" in response.get_data(as_text=True)
    case = fetch_case(case.id)
    assert case.status is CaseStatus.PENDING and case.published_number == 1
    assert case.shared_at is None

    reader, supervisor = Browser(app, w.reader), Browser(app, w.supervisor)
    for browser in (reader, supervisor):
        assert browser.status(f"/cases/{case.id}") == 404
        assert case.id not in case_links(browser.text(f"/groups/{w.group.id}/cases"))
        assert browser.post(f"/cases/{case.id}/approve").status_code == 404
    assert author.post(f"/cases/{case.id}/approve").status_code == 403
    assert "Waiting for a facilitator" in author.text(f"/cases/{case.id}")

    facilitator = Browser(app, w.facilitator)
    page = facilitator.text(f"/cases/{case.id}")
    assert "Needs approval" in page and "Approve for the group" in page
    listing = facilitator.text(f"/groups/{w.group.id}/cases?status=pending_approval")
    assert case_links(listing) == {case.id}
    assert facilitator.post(f"/cases/{case.id}/approve").status_code == 302
    case = fetch_case(case.id)
    assert case.status is CaseStatus.SHARED and case.shared_at is not None
    assert "Needs approval" in reader.text(f"/cases/{case.id}")
    assert case.id in case_links(reader.text(f"/groups/{w.group.id}/cases"))

    # a later revision of an approved case goes straight to the group
    revise(case, moment="Revised after approval.")
    publish(case)
    case = fetch_case(case.id)
    assert case.status is CaseStatus.SHARED and case.published_number == 2
    assert "Revised after approval." in reader.text(f"/cases/{case.id}")


def test_drafts_in_an_approval_group_stay_hidden_from_the_facilitator(app, make_user, make_group):
    w = make_world(make_user, make_group, require_approval=True)
    case = new_case(w.group, w.author)
    assert Browser(app, w.facilitator).status(f"/cases/{case.id}") == 404
