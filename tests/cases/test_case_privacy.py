"""Privacy flags (hide at once, until revised or cleared) and redaction (gone from everywhere)."""

from __future__ import annotations

import pytest
from case_support import (
    CLEAN,
    NOTE,
    Browser,
    all_revisions,
    case_links,
    fetch_case,
    form_data,
    make_world,
    new_case,
    resolve_all,
    revise,
    sections,
    share_form,
    shared_case,
)
from sqlalchemy import func, select

import supervision.cases.privacy as privacy
from supervision.cases.gate import share_case
from supervision.cases.privacy import REDACTED, flag_case, redact_passage, register_redaction_hook
from supervision.cases.sections import CHECKLIST_KEYS, SECTION_KEYS
from supervision.cases.services import CaseError
from supervision.extensions import db
from supervision.models import Case, CaseFlag, CaseStatus, FindingResolution, Redaction

GIFT = "a small gift"  # a passage of CLEAN["moment"]


# -- flags ----------------------------------------------------------------------------------------


def test_a_reader_flags_a_passage_and_the_case_is_hidden_until_cleared(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author, "The gift")
    reader = Browser(app, w.reader)
    assert "Flag as identifying" in reader.text(f"/cases/{case.id}")
    assert "Passage (optional)" in reader.text(f"/cases/{case.id}/flag")

    response = reader.post(
        f"/cases/{case.id}/flag", {"passage": "a large bouquet", "reason": "Too specific"}
    )
    assert response.status_code == 400
    assert "That passage is not in the case as shared." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CaseFlag)) == 0

    response = reader.post(
        f"/cases/{case.id}/flag",
        {"passage": f"  {GIFT} ", "reason": "Her town   would know the gift"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/groups/{w.group.id}/cases"
    [flag] = db.session.scalars(select(CaseFlag)).all()
    assert flag.passage == GIFT and flag.reason == "Her town would know the gift"
    assert flag.flagged_by_id == w.reader.id and flag.revision_number == 1
    assert flag.closed_at is None

    # hidden from every other member, the flagger included
    supervisor = Browser(app, w.supervisor)
    for browser in (reader, supervisor):
        assert browser.status(f"/cases/{case.id}") == 404
        assert browser.status(f"/cases/{case.id}/revisions") == 404
        assert case.id not in case_links(browser.text(f"/groups/{w.group.id}/cases"))

    # the author and the facilitators see it, with the reason
    author, facilitator = Browser(app, w.author), Browser(app, w.facilitator)
    for browser in (author, facilitator):
        page = browser.text(f"/cases/{case.id}")
        assert "Flagged as possibly identifying" in page
        assert "Her town would know the gift" in page and f"<p>{GIFT}</p>" in page
        assert "Hidden from the group: privacy flag" in page
        assert case.id in case_links(browser.text(f"/groups/{w.group.id}/cases"))
    assert "Robin Reader" not in author.text(f"/cases/{case.id}")  # the reason, not the name
    assert "Clear this flag" not in author.text(f"/cases/{case.id}")
    assert author.post(f"/cases/{case.id}/flags/{flag.id}/clear").status_code == 403
    assert reader.post(f"/cases/{case.id}/flags/{flag.id}/clear").status_code == 404
    assert "Clear this flag" in facilitator.text(f"/cases/{case.id}")

    response = facilitator.post(f"/cases/{case.id}/flags/{flag.id}/clear")
    assert response.status_code == 302
    flag = db.session.get(CaseFlag, flag.id)
    assert flag.closed_how == "cleared" and flag.closed_by_id == w.facilitator.id
    assert "The gift" in reader.text(f"/cases/{case.id}")
    assert case.id in case_links(supervisor.text(f"/groups/{w.group.id}/cases"))
    assert "Flagged as possibly identifying" not in author.text(f"/cases/{case.id}")


def test_the_whole_case_can_be_flagged(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    response = Browser(app, w.supervisor).post(
        f"/cases/{case.id}/flag", {"passage": "", "reason": "The story itself is recognisable"}
    )
    assert response.status_code == 302
    [flag] = db.session.scalars(select(CaseFlag)).all()
    assert flag.passage == ""
    page = Browser(app, w.author).text(f"/cases/{case.id}")
    assert "The whole case was flagged." in page
    assert "The story itself is recognisable" in page
    assert Browser(app, w.reader).status(f"/cases/{case.id}") == 404


def test_a_flag_needs_a_reason_and_a_reader(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    response = Browser(app, w.reader).post(
        f"/cases/{case.id}/flag", {"passage": GIFT, "reason": "  "}
    )
    assert response.status_code == 400
    assert "Say what could identify the client." in response.get_data(as_text=True)
    author = Browser(app, w.author)
    assert author.status(f"/cases/{case.id}/flag") == 403  # not one's own case
    assert author.post(f"/cases/{case.id}/flag", {"reason": "x"}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(CaseFlag)) == 0
    with pytest.raises(CaseError, match="Say what could identify"):
        flag_case(case, w.reader, GIFT, " ")
    with pytest.raises(CaseError, match="not in the case as shared"):
        flag_case(case, w.reader, "nothing like this", "reason")


def test_flag_checks_the_shared_revision_not_the_unshared_one(make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    revise(case, moment="A new and unshared telling.")
    with pytest.raises(CaseError, match="not in the case as shared"):
        flag_case(case, w.reader, "unshared telling", "reason")
    flag = flag_case(case, w.reader, GIFT, "reason")
    assert flag.revision_number == 1
    flag_case(case, w.reader, "gift at the last", "the title")  # the title counts too


def test_a_passage_copied_from_the_rendered_page_can_be_flagged(make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author, moment="She said *thank you* and left.")
    # What the reader sees (and copies) on the page: "She said thank you and left."
    flag = flag_case(case, w.reader, "said thank you and", "a phrase she always uses")
    assert flag.passage == "said thank you and"


def test_author_sharing_a_new_revision_answers_the_flag(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    flag_case(case, w.reader, GIFT, "The gift is unusual")
    db.session.commit()
    author, reader = Browser(app, w.author), Browser(app, w.reader)
    assert "Edit" in author.text(f"/cases/{case.id}")
    response = author.post(
        f"/cases/{case.id}/edit",
        form_data(
            "A gift at the last session",
            sections(moment="At the end the client offered a token and I hesitated."),
            edit_version=fetch_case(case.id).edit_version,
        ),
    )
    assert response.status_code == 302
    assert reader.status(f"/cases/{case.id}") == 404  # saving alone does not un-hide it
    assert author.post(f"/cases/{case.id}/share", share_form()).status_code == 302

    [flag] = db.session.scalars(select(CaseFlag)).all()
    assert flag.closed_how == "revised" and flag.closed_by_id == w.author.id
    assert flag.closed_at is not None
    page = reader.text(f"/cases/{case.id}")
    assert "offered a token" in page and GIFT not in page
    assert fetch_case(case.id).published_number == 2


def test_a_flagged_closed_case_waits_for_the_facilitator(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    case.status = CaseStatus.CLOSED
    flag = flag_case(case, w.reader, "", "Recognisable")
    db.session.commit()
    assert Browser(app, w.reader).status(f"/cases/{case.id}") == 404
    assert Browser(app, w.author).status(f"/cases/{case.id}/edit") == 403
    assert (
        Browser(app, w.facilitator).post(f"/cases/{case.id}/flags/{flag.id}/clear").status_code
        == 302
    )
    assert db.session.get(CaseFlag, flag.id).closed_how == "cleared"


# -- redaction ----------------------------------------------------------------------------------


def _all_text_in_the_database() -> str:
    """Every row of every table, as text: a redacted passage must be nowhere in it."""
    db.session.expire_all()
    parts = []
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            parts.extend(repr(tuple(row)) for row in conn.execute(table.select()))
    return "\n".join(parts)


def _identifying_case(w) -> Case:  # type: ignore[no-untyped-def]
    """Revision 1 shared and flagged, revision 2 unshared; "Hollis" in many places."""
    case = new_case(
        w.group,
        w.author,
        "Megan Hollis and the gift",
        client="My client Megan Hollis came in.",
        moment="Megan Hollis said **thank you**. Then Megan Hollis left.",
    )
    resolve_all(case, w.author)
    share_case(case, w.author, sorted(CHECKLIST_KEYS), "Kept Megan Hollis as she is.")
    db.session.commit()
    flag_case(case, w.reader, "Megan Hollis came in", "Megan Hollis is her real name")
    db.session.commit()
    revise(case, reactions="I think of Megan Hollis often.")
    return case


def test_redaction_removes_a_passage_from_every_revision_and_everywhere(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = _identifying_case(w)
    assert "Hollis" in _all_text_in_the_database()
    facilitator = Browser(app, w.facilitator)
    assert "Redact everywhere" in facilitator.text(f"/cases/{case.id}/redact")

    response = facilitator.post(f"/cases/{case.id}/redact", {"passage": " Megan Hollis "})
    assert response.status_code == 302
    # revision 1: title, client, moment x2, note; revision 2: the same and reactions (the note
    # carried over)
    assert "Redacted 11 occurrences." in facilitator.text(f"/cases/{case.id}")

    revisions = all_revisions(case.id)
    assert len(revisions) == 2
    for revision in revisions:
        for key in SECTION_KEYS:
            assert "Hollis" not in getattr(revision, key), (revision.number, key)
            assert "Hollis" not in getattr(revision, f"{key}_html"), (revision.number, key)
        assert "Hollis" not in revision.title and "Hollis" not in revision.altered_note
        assert revision.client == f"My client {REDACTED} came in."
        assert revision.client_html == f"<p>My client {REDACTED} came in.</p>"
        assert revision.moment_html == (
            f"<p>{REDACTED} said <strong>thank you</strong>. Then {REDACTED} left.</p>"
        )
        assert revision.title == f"{REDACTED} and the gift"
    assert revisions[1].reactions == f"I think of {REDACTED} often."
    case = fetch_case(case.id)
    assert case.title == f"{REDACTED} and the gift"

    [flag] = case.flags
    assert flag.passage == f"{REDACTED} came in" and flag.reason == f"{REDACTED} is her real name"
    assert flag.closed_how == "redacted" and flag.closed_by_id == w.facilitator.id
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(FindingResolution)
            .where(FindingResolution.text.contains("Hollis"))
        )
        == 0
    )
    [redaction] = db.session.scalars(select(Redaction)).all()
    assert redaction.case_id == case.id and redaction.redacted_by_id == w.facilitator.id
    assert redaction.occurrences == 11

    assert "Hollis" not in _all_text_in_the_database()
    for browser, path in (
        (facilitator, f"/cases/{case.id}"),
        (facilitator, f"/cases/{case.id}/revisions?from=1&to=1"),
        (Browser(app, w.author), f"/cases/{case.id}?revision=2"),
        (Browser(app, w.author), f"/cases/{case.id}/revisions"),
        (Browser(app, w.reader), f"/cases/{case.id}"),  # the redaction answered the flag
        (Browser(app, w.reader), f"/groups/{w.group.id}/cases"),
    ):
        page = browser.text(path)
        assert "Hollis" not in page, path
    assert REDACTED in Browser(app, w.reader).text(f"/cases/{case.id}")


def test_the_author_may_redact_and_other_readers_may_not(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    for user in (w.reader, w.supervisor):
        browser = Browser(app, user)
        assert browser.status(f"/cases/{case.id}/redact") == 403
        assert browser.post(f"/cases/{case.id}/redact", {"passage": GIFT}).status_code == 403
    author = Browser(app, w.author)
    assert "Redact a passage" in author.text(f"/cases/{case.id}")
    assert author.post(f"/cases/{case.id}/redact", {"passage": GIFT}).status_code == 302
    assert GIFT not in all_revisions(case.id)[0].moment
    draft = new_case(w.group, w.author)
    assert author.status(f"/cases/{draft.id}/redact") == 403  # nothing published: just edit


def test_redacting_a_missing_passage_changes_nothing(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    facilitator = Browser(app, w.facilitator)
    response = facilitator.post(f"/cases/{case.id}/redact", {"passage": "not in this case"})
    assert response.status_code == 400
    assert "does not appear in any revision" in response.get_data(as_text=True)
    response = facilitator.post(f"/cases/{case.id}/redact", {"passage": "a"})
    assert response.status_code == 400
    assert "at least two characters" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Redaction)) == 0
    assert all_revisions(case.id)[0].moment == CLEAN["moment"]


def test_registered_redaction_hooks_are_called_and_counted(make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    calls: list[tuple[int, str]] = []

    def hook(hooked_case: Case, passage: str) -> int:
        calls.append((hooked_case.id, passage))
        return 3

    assert register_redaction_hook(hook) is hook
    register_redaction_hook(hook)  # registering twice calls it once
    try:
        count = redact_passage(case, w.facilitator, f"  {GIFT} ")
        db.session.commit()
    finally:
        privacy._redaction_hooks.remove(hook)
    assert hook not in privacy._redaction_hooks
    assert calls == [(case.id, GIFT)]
    assert count == 1 + 3
    assert db.session.scalar(select(Redaction.occurrences)) == 4


def test_redaction_drops_the_resolutions_of_the_redacted_text(make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(
        w.group,
        w.author,
        client="My client Megan Hollis came in.",
        context="Call me at 503-555-0100",
    )
    texts = set(db.session.scalars(select(FindingResolution.text)))
    assert len(texts) == 2
    redact_passage(case, w.author, "Hollis")
    db.session.commit()
    remaining = set(db.session.scalars(select(FindingResolution.text)))
    assert remaining == {"503-555-0100"}


def test_an_edit_form_opened_before_a_redaction_cannot_bring_the_passage_back(
    app, make_user, make_group
):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author, client="My client Megan Hollis came in.")
    revise(case, moment="A second telling.")  # revision 2, unshared, also names her
    author = Browser(app, w.author)
    page = author.text(f"/cases/{case.id}/edit")  # the author opens the form ...
    assert "Megan Hollis" in page
    opened_version = fetch_case(case.id).edit_version

    redact_passage(fetch_case(case.id), w.facilitator, "Megan Hollis")  # ... a facilitator redacts
    db.session.commit()

    response = author.post(  # ... and the author saves the form as it was
        f"/cases/{case.id}/edit",
        form_data(
            "A gift at the last session",
            sections(client="My client Megan Hollis came in.", moment="A second telling."),
            edit_version=opened_version,
        ),
    )
    assert response.status_code == 409
    assert "Hollis" not in all_revisions(case.id)[-1].client


def test_note_is_kept_for_review_on_a_new_revision(make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    revision = revise(case, moment="Again.")
    assert revision.number == 2 and revision.altered_note == NOTE
    assert revision.checklist in ([], None)  # confirmed again for every revision


def test_redaction_scrubs_a_flag_passage_that_overlaps_it(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author, client="My client Megan Hollis came in.")
    flag_case(case, w.reader, "client Megan Hollis", "Her real surname")
    db.session.commit()
    redact_passage(case, w.facilitator, "Hollis came in")
    db.session.commit()
    assert all_revisions(case.id)[0].client == f"My client Megan {REDACTED}."
    [flag] = db.session.scalars(select(CaseFlag)).all()
    assert "Hollis" not in flag.passage
    assert "Hollis" not in Browser(app, w.facilitator).text(f"/cases/{case.id}")


def test_redaction_drops_a_resolution_that_overlaps_it(make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author, client="My client Megan Hollis came in.")
    assert "Megan Hollis" in set(db.session.scalars(select(FindingResolution.text)))
    redact_passage(case, w.facilitator, "Hollis came in")
    db.session.commit()
    assert "Hollis" not in _all_text_in_the_database()
