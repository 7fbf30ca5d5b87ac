"""Case vignettes through the pages: writing, who sees what, revisions, closing, withdrawing,
the lists and their filters."""

from __future__ import annotations

import html
import re

import pytest
from case_support import (
    CLEAN,
    CLEAN_TITLE,
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
    shared_case,
)
from markupsafe import escape
from sqlalchemy import event, func, select

from supervision.cases.sections import SECTIONS
from supervision.cases.services import close_case
from supervision.deid import scan
from supervision.extensions import db
from supervision.models import (
    Case,
    CaseFlag,
    CaseRevision,
    CaseStatus,
    FindingResolution,
    GroupKind,
    Role,
)

# -- writing ------------------------------------------------------------------------------------


def test_clean_text_has_no_findings():
    # The other tests rely on this text passing the scanner untouched.
    assert scan(CLEAN_TITLE) == []
    for key, text in CLEAN.items():
        assert scan(text) == [], key


def test_supervisee_writes_a_draft_through_the_form(app, make_user, make_group):
    w = make_world(make_user, make_group)
    author = Browser(app, w.author)
    page = author.text(f"/groups/{w.group.id}/cases/new")
    assert "Disguise as you write" in page
    for section in SECTIONS:  # every section with its guidance
        assert str(escape(section.label)) in page
        assert str(escape(section.guidance)) in page

    response = author.post(
        f"/groups/{w.group.id}/cases/new",
        form_data("  A gift   at the last session ", sections(moment="She said *thank you*.")),
    )
    assert response.status_code == 302
    case = db.session.scalar(select(Case))
    assert response.headers["Location"] == f"/cases/{case.id}"
    assert case.status is CaseStatus.DRAFT
    assert case.author_id == w.author.id and case.group_id == w.group.id
    assert case.title == "A gift at the last session"
    [revision] = case.revisions
    assert revision.number == 1 and revision.cleared_at is None
    assert revision.moment == "She said *thank you*."
    assert revision.moment_html == "<p>She said <em>thank you</em>.</p>"

    page = author.text(f"/cases/{case.id}")
    assert "Draft saved. Only you can see it until you share it." in page
    assert "<p>She said <em>thank you</em>.</p>" in page
    assert "This is a draft: only you can see it." in page


def test_a_title_is_required(app, make_user, make_group):
    w = make_world(make_user, make_group)
    author = Browser(app, w.author)
    response = author.post(f"/groups/{w.group.id}/cases/new", form_data("", CLEAN))
    assert response.status_code == 400
    assert "Give the case a title." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_supervisor_cannot_write_a_case_in_a_supervision_group(app, make_user, make_group):
    w = make_world(make_user, make_group)
    supervisor = Browser(app, w.supervisor)
    assert supervisor.status(f"/groups/{w.group.id}/cases/new") == 403
    response = supervisor.post(f"/groups/{w.group.id}/cases/new", form_data("T", CLEAN))
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0
    assert "Write a case" not in supervisor.text(f"/groups/{w.group.id}/cases")


def test_peer_writes_a_case_in_a_peer_group(app, make_user, make_group):
    peer, other = make_user(), make_user()
    group = make_group(GroupKind.PEER, {other: Role.FACILITATOR, peer: Role.PEER})
    browser = Browser(app, peer)
    assert "Write a case" in browser.text(f"/groups/{group.id}/cases")
    response = browser.post(f"/groups/{group.id}/cases/new", form_data(CLEAN_TITLE, CLEAN))
    assert response.status_code == 302
    case = db.session.scalar(select(Case))
    assert case.author_id == peer.id and case.status is CaseStatus.DRAFT


def test_non_member_cannot_write_a_case(app, make_user, make_group):
    w = make_world(make_user, make_group)
    outsider = Browser(app, make_user())
    assert outsider.status(f"/groups/{w.group.id}/cases/new") == 404
    assert outsider.status(f"/groups/{w.group.id}/cases") == 404


# -- who sees a draft ---------------------------------------------------------------------------


def test_a_draft_is_the_authors_alone(app, make_user, make_group):
    w = make_world(make_user, make_group)
    draft = new_case(w.group, w.author, "Only mine")
    author = Browser(app, w.author)
    assert "Only mine" in author.text(f"/cases/{draft.id}")
    assert draft.id in case_links(author.text(f"/groups/{w.group.id}/cases"))
    for user in (w.reader, w.supervisor, w.facilitator):  # even the facilitator
        other = Browser(app, user)
        for suffix in ("", "/revisions", "/edit", "/share", "/withdraw", "/flag", "/redact"):
            assert other.status(f"/cases/{draft.id}{suffix}") == 404, (user, suffix)
        for query in ("", "?status=draft", f"?author={w.author.id}"):
            listing = other.text(f"/groups/{w.group.id}/cases{query}")
            assert draft.id not in case_links(listing) and "Only mine" not in listing


def test_unshared_revision_of_a_shared_case_is_the_authors_alone(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author, moment="The shared telling.")
    revise(case, "An unshared title", moment="The unshared telling.")
    facilitator = Browser(app, w.facilitator)
    assert facilitator.status(f"/cases/{case.id}?revision=2") == 404
    page = facilitator.text(f"/cases/{case.id}")
    assert "The shared telling." in page and "unshared" not in page
    assert "unshared" not in facilitator.text(f"/cases/{case.id}/revisions?from=1&to=2")
    assert "An unshared title" not in facilitator.text(f"/groups/{w.group.id}/cases")
    assert facilitator.status(f"/cases/{case.id}/share") == 403


def test_other_groups_cases_are_not_found(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    elsewhere = make_user()
    make_group(members={elsewhere: Role.FACILITATOR})
    outsider = Browser(app, elsewhere)
    for suffix in ("", "/revisions", "/edit", "/share", "/withdraw", "/flag", "/redact"):
        assert outsider.status(f"/cases/{case.id}{suffix}") == 404, suffix
    assert outsider.post(f"/cases/{case.id}/close").status_code == 404
    assert outsider.post(f"/cases/{case.id}/flag", {"reason": "x"}).status_code == 404
    assert outsider.status(f"/groups/{w.group.id}/cases") == 404
    assert outsider.status("/cases/999999") == 404


def test_site_admin_who_is_not_a_member_gets_404(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    admin = Browser(app, make_user(site_admin=True))
    assert admin.status(f"/cases/{case.id}") == 404
    assert admin.status(f"/cases/{case.id}/revisions") == 404
    assert admin.status(f"/groups/{w.group.id}/cases") == 404


# -- sharing, revisions -------------------------------------------------------------------------


def test_shared_case_is_visible_to_the_group(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author, "Seen by all")
    for user in (w.reader, w.supervisor, w.facilitator):
        browser = Browser(app, user)
        page = browser.text(f"/cases/{case.id}")
        assert "Seen by all" in page and "<p>I felt touched and uneasy.</p>" in page
        assert "Changed her age and occupation" in page  # the note on what was altered
        assert case.id in case_links(browser.text(f"/groups/{w.group.id}/cases"))
        assert f"/cases/{case.id}/edit" not in page  # only the author edits


def test_markdown_is_rendered_once_on_write(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author, moment="**Bold** words")
    revision = case.revisions[0]
    assert revision.moment_html == "<p><strong>Bold</strong> words</p>"
    revision.moment_html = "<p>STORED-HTML-MARKER</p>"  # the page must show what was stored
    db.session.commit()
    page = Browser(app, w.reader).text(f"/cases/{case.id}")
    assert "STORED-HTML-MARKER" in page and "<strong>Bold</strong>" not in page


def test_editing_a_draft_keeps_one_revision(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author)
    author = Browser(app, w.author)
    page = author.text(f"/cases/{case.id}/edit")
    assert CLEAN["moment"] in page and f'value="{case.edit_version}"' in page
    response = author.post(
        f"/cases/{case.id}/edit",
        form_data("New title", sections(moment="Rewritten."), edit_version=case.edit_version),
    )
    assert response.status_code == 302
    [revision] = all_revisions(case.id)
    assert revision.moment == "Rewritten." and revision.title == "New title"
    assert fetch_case(case.id).title == "New title"


def test_editing_a_shared_case_makes_revision_two_the_group_sees_after_sharing(
    app, make_user, make_group
):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author, "First title", moment="The first telling.")
    author, reader = Browser(app, w.author), Browser(app, w.reader)
    assert "Save new revision" in author.text(f"/cases/{case.id}/edit")
    response = author.post(
        f"/cases/{case.id}/edit",
        form_data(
            "Second title",
            sections(moment="The second telling."),
            edit_version=fetch_case(case.id).edit_version,
        ),
    )
    assert response.status_code == 302
    revisions = all_revisions(case.id)
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].moment == "The first telling."  # kept unchanged
    assert revisions[1].moment == "The second telling." and revisions[1].cleared_at is None
    case = fetch_case(case.id)
    assert case.published_number == 1 and case.title == "First title"

    page = reader.text(f"/cases/{case.id}")
    assert "The first telling." in page and "The second telling." not in page
    assert reader.status(f"/cases/{case.id}?revision=2") == 404
    assert "Second title" not in reader.text(f"/groups/{w.group.id}/cases")
    page = author.text(f"/cases/{case.id}")
    assert "The second telling." in page and "You have unshared changes (revision 2)" in page

    publish(case)
    page = reader.text(f"/cases/{case.id}")
    assert "The second telling." in page and "The first telling." not in page
    assert "The first telling." in reader.text(f"/cases/{case.id}?revision=1")
    assert "Second title" in reader.text(f"/groups/{w.group.id}/cases")


def test_stale_edit_answers_409_and_keeps_the_typed_text(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author)
    stale_version = case.edit_version
    revise(case, moment="Saved in another tab.")  # bumps edit_version
    author = Browser(app, w.author)
    typed = "What I typed & do not want to lose <3"
    response = author.post(
        f"/cases/{case.id}/edit",
        form_data("My typed title", sections(reactions=typed), edit_version=stale_version),
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "saved elsewhere after you opened it" in page
    assert html.escape(typed, quote=False) in page  # still in the textarea
    assert 'value="My typed title"' in page
    revision = all_revisions(case.id)[-1]
    assert revision.moment == "Saved in another tab." and revision.reactions == CLEAN["reactions"]


def test_edit_without_a_version_is_a_conflict(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author)
    response = Browser(app, w.author).post(
        f"/cases/{case.id}/edit", form_data("T", sections(moment="Lost?"))
    )
    assert response.status_code == 409
    assert "Lost?" in response.get_data(as_text=True)
    assert all_revisions(case.id)[0].moment == CLEAN["moment"]


def test_only_the_author_edits(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    for user in (w.reader, w.facilitator):
        browser = Browser(app, user)
        assert browser.status(f"/cases/{case.id}/edit") == 403
        response = browser.post(
            f"/cases/{case.id}/edit",
            form_data("Hijack", CLEAN, edit_version=fetch_case(case.id).edit_version),
        )
        assert response.status_code == 403
    assert len(all_revisions(case.id)) == 1


# -- closing and withdrawing --------------------------------------------------------------------


def test_closed_case_is_read_only(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author, "To be closed")
    reader = Browser(app, w.reader)
    assert reader.post(f"/cases/{case.id}/close").status_code == 403
    author = Browser(app, w.author)
    assert author.post(f"/cases/{case.id}/close").status_code == 302
    case = fetch_case(case.id)
    assert case.status is CaseStatus.CLOSED and case.closed_at is not None
    assert author.status(f"/cases/{case.id}/edit") == 403
    assert author.status(f"/cases/{case.id}/share") == 403
    response = author.post(
        f"/cases/{case.id}/edit", form_data("Changed", CLEAN, edit_version=case.edit_version)
    )
    assert response.status_code == 403
    assert len(all_revisions(case.id)) == 1
    page = reader.text(f"/cases/{case.id}")  # still readable
    assert "To be closed" in page and "Closed" in page


def test_facilitator_may_close_a_shared_case(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    assert Browser(app, w.facilitator).post(f"/cases/{case.id}/close").status_code == 302
    assert fetch_case(case.id).status is CaseStatus.CLOSED


def test_withdraw_asks_then_removes_everything(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author, "Going away", context="Call me at 503-555-0100")
    revise(case, moment="A second version.")
    case_id = case.id
    assert db.session.scalar(select(func.count()).select_from(FindingResolution)) == 1

    assert Browser(app, w.facilitator).status(f"/cases/{case_id}/withdraw") == 403
    author = Browser(app, w.author)
    page = author.text(f"/cases/{case_id}/withdraw")
    assert "Withdraw this case?" in page and "Going away" in page
    assert fetch_case(case_id) is not None  # asking changes nothing

    response = author.post(f"/cases/{case_id}/withdraw")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/groups/{w.group.id}/cases"
    assert fetch_case(case_id) is None
    for model in (CaseRevision, FindingResolution, CaseFlag):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model
    assert author.status(f"/cases/{case_id}") == 404
    assert Browser(app, w.reader).status(f"/cases/{case_id}") == 404
    assert "Going away" not in author.text("/cases/mine")


def test_author_may_withdraw_a_draft(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case_id = new_case(w.group, w.author).id
    assert Browser(app, w.author).post(f"/cases/{case_id}/withdraw").status_code == 302
    assert fetch_case(case_id) is None


# -- lists --------------------------------------------------------------------------------------


def test_group_list_filters_by_status_and_author(app, make_user, make_group):
    w = make_world(make_user, make_group)
    mine_shared = shared_case(w.group, w.author, "Alpha shared")
    mine_closed = shared_case(w.group, w.author, "Bravo closed")
    close_case(mine_closed)
    db.session.commit()
    theirs = shared_case(w.group, w.reader, "Charlie by reader")
    mine_draft = new_case(w.group, w.author, "Delta draft")

    author = Browser(app, w.author)
    base = f"/groups/{w.group.id}/cases"
    assert case_links(author.text(base)) == {
        mine_shared.id,
        mine_closed.id,
        theirs.id,
        mine_draft.id,
    }
    assert case_links(author.text(f"{base}?status=shared")) == {mine_shared.id, theirs.id}
    assert case_links(author.text(f"{base}?status=closed")) == {mine_closed.id}
    assert case_links(author.text(f"{base}?status=draft")) == {mine_draft.id}
    assert case_links(author.text(f"{base}?author={w.reader.id}")) == {theirs.id}
    assert case_links(author.text(f"{base}?author={w.author.id}&status=shared")) == {mine_shared.id}
    page = author.text(f"{base}?author={w.supervisor.id}")
    assert case_links(page) == set() and "No cases match these filters." in page
    # nonsense filters are ignored, not errors
    assert len(case_links(author.text(f"{base}?status=nonsense&author=abc"))) == 4

    reader = Browser(app, w.reader)
    assert case_links(reader.text(f"{base}?author={w.author.id}")) == {
        mine_shared.id,
        mine_closed.id,
    }


def _rows(page: str) -> int:
    return page.split("<tbody>")[1].split("</tbody>")[0].count("<tr>") if "<tbody>" in page else 0


def _link(page: str, rel: str) -> str:
    return html.unescape(re.search(rf'href="([^"]+)" rel="{rel}"', page).group(1))


def test_group_list_is_paginated_by_twenty(app, make_user, make_group):
    w = make_world(make_user, make_group)
    for number in range(25):
        shared_case(w.group, w.author, f"Case number {number}")
    reader = Browser(app, w.reader)
    base = f"/groups/{w.group.id}/cases"
    first = reader.text(base)
    assert _rows(first) == 20 and len(case_links(first)) == 20
    assert 'rel="prev"' not in first
    second = reader.text(_link(first, "next"))
    assert _rows(second) == 5 and len(case_links(second)) == 5
    assert case_links(first).isdisjoint(case_links(second))
    assert 'rel="next"' not in second
    assert case_links(reader.text(_link(second, "prev"))) == case_links(first)
    assert case_links(reader.text(f"{base}?at=last")) >= case_links(second)
    # An old numbered link, or a cursor that is not one, is the first page.
    assert case_links(reader.text(f"{base}?page=3")) == case_links(first)
    assert case_links(reader.text(f"{base}?after=garbage")) == case_links(first)
    filtered = reader.text(f"{base}?status=shared&author={w.author.id}")
    assert _rows(filtered) == 20
    assert "status=shared" in filtered.split('aria-label="Case pages"')[1]  # filters kept
    assert "status=shared" in _link(filtered, "next")


def _count_queries(browser: Browser, path: str) -> int:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = browser.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(statements)


def test_group_list_query_count_does_not_grow_with_cases(app, make_user, make_group):
    w = make_world(make_user, make_group)
    authors = [w.author, w.reader]
    for number in range(5):
        shared_case(w.group, authors[number % 2], f"Case {number}")
    browser = Browser(app, w.facilitator)
    path = f"/groups/{w.group.id}/cases"
    browser.get(path)  # warm up
    with_five = _count_queries(browser, path)
    for number in range(5, 25):
        shared_case(w.group, authors[number % 2], f"Case {number}")
    with_twenty_five = _count_queries(browser, path)
    assert with_five == with_twenty_five, (with_five, with_twenty_five)
    assert 0 < with_five <= 20


def test_my_cases_lists_cases_across_groups(app, make_user, make_group):
    w = make_world(make_user, make_group)
    peer_group = make_group(
        GroupKind.PEER, {make_user(): Role.FACILITATOR, w.author: Role.PEER}, name="Peer circle"
    )
    one = shared_case(w.group, w.author, "In supervision")
    two = new_case(peer_group, w.author, "In the peer circle")
    not_mine = shared_case(w.group, w.reader, "Written by someone else")
    page = Browser(app, w.author).text("/cases/mine")
    assert {one.id, two.id} <= case_links(page)
    assert not_mine.id not in case_links(page)
    assert "Tuesday supervision" in page and "Peer circle" in page
    assert "In supervision" in page and "In the peer circle" in page
    assert "Draft" in page and "Shared" in page


@pytest.mark.parametrize("path", ["/cases/mine", "/groups/1/cases", "/cases/1"])
def test_case_pages_need_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
