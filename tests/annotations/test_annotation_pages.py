"""Annotations through the pages: the JSON endpoint, the list without JavaScript, visibility,
replies, the author's answers, editing, orphaned passages, citations and sanitizing.

Set-up goes through the services; what each member sees and may do is checked through the pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import support
from flask import Flask, g
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import event, select
from support import Browser, revise_and_share, supervision_group

# supervision.cases imports its views, which import the annotation panel and services: loading
# the package first keeps ``supervision.annotations.services`` from being imported half-way.
import supervision.cases  # noqa: F401
from supervision.annotations.panel import annotation_panel
from supervision.annotations.services import (
    cite,
    create_annotation,
    reply,
    respond,
    section_texts,
)
from supervision.cases.services import close_case
from supervision.extensions import db
from supervision.models import (
    Annotation,
    AnnotationVisibility,
    Case,
    Group,
    GroupKind,
    ResponseKind,
    Role,
    User,
)
from supervision.reviews.services import (
    ReviewInput,
    ScoreInput,
    release_review,
    save_review,
    start_review,
    submit_review,
)

TITLE = "A gift at the last session"
SECTIONS: dict[str, str] = {
    "context": "Third session of twelve, short-term counselling.",
    "client": "The client, a woman in her thirties, works in an office.",
    "moment": "At the end the client offered a small gift and I hesitated.",
    "reactions": "I felt touched and *uneasy*, and I said nothing.",
    "question": "Should I have accepted it?",
}
QUOTE = "offered a small gift"
BOUNDARIES = "Authentic presence within boundaries"


@dataclass
class World:
    group: Group
    facilitator: User
    supervisor: User
    co_supervisor: User
    author: User  # supervisee, writes the case
    peer: User  # another supervisee of the group
    outsider: User  # member of another group only
    case: Case


def shared_case(group: Group, author: User, **overrides: str) -> Case:
    return support.shared_case(group, author, TITLE, SECTIONS, **overrides)


@pytest.fixture()
def world(make_user: Callable[..., User], make_group: Callable[..., Group]) -> World:
    facilitator = make_user("Fran Facilitator")
    supervisor = make_user("Tomás Supervisor")
    co_supervisor = make_user("Kim Supervisor")
    author = make_user("Alex Author")
    peer = make_user("Robin Peer")
    outsider = make_user("Olu Outsider")
    group = supervision_group(make_group, facilitator, [supervisor, co_supervisor], [author, peer])
    make_group(GroupKind.PEER, {outsider: Role.FACILITATOR})
    case = shared_case(group, author)
    return World(group, facilitator, supervisor, co_supervisor, author, peer, outsider, case)


def selection(
    case: Case, quote: str = QUOTE, section: str = "moment", revision: int | None = None
) -> dict[str, Any]:
    """The JSON a browser sends for ``quote`` selected in ``section``."""
    number = revision or case.published_number
    assert number is not None
    found = next(r for r in case.revisions if r.number == number)
    text = section_texts(found)[section]
    start = text.index(quote)
    return {
        "revision": number,
        "section": section,
        "start": start,
        "end": start + len(quote),
        "exact": quote,
    }


def annotate(
    case: Case,
    user: User,
    body: str = "You noticed your hesitation.",
    quote: str = QUOTE,
    section: str = "moment",
    visibility: AnnotationVisibility = AnnotationVisibility.GROUP,
    criterion_key: str | None = None,
) -> Annotation:
    where = selection(case, quote, section)
    annotation = create_annotation(
        case,
        user,
        where["revision"],
        section,
        where["start"],
        where["end"],
        quote,
        body,
        criterion_key=criterion_key,
        visibility=visibility,
    )
    db.session.commit()
    return annotation


def entry(page: str, annotation_id: int) -> str:
    """The list entry of one annotation on the case page ("" when it is not listed)."""
    match = re.search(
        rf'<article class="annotation[^"]*" id="annotation-{annotation_id}".*?</article>',
        page,
        re.S,
    )
    return match.group(0) if match else ""


def case_url(case: Case, **params: Any) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/cases/{case.id}" + (f"?{query}" if query else "")


# -- the JSON endpoint ----------------------------------------------------------------------------


def test_a_reviewer_creates_an_annotation_as_json(app: Flask, world: World) -> None:
    browser = Browser(app, world.supervisor)
    payload = {
        **selection(world.case),
        "body": "You *noticed* the pull to accept.",
        "criterion_key": "boundaries",
        "visibility": "reviewers",
    }
    response = browser.post_json(f"/cases/{world.case.id}/annotations", payload)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["annotation"]
    assert data["exact"] == QUOTE and data["section"] == "moment"
    assert (data["start"], data["end"]) == (payload["start"], payload["end"])
    assert data["criterion_key"] == "boundaries" and data["visibility"] == "reviewers"
    assert "<em>noticed</em>" in data["body_html"]
    assert data["url"].endswith(f"#annotation-{data['id']}")

    stored = db.session.get(Annotation, data["id"])
    assert stored is not None and stored.author_id == world.supervisor.id
    assert stored.original_exact == QUOTE
    assert stored.visibility is AnnotationVisibility.REVIEWERS


def test_visibility_defaults_to_the_supervisee_in_a_supervision_group(
    app: Flask, world: World
) -> None:
    browser = Browser(app, world.supervisor)
    payload = {**selection(world.case), "body": "A kind note."}
    response = browser.post_json(f"/cases/{world.case.id}/annotations", payload)
    assert response.status_code == 201
    assert response.get_json()["annotation"]["visibility"] == "supervisee"
    page = browser.text(case_url(world.case))
    # the form's default is the same
    assert re.search(r'value="supervisee" checked', page)


def test_json_create_needs_the_csrf_header(app: Flask, world: World) -> None:
    browser = Browser(app, world.supervisor)
    payload = {**selection(world.case), "body": "No token."}
    response = browser.post_json(f"/cases/{world.case.id}/annotations", payload, token=False)
    assert response.status_code == 400
    assert "security token" in response.get_json()["error"]
    assert db.session.scalars(select(Annotation)).all() == []


def test_json_create_refuses_text_that_does_not_match_the_case(app: Flask, world: World) -> None:
    browser = Browser(app, world.supervisor)
    payload = {**selection(world.case), "exact": "offered a large gift", "body": "Hm."}
    response = browser.post_json(f"/cases/{world.case.id}/annotations", payload)
    assert response.status_code == 400
    assert response.get_json()["error"] == (
        "The selected text does not match the case; reload and try again."
    )
    assert db.session.scalars(select(Annotation)).all() == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"body": "   "}, "Write a comment first."),
        ({"criterion_key": "not-a-criterion"}, "Not a valid choice."),
        ({"visibility": "everyone"}, "Not a valid choice."),
        ({"section": "nowhere"}, "The selection could not be read."),
        ({"start": "x"}, "The selection could not be read."),
        ({"exact": "g" * 2001}, "Select at most 2,000 characters."),
        ({"revision": 7}, "That revision is not shared; reload the page."),
    ],
)
def test_json_create_explains_what_is_wrong(
    app: Flask, world: World, change: dict[str, Any], message: str
) -> None:
    browser = Browser(app, world.supervisor)
    payload = {**selection(world.case), "body": "A note.", **change}
    response = browser.post_json(f"/cases/{world.case.id}/annotations", payload)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_json_create_refuses_a_body_that_is_not_an_object(app: Flask, world: World) -> None:
    browser = Browser(app, world.supervisor)
    response = browser.post_json(f"/cases/{world.case.id}/annotations", ["not", "an", "object"])
    assert response.status_code == 400
    assert response.get_json()["ok"] is False


def test_who_may_annotate(app: Flask, world: World, client: FlaskClient) -> None:
    path = f"/cases/{world.case.id}/annotations"
    payload = {**selection(world.case), "body": "A note."}
    author = Browser(app, world.author).post_json(path, payload)
    assert author.status_code == 403
    assert author.get_json()["error"] == "You cannot annotate this case."
    outsider = Browser(app, world.outsider).post_json(path, payload)
    assert outsider.status_code == 404 and outsider.is_json
    assert Browser(app, world.facilitator).post_json(path, payload).status_code == 201
    # readers other than the author annotate: another supervisee too
    assert Browser(app, world.peer).post_json(path, payload).status_code == 201
    anonymous = client.post(path, json=payload, headers={"X-CSRFToken": "x"})
    assert anonymous.status_code in (302, 400)


def test_a_closed_case_cannot_be_annotated(app: Flask, world: World) -> None:
    close_case(world.case)
    db.session.commit()
    browser = Browser(app, world.supervisor)
    response = browser.post_json(
        f"/cases/{world.case.id}/annotations", {**selection(world.case), "body": "Late."}
    )
    assert response.status_code == 403
    assert 'id="annotation-form-template"' not in browser.text(case_url(world.case))


def test_a_closed_case_keeps_its_annotations_read_only(app: Flask, world: World) -> None:
    note = annotate(world.case, world.supervisor, visibility=AnnotationVisibility.GROUP)
    close_case(world.case)
    db.session.commit()
    supervisor, author = Browser(app, world.supervisor), Browser(app, world.author)
    assert entry(author.text(case_url(world.case)), note.id), "still listed for reading"
    replies = f"/annotations/{note.id}/replies"
    assert author.post(replies, {"body": "Late thought."}).status_code == 403
    response = f"/annotations/{note.id}/response"
    assert author.post(response, {"kind": "acknowledged"}).status_code == 403
    assert supervisor.get(f"/annotations/{note.id}/edit").status_code == 403
    assert supervisor.post(f"/annotations/{note.id}/delete").status_code == 403
    item = entry(author.text(case_url(world.case)), note.id)
    assert replies not in item and response not in item


# -- annotating without JavaScript: quote the words ----------------------------------------------


def _quote_form(**overrides: str) -> dict[str, str]:
    return {
        "section": "moment",
        "passage": QUOTE,
        "body": "You **noticed** it.",
        "criterion_key": "",
        "visibility": "group",
        **overrides,
    }


def test_annotating_by_quoting_the_words(app: Flask, world: World) -> None:
    supervisor = Browser(app, world.supervisor)
    path = f"/annotations/new?revision={world.case.published_number}"
    path = f"/cases/{world.case.id}{path}"
    page = supervisor.text(path)
    assert "The words you are commenting on" in page
    checked = re.findall(r"<input[^>]*\bchecked\b[^>]*>", page)
    assert [c for c in checked if 'value="supervisee"' in c]  # the group's default visibility
    assert f'href="/cases/{world.case.id}/annotations/new?revision=1"' in supervisor.text(
        case_url(world.case)
    )

    # Typed over two lines: any run of whitespace matches any other.
    response = supervisor.post(path, _quote_form(passage="offered a\r\nsmall gift"))
    assert response.status_code == 302
    (annotation,) = db.session.scalars(db.select(Annotation)).all()
    assert response.headers["Location"].endswith(f"#annotation-{annotation.id}")
    assert (annotation.section, annotation.original_exact) == ("moment", QUOTE)
    assert annotation.visibility is AnnotationVisibility.GROUP
    item = entry(Browser(app, world.author).text(case_url(world.case)), annotation.id)
    assert "<strong>noticed</strong>" in item and QUOTE in item


def test_a_quote_that_is_missing_or_ambiguous_keeps_what_was_typed(
    app: Flask, world: World
) -> None:
    case = shared_case(world.group, world.author, moment="I said yes. Later I said yes again.")
    supervisor = Browser(app, world.supervisor)
    path = f"/cases/{case.id}/annotations/new"
    missing = supervisor.post(path, _quote_form(passage="a large gift", body="Kept comment"))
    assert missing.status_code == 400
    text = missing.get_data(as_text=True)
    assert "These words are not in “The moment”" in text and "Kept comment" in text
    twice = supervisor.post(path, _quote_form(passage="said yes"))
    assert twice.status_code == 400
    assert "occur 2 times" in twice.get_data(as_text=True)
    assert supervisor.post(path, _quote_form(passage="Later I said yes")).status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(Annotation)) == 1


def test_who_may_annotate_by_quoting(app: Flask, world: World) -> None:
    path = f"/cases/{world.case.id}/annotations/new"
    assert Browser(app, world.author).get(path).status_code == 403
    assert Browser(app, world.outsider).get(path).status_code == 404
    assert Browser(app, world.peer).get(path).status_code == 200
    unpublished = f"{path}?revision={world.case.published_number + 1}"
    assert Browser(app, world.supervisor).get(unpublished).status_code == 404


# -- the list without JavaScript ------------------------------------------------------------------


def test_the_list_shows_quote_comment_criterion_status_and_author(app: Flask, world: World) -> None:
    annotation = annotate(
        world.case, world.supervisor, "You **held** the frame.", criterion_key="boundaries"
    )
    page = Browser(app, world.co_supervisor).text(case_url(world.case))
    item = entry(page, annotation.id)
    assert item, "the annotation is listed"
    assert f'<blockquote class="annotation__quote">{QUOTE}</blockquote>' in item
    assert "<strong>held</strong>" in item
    assert BOUNDARIES in item
    assert "Original" in item  # the anchor status of the revision it was made on
    assert "Tomás Supervisor" in item
    assert (
        'data-anchor-section="moment"' in item
        and 'data-anchor-exact="offered a small gift"' in item
    )
    assert f'href="#ann-{annotation.id}"' in item  # revealed by the script once highlighted
    # the section containers carry what the script needs, and the text is left as rendered
    assert (
        '<div class="prose" data-section="moment" data-revision="1"><p>At the end the client '
        "offered a small gift and I hesitated.</p></div>"
    ) in page
    assert "/static/js/annotate.js" in page


def test_the_list_is_in_document_order(app: Flask, world: World) -> None:
    later = annotate(world.case, world.supervisor, "Second.", "accepted it", "question")
    earlier = annotate(world.case, world.supervisor, "First.", "I hesitated")
    first = annotate(world.case, world.supervisor, "Zeroth.", "Third session", "context")
    page = Browser(app, world.supervisor).text(case_url(world.case))
    positions = [page.index(f'id="annotation-{a.id}"') for a in (first, earlier, later)]
    assert positions == sorted(positions)


def test_quotes_are_rendered_text_not_markdown(app: Flask, world: World) -> None:
    # "*uneasy*" renders as <em>uneasy</em>: the selectable text is "uneasy, and".
    annotation = annotate(world.case, world.supervisor, "Yes.", "uneasy, and", "reactions")
    page = Browser(app, world.author).text(case_url(world.case))
    item = entry(page, annotation.id)
    start = section_texts(world.case.revisions[0])["reactions"].index("uneasy, and")
    assert f'data-anchor-start="{start}"' in item and f'data-anchor-end="{start + 11}"' in item


# -- visibility -----------------------------------------------------------------------------------


def _listed(app: Flask, user: User, case: Case, annotation: Annotation) -> bool:
    return bool(entry(Browser(app, user).text(case_url(case)), annotation.id))


def test_a_private_annotation_is_its_authors_only(app: Flask, world: World) -> None:
    note = annotate(world.case, world.supervisor, visibility=AnnotationVisibility.PRIVATE)
    assert _listed(app, world.supervisor, world.case, note)
    for user in (world.co_supervisor, world.facilitator, world.author, world.peer):
        assert not _listed(app, user, world.case, note), user.display_name
    assert Browser(app, world.co_supervisor).get(f"/annotations/{note.id}/edit").status_code == 404


def test_reviewers_annotations_are_hidden_from_the_case_author(app: Flask, world: World) -> None:
    note = annotate(world.case, world.supervisor, visibility=AnnotationVisibility.REVIEWERS)
    for user in (world.supervisor, world.co_supervisor, world.facilitator):
        assert _listed(app, user, world.case, note), user.display_name
    for user in (world.author, world.peer):
        assert not _listed(app, user, world.case, note), user.display_name


def test_supervisee_annotations_reach_the_author_but_not_other_supervisees(
    app: Flask, world: World
) -> None:
    note = annotate(world.case, world.supervisor, visibility=AnnotationVisibility.SUPERVISEE)
    for user in (world.author, world.supervisor, world.co_supervisor, world.facilitator):
        assert _listed(app, user, world.case, note), user.display_name
    assert not _listed(app, world.peer, world.case, note)


def test_group_annotations_reach_every_reader(app: Flask, world: World) -> None:
    note = annotate(world.case, world.supervisor, visibility=AnnotationVisibility.GROUP)
    for user in (world.author, world.peer, world.co_supervisor, world.facilitator):
        assert _listed(app, user, world.case, note), user.display_name
    assert Browser(app, world.outsider).get(case_url(world.case)).status_code == 404


# -- replies, answers, editing --------------------------------------------------------------------


def test_readers_reply_and_the_reply_is_listed(app: Flask, world: World) -> None:
    note = annotate(world.case, world.supervisor)
    author = Browser(app, world.author)
    response = author.post(f"/annotations/{note.id}/replies", {"body": "I *did* feel pulled."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#annotation-{note.id}")
    item = entry(Browser(app, world.peer).text(case_url(world.case)), note.id)
    assert "<em>did</em> feel pulled" in item and "Alex Author" in item


def test_an_empty_reply_keeps_the_reader_on_a_form(app: Flask, world: World) -> None:
    note = annotate(world.case, world.supervisor)
    response = Browser(app, world.author).post(f"/annotations/{note.id}/replies", {"body": " "})
    assert response.status_code == 400
    assert "Write a comment first." in response.get_data(as_text=True)


def test_only_those_who_see_an_annotation_reply_to_it(app: Flask, world: World) -> None:
    note = annotate(world.case, world.supervisor, visibility=AnnotationVisibility.REVIEWERS)
    path = f"/annotations/{note.id}/replies"
    assert Browser(app, world.author).post(path, {"body": "?"}).status_code == 404
    assert Browser(app, world.outsider).post(path, {"body": "?"}).status_code == 404
    assert Browser(app, world.co_supervisor).post(path, {"body": "Agreed."}).status_code == 302
    assert Browser(app, world.supervisor).post(path, {}).status_code == 400  # CSRF ok, no body


def test_the_case_author_answers_and_sees_what_is_still_open(app: Flask, world: World) -> None:
    first = annotate(world.case, world.supervisor, "One.", "Third session", "context")
    second = annotate(world.case, world.supervisor, "Two.")
    third = annotate(world.case, world.co_supervisor, "Three.", "accepted it", "question")
    author = Browser(app, world.author)
    page = author.text(case_url(world.case))
    assert "3 annotations are still open" in page
    assert 'name="kind" value="question"' in entry(page, first.id)

    assert author.post(f"/annotations/{first.id}/response", {"kind": "acknowledged"}).status_code
    author.post(f"/annotations/{second.id}/response", {"kind": "question"})
    page = author.text(case_url(world.case))
    assert "2 annotations are still open" in page  # second asks a question, third unanswered
    assert "Answered: Acknowledged" in entry(page, first.id)
    assert "Open" in entry(page, second.id) and "Open" in entry(page, third.id)
    assert ">Open<" not in entry(page, first.id)

    author.post(f"/annotations/{second.id}/response", {"kind": "addressed"})
    author.post(f"/annotations/{third.id}/response", {"kind": "disagree"})
    author.post(f"/annotations/{third.id}/response", {"kind": "acknowledged"})  # replaces
    assert "You have answered every annotation." in author.text(case_url(world.case))

    # reviewers see the answer, and cannot answer for the author
    reviewer = Browser(app, world.supervisor)
    assert "answered: Addressed" in entry(reviewer.text(case_url(world.case)), second.id)
    assert reviewer.post(f"/annotations/{second.id}/response", {"kind": "addressed"}).status_code
    response = reviewer.post(f"/annotations/{second.id}/response", {"kind": "question"})
    assert response.status_code == 403
    assert 'name="kind"' not in reviewer.text(case_url(world.case))


def test_an_answer_must_be_one_of_the_four(app: Flask, world: World) -> None:
    note = annotate(world.case, world.supervisor)
    author = Browser(app, world.author)
    response = author.post(f"/annotations/{note.id}/response", {"kind": "furious"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Annotation, note.id).response is None


def test_the_author_of_an_annotation_edits_and_deletes_it(app: Flask, world: World) -> None:
    note = annotate(world.case, world.supervisor, "First thought.")
    mine = Browser(app, world.supervisor)
    page = mine.text(f"/annotations/{note.id}/edit")
    assert "First thought." in page and QUOTE in page
    response = mine.post(
        f"/annotations/{note.id}/edit?revision=1",
        {
            "body": "Second thought.",
            "criterion_key": "pacing",
            "visibility": "reviewers",
            "edit_version": 1,
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/cases/{world.case.id}?revision=1&annotation={note.id}#annotation-{note.id}"
    )
    db.session.expire_all()
    stored = db.session.get(Annotation, note.id)
    assert stored is not None
    assert (stored.body, stored.criterion_key) == ("Second thought.", "pacing")
    assert stored.visibility is AnnotationVisibility.REVIEWERS
    item = entry(mine.text(case_url(world.case)), note.id)
    assert "Second thought." in item and "Pacing and autonomy" in item
    assert "Edit or delete" in item

    note_id = note.id
    assert mine.post(f"/annotations/{note_id}/delete").status_code == 302
    assert db.session.scalar(select(Annotation).where(Annotation.id == note_id)) is None


def test_an_edit_keeps_the_form_when_it_is_invalid(app: Flask, world: World) -> None:
    note = annotate(world.case, world.supervisor, "First thought.")
    response = Browser(app, world.supervisor).post(
        f"/annotations/{note.id}/edit", {"body": "", "visibility": "group", "edit_version": 1}
    )
    assert response.status_code == 400
    assert "Write a comment first." in response.get_data(as_text=True)


def test_an_edit_from_a_stale_form_is_a_conflict_and_keeps_the_text(
    app: Flask, world: World
) -> None:
    note = annotate(world.case, world.supervisor, "First thought.")
    first_tab, second_tab = Browser(app, world.supervisor), Browser(app, world.supervisor)
    path = f"/annotations/{note.id}/edit"
    assert 'name="edit_version" type="hidden" value="1"' in first_tab.text(path)
    fields = {"criterion_key": "", "visibility": "group", "edit_version": 1}
    saved = first_tab.post(path, {**fields, "body": "From tab one."})
    assert saved.status_code == 302
    stale = second_tab.post(path, {**fields, "body": "From tab two."})
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "changed elsewhere after you opened it" in page and "From tab two." in page
    db.session.expire_all()
    stored = db.session.get(Annotation, note.id)
    assert stored is not None
    assert (stored.body, stored.edit_version) == ("From tab one.", 2)


def test_only_the_author_of_an_annotation_edits_or_deletes_it(app: Flask, world: World) -> None:
    note = annotate(world.case, world.supervisor, "Mine.")
    for user in (world.co_supervisor, world.facilitator, world.author):
        other = Browser(app, user)
        assert other.get(f"/annotations/{note.id}/edit").status_code == 403
        edit = other.post(
            f"/annotations/{note.id}/edit", {"body": "Theirs.", "visibility": "group"}
        )
        assert edit.status_code == 403
        assert other.post(f"/annotations/{note.id}/delete").status_code == 403
        assert "Edit or delete" not in entry(other.text(case_url(world.case)), note.id)
    assert Browser(app, world.outsider).post(f"/annotations/{note.id}/delete").status_code == 404
    db.session.expire_all()
    stored = db.session.get(Annotation, note.id)
    assert stored is not None and stored.body == "Mine."


# -- anchors across revisions ---------------------------------------------------------------------


def test_an_annotation_follows_its_passage_into_a_new_revision(app: Flask, world: World) -> None:
    note = annotate(world.case, world.supervisor)
    revise_and_share(
        world.case,
        moment="She had been quiet all session.\n\n" + SECTIONS["moment"],
    )
    page = Browser(app, world.supervisor).text(case_url(world.case))
    item = entry(page, note.id)
    assert "Carried forward" in item
    text = section_texts(world.case.revisions[1])["moment"]
    start = int(re.search(r'data-anchor-start="(\d+)"', item).group(1))
    end = int(re.search(r'data-anchor-end="(\d+)"', item).group(1))
    assert text[start:end] == QUOTE and start > SECTIONS["moment"].index(QUOTE)


def test_an_orphaned_annotation_stays_listed_with_its_original_quote(
    app: Flask, world: World
) -> None:
    note = annotate(world.case, world.supervisor, "About the gift.")
    revise_and_share(world.case, moment="We talked about endings and what they meant to her.")
    reader = Browser(app, world.author)
    item = entry(reader.text(case_url(world.case)), note.id)
    assert "Passage gone" in item
    assert f'<blockquote class="annotation__quote">{QUOTE}</blockquote>' in item
    assert "About the gift." in item
    assert "data-anchor-start" not in item and f"#ann-{note.id}" not in item  # nothing to highlight
    # on the revision it was made on, it still sits on its passage
    first = entry(reader.text(case_url(world.case, revision=1)), note.id)
    assert "Original" in first and 'data-anchor-start="' in first


def test_an_annotation_on_a_later_revision_is_not_listed_on_an_earlier_one(
    app: Flask, world: World
) -> None:
    revise_and_share(world.case, question="Should I have accepted it, or named it?")
    note = annotate(world.case, world.supervisor, "Both.", "named it", "question")
    reader = Browser(app, world.co_supervisor)
    assert entry(reader.text(case_url(world.case)), note.id)
    assert not entry(reader.text(case_url(world.case, revision=1)), note.id)


# -- citations ------------------------------------------------------------------------------------


def _cited_review(
    world: World,
    annotations: Annotation | list[Annotation],
    *,
    release: bool = False,
    reviewer: User | None = None,
) -> None:
    """A review by ``reviewer`` (the supervisor) whose Boundaries score (level 4) cites them."""
    review = start_review(world.case, reviewer or world.supervisor)
    scores = {s.criterion_key: ScoreInput(not_visible=True) for s in review.scores}
    scores["boundaries"] = ScoreInput(level=4, evidence=QUOTE, comment="Warmly held.")
    save_review(review, ReviewInput(scores, "Thoughtful work.", ""))
    score = next(s for s in review.scores if s.criterion_key == "boundaries")
    cite(score, annotations if isinstance(annotations, list) else [annotations])
    submit_review(review)
    if release:
        release_review(review)
    db.session.commit()


def test_scores_citing_an_annotation_show_where_the_scores_may_be_read(
    app: Flask, world: World
) -> None:
    note = annotate(world.case, world.supervisor, visibility=AnnotationVisibility.SUPERVISEE)
    _cited_review(world, note)
    cited = f"Cited as evidence for {BOUNDARIES} (level 4) by"
    assert f"{cited} you" in entry(
        Browser(app, world.supervisor).text(case_url(world.case)), note.id
    )
    facilitator = entry(Browser(app, world.facilitator).text(case_url(world.case)), note.id)
    assert f"{cited} Tomás Supervisor" in facilitator
    # blind scoring: the co-reviewer has not submitted; the author waits for the release
    assert cited not in entry(Browser(app, world.co_supervisor).text(case_url(world.case)), note.id)
    assert cited not in entry(Browser(app, world.author).text(case_url(world.case)), note.id)


def test_the_author_sees_citations_once_the_review_is_released(app: Flask, world: World) -> None:
    note = annotate(world.case, world.supervisor, visibility=AnnotationVisibility.SUPERVISEE)
    _cited_review(world, note, release=True)
    item = entry(Browser(app, world.author).text(case_url(world.case)), note.id)
    assert f"Cited as evidence for {BOUNDARIES} (level 4) by Tomás Supervisor" in item


# -- sanitizing -----------------------------------------------------------------------------------

XSS = (
    "<script>alert(1)</script><img src=x onerror=alert(1)> [click](javascript:alert(1)) "
    '<a href="data:text/html,x">d</a> "><svg onload=alert(1)>'
)


def test_script_in_a_comment_or_reply_is_never_run(app: Flask, world: World) -> None:
    browser = Browser(app, world.supervisor)
    response = browser.post_json(
        f"/cases/{world.case.id}/annotations", {**selection(world.case), "body": XSS}
    )
    assert response.status_code == 201
    body_html = response.get_json()["annotation"]["body_html"]
    note_id = response.get_json()["annotation"]["id"]
    browser.post(f"/annotations/{note_id}/replies", {"body": XSS})
    page = entry(browser.text(case_url(world.case)), note_id)
    for html in (body_html, page):
        tags = " ".join(re.findall(r"<[^>]*>", html)).lower()
        assert "<script" not in tags and "<img" not in tags and "<svg" not in tags
        assert "onerror" not in tags and "onload" not in tags
        assert "javascript:" not in tags and "data:" not in tags
    assert str(escape("<script>alert(1)</script>")) in page  # shown as the text it is


def test_a_quote_is_shown_as_text(app: Flask, make_user: Any, make_group: Any) -> None:
    reviewer, author = make_user("Sam Supervisor"), make_user("Alex Author")
    group = make_group(GroupKind.PEER, {reviewer: Role.PEER, author: Role.PEER})
    case = shared_case(group, author, moment="She wrote `<b>thanks</b>` on the card.")
    note = annotate(case, reviewer, quote="<b>thanks</b>")
    item = entry(Browser(app, reviewer).text(case_url(case)), note.id)
    assert "&lt;b&gt;thanks&lt;/b&gt;</blockquote>" in item and "<b>" not in item


# -- the panel's queries --------------------------------------------------------------------------


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _panel_queries(app: Flask, case: Case, user: User) -> int:
    db.session.expire_all()
    for key in ("_roles", "_reviewed_revisions"):
        g.pop(key, None)
    fresh = db.session.get(Case, case.id)
    assert fresh is not None
    revision = fresh.revisions[-1]
    viewer = db.session.get(User, user.id)
    with counted(app) as statements:
        panel = annotation_panel(fresh, revision, viewer)
        assert panel.shown
    return len(statements)


def test_the_panel_takes_a_constant_number_of_queries(app: Flask, world: World) -> None:
    # Annotations, replies, answers and citations by different people each time, so nothing
    # is already loaded by chance.
    first = annotate(world.case, world.co_supervisor, "One.")
    reply(first, world.peer, "Me too.")
    _cited_review(world, first, release=True)
    few = _panel_queries(app, world.case, world.author)
    notes = []
    for number, (quote, section) in enumerate(
        [("Third session", "context"), ("I hesitated", "moment"), ("accepted it", "question")]
    ):
        note = annotate(world.case, world.co_supervisor, f"Note {number}.", quote, section)
        reply(note, world.author, "Thank you.")
        reply(note, world.peer, "Me too.")
        respond(note, world.author, ResponseKind.QUESTION)
        notes.append(note)
    db.session.commit()
    _cited_review(world, notes, release=True, reviewer=world.facilitator)
    many = _panel_queries(app, world.case, world.author)
    assert many == few, (few, many)
