"""A readable word-level diff between any two revisions of a case."""

from __future__ import annotations

from case_support import Browser, make_world, new_case, publish, revise, shared_case

from supervision.cases.diffing import Chunk, diff_revisions, diff_text


def test_diff_text_marks_changed_words():
    chunks = diff_text("She brought a small gift.", "She brought a large gift today.")
    assert Chunk("delete", "small") in chunks and Chunk("insert", "large") in chunks
    assert "".join(c.text for c in chunks if c.op != "delete") == "She brought a large gift today."
    assert "".join(c.text for c in chunks if c.op != "insert") == "She brought a small gift."
    assert diff_text("same words", "same words") == [Chunk("equal", "same words")]
    assert diff_text("", "new") == [Chunk("insert", "new")]
    assert diff_text("old", "") == [Chunk("delete", "old")]


def test_diff_revisions_covers_the_title_and_every_section(make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    second = revise(case, "A present at the last session", reactions="I felt moved.")
    sections = diff_revisions(case.revisions[0], second)
    assert [s.key for s in sections] == [
        "title",
        "context",
        "client",
        "moment",
        "reactions",
        "question",
    ]
    assert {s.key for s in sections if s.changed} == {"title", "reactions"}


def test_revisions_page_shows_inserted_and_deleted_words(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author, moment="She offered a small gift.")
    revise(case, moment="She offered a large gift.")
    publish(case)
    revise(case, moment="She offered a large gift and left.", question="What now?")
    publish(case)

    reader = Browser(app, w.reader)
    page = reader.text(f"/cases/{case.id}")
    assert "Compare revisions" in page
    latest = reader.text(f"/cases/{case.id}/revisions")  # default: the last two
    assert "<del>gift.</del><ins>gift and left.</ins>" in latest
    assert "<del>small</del>" not in latest

    first_to_second = reader.text(f"/cases/{case.id}/revisions?from=1&to=2")
    assert "<del>small</del>" in first_to_second and "<ins>large</ins>" in first_to_second
    assert "(unchanged)" in first_to_second  # the other sections say so

    any_two = reader.text(f"/cases/{case.id}/revisions?from=1&to=3")
    assert "<del>small</del>" in any_two and "<ins>large</ins>" in any_two
    question = any_two.split('id="diff-question"')[1].split("</section>")[0]
    assert "<ins>What</ins>" in question and "<del>Should</del>" in question

    backwards = reader.text(f"/cases/{case.id}/revisions?from=3&to=1")
    assert "<ins>small</ins>" in backwards and "<del>large</del>" in backwards


def test_readers_compare_only_shared_revisions(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author, moment="Shared words.")
    revise(case, moment="Unshared secret words.")
    reader = Browser(app, w.reader)
    page = reader.text(f"/cases/{case.id}/revisions")
    assert "There is only one revision so far." in page
    page = reader.text(f"/cases/{case.id}/revisions?from=1&to=2")
    assert "Unshared secret" not in page
    author = Browser(app, w.author)
    page = author.text(f"/cases/{case.id}/revisions")
    assert "<del>Shared</del>" in page and "Unshared secret" in page


def test_comparing_a_revision_that_does_not_exist_says_so(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    revise(case, moment="Second.")
    publish(case)
    page = Browser(app, w.reader).text(f"/cases/{case.id}/revisions?from=1&to=9")
    assert "Choose two revisions from the list." in page
    assert "<ins>" not in page


def test_a_draft_has_one_revision_to_compare(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = new_case(w.group, w.author)
    revise(case, moment="Still a draft.")
    page = Browser(app, w.author).text(f"/cases/{case.id}/revisions")
    assert "There is only one revision so far." in page
