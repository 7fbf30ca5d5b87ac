"""The gate's "change it" answer (one occurrence replaced in place, then scanned again), the
edit link that comes back to the gate, and the re-share wording. Through the pages, without
JavaScript: plain form posts with the CSRF token."""

from __future__ import annotations

import pytest
from case_support import (
    NOTE,
    PHONE_TEXT,
    Browser,
    fetch_case,
    form_data,
    make_world,
    new_case,
    revise,
    sections,
    shared_case,
)

from supervision.cases.gate import review_revision, text_digest
from supervision.cases.services import working_revision
from supervision.deid import scan

TWICE = "My client Megan Hollis came in. Later my client Megan Hollis left."


def change_form(case, section: str, text: str, index: int, replacement: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """What the gate's "change it" form for the ``index``-th finding in ``text`` sends."""
    finding = scan(text)[index]
    return {
        "section": section,
        "start": finding.start,
        "original": finding.text,
        "digest": text_digest(text),
        "revision": working_revision(case).number,
        "replacement": replacement,
    }


def test_change_it_replaces_exactly_that_occurrence_and_scans_again(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, client=TWICE)
    author = Browser(app, w.author)
    response = author.post(
        f"/cases/{case.id}/findings/replace", change_form(case, "client", TWICE, 1, "M.")
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{case.id}/share#scan-client"

    case = fetch_case(case.id)
    revision = working_revision(case)
    assert revision.client == "My client Megan Hollis came in. Later my client M. left."
    assert revision.number == 1  # a draft is changed in place, not revised
    assert "M. left" in revision.client_html
    # scanned again: the first occurrence is untouched, and the initial is a finding of its own
    found = [(f.finding.start, f.finding.text) for f in review_revision(case, revision).findings]
    assert found == [(10, "Megan Hollis"), (48, "M.")]
    page = author.text(f"/cases/{case.id}/share")
    assert "Replaced. The text was scanned again." in page
    assert 'name="start" value="48"' in page and 'name="original" value="M."' in page


def test_change_it_works_on_the_title(app, make_user, make_group):
    w = make_world(make_user, make_group)
    title = "Megan Hollis and the gift"
    case = new_case(w.group, w.author, title)
    response = Browser(app, w.author).post(
        f"/cases/{case.id}/findings/replace", change_form(case, "title", title, 0, "M.")
    )
    assert response.status_code == 302
    case = fetch_case(case.id)
    assert working_revision(case).title == "M. and the gift"
    assert case.title == "M. and the gift"  # a draft's title follows its text
    assert review_revision(case, working_revision(case)).open_findings == []


def test_change_it_on_a_shared_case_changes_the_unshared_revision_only(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    revise(case, context=PHONE_TEXT)
    case = fetch_case(case.id)
    response = Browser(app, w.author).post(
        f"/cases/{case.id}/findings/replace",
        change_form(case, "context", PHONE_TEXT, 0, "[a phone number]"),
    )
    assert response.status_code == 302
    case = fetch_case(case.id)
    assert [r.number for r in case.revisions] == [1, 2]
    assert case.revisions[1].context == "Call me at [a phone number]"
    assert case.revisions[0].context != case.revisions[1].context
    assert case.published_number == 1


def test_change_it_refuses_when_the_text_changed_meanwhile(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, client=TWICE)
    stale = change_form(case, "client", TWICE, 1, "M.")
    revise(case, client="Now: " + TWICE)  # another tab saved a change; offsets have moved
    author = Browser(app, w.author)
    response = author.post(f"/cases/{case.id}/findings/replace", stale)
    assert response.status_code == 302
    assert working_revision(fetch_case(case.id)).client == "Now: " + TWICE  # nothing replaced
    page = author.text(f"/cases/{case.id}/share")
    assert "changed after this page was loaded, so nothing was replaced" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"replacement": "   "}, "Type what should stand in its place"),
        ({"start": 3}, "changed after this page was loaded"),
        ({"original": "Megan"}, "changed after this page was loaded"),
        ({"section": "nowhere"}, "That section does not exist."),
    ],
    ids=["blank", "wrong-offset", "wrong-text", "no-such-section"],
)
def test_change_it_refuses_what_it_cannot_apply(app, make_user, make_group, change, message):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, client=TWICE)
    author = Browser(app, w.author)
    response = author.post(
        f"/cases/{case.id}/findings/replace",
        change_form(case, "client", TWICE, 0, "M.") | change,
    )
    assert response.status_code == 302
    assert working_revision(fetch_case(case.id)).client == TWICE
    assert message in author.text(f"/cases/{case.id}/share")


def test_change_it_needs_the_csrf_token(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, client=TWICE)
    author = Browser(app, w.author)
    response = author.client.post(
        f"/cases/{case.id}/findings/replace", data=change_form(case, "client", TWICE, 0, "M.")
    )
    assert response.status_code == 400
    assert working_revision(fetch_case(case.id)).client == TWICE


def test_only_the_author_can_change_a_finding(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    revise(case, context=PHONE_TEXT)
    case = fetch_case(case.id)
    form = change_form(case, "context", PHONE_TEXT, 0, "x")
    assert Browser(app, w.reader).post(f"/cases/{case.id}/findings/replace", form).status_code in (
        403,
        404,
    )
    assert working_revision(fetch_case(case.id)).context == PHONE_TEXT


def test_change_it_keeps_the_checklist_and_note_sent_along(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, client=TWICE)
    form = change_form(case, "client", TWICE, 0, "M.") | {
        "checklist": ["age", "occupation"],
        "altered_note": NOTE,
    }
    Browser(app, w.author).post(f"/cases/{case.id}/findings/replace", form)
    revision = working_revision(fetch_case(case.id))
    assert revision.checklist == ["age", "occupation"]
    assert revision.altered_note == NOTE


def test_every_open_finding_offers_change_it_beside_not_identifying(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, client=TWICE)
    page = Browser(app, w.author).text(f"/cases/{case.id}/share")
    assert page.count(f'action="/cases/{case.id}/findings/replace"') == 2
    assert page.count('name="replacement"') == 2 and page.count('name="reason"') == 2
    assert page.count(f'name="digest" value="{text_digest(TWICE)}"') == 2
    assert 'name="start" value="10"' in page and 'name="start" value="48"' in page


# -- editing from the gate comes back to it -------------------------------------------------------


def test_edit_links_on_the_gate_return_to_the_gate(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author, client=TWICE)
    author = Browser(app, w.author)
    gate = f"/cases/{case.id}/share"
    page = author.text(gate)
    edit = f"/cases/{case.id}/edit?next={gate}"
    assert f'href="{edit}#client"' in page
    form_page = author.text(edit)
    assert f'href="{gate}">Cancel' in form_page
    texts = sections(client="My client M. came in.")
    response = author.post(
        edit, form_data("A gift", texts, edit_version=fetch_case(case.id).edit_version)
    )
    assert response.status_code == 302
    assert response.headers["Location"] == gate


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "/\\evil.example", "https://evil.example/", "/x\x01y"]
)
def test_an_unsafe_return_target_is_ignored(app, make_user, make_group, target):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author)
    author = Browser(app, w.author)
    response = author.post(
        f"/cases/{case.id}/edit",
        form_data("A gift", sections(), edit_version=fetch_case(case.id).edit_version),
        query_string={"next": target},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{case.id}"


# -- a re-share says why the checklist is asked again ----------------------------------------------


def test_a_reshare_says_why_the_checklist_is_asked_again(app, make_user, make_group):
    w = make_world(make_user, make_group)
    first = new_case(w.group, w.author)
    author = Browser(app, w.author)
    assert "Each revision is a new disclosure" not in author.text(f"/cases/{first.id}/share")

    case = shared_case(w.group, w.author)
    revise(case, moment="Revised after the first supervision.")
    page = author.text(f"/cases/{case.id}/share")
    assert "Each revision is a new disclosure, so the checklist is asked again for revision 2" in (
        page
    )
    assert "Your note from revision 1 is filled in" in page
