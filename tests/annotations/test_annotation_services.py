"""The annotation services: creating, following the text into new revisions, who may read what,
replies, the author's answers, citations from review scores, and redaction.

Set-up goes through the real services (create_case, save_case, share_case), so the revision
hook that carries anchors forward runs exactly as it does for an author saving the form.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import support
from sqlalchemy import func, select
from sqlalchemy.exc import SAWarning
from support import pass_gate as share  # the author shares the working revision
from support import revise as save  # the author saves the form: a new revision, or the same one

# supervision.cases imports its views, which import the annotation panel and services: loading
# the package first keeps ``supervision.annotations.services`` from being imported half-way.
import supervision.cases  # noqa: F401
from supervision.annotations.services import (
    AnnotationError,
    anchor_for,
    case_annotations,
    citations,
    cite,
    create_annotation,
    default_visibility,
    reply,
    respond,
    section_texts,
)
from supervision.cases.privacy import REDACTED, redact_passage
from supervision.cases.services import revision_by_number
from supervision.extensions import db
from supervision.models import (
    AnchorStatus,
    Annotation,
    AnnotationAnchor,
    AnnotationResponse,
    AnnotationVisibility,
    Case,
    Group,
    GroupKind,
    ResponseKind,
    Role,
    User,
)
from supervision.models.annotation import ANNOTATION_BODY_MAX, CONTEXT_CHARS, QUOTE_MAX
from supervision.permissions import Permission, can
from supervision.reviews.services import start_review

P1 = "She described her manager reading her report in front of her without a word."
P2 = "I said it sounded like reading the weather with her dad, and she went quiet."
P3 = "For the rest of the session her answers were short and she glanced at the clock."
MOMENT = "\n\n".join([P1, P2, P3])
REACTIONS = "I felt a small glow of having been right, then a sinking feeling."
SECTIONS: dict[str, str] = {
    "context": "Weekly integrative counselling in a community service, session seven of twelve.",
    "client": "The client, a woman in her thirties, came because she could not sleep.",
    "moment": MOMENT,
    "reactions": REACTIONS,
    "question": "Should I have waited before making the link?",
}
QUOTE = "her answers were short and she glanced at the clock"  # in P3; long: distinctive
INSERTED = "At the start she talked about her week. "

# Three paragraphs that all hold "I don't know".
KNOW = "I don't know"
K1 = "When I asked how that felt, she shrugged and said I don't know, and looked at the window."
K2 = "Later, about her father, she said I don't know again, more quietly, and her hands went still."
K3 = "At the end I asked what she wanted from our work. I don't know, she said, and laughed."


# -- set-up ----------------------------------------------------------------------------------------


@dataclass
class World:
    group: Group
    facilitator: User
    annotator: User  # a supervisor (a peer in a peer group) who writes the annotations
    colleague: User  # another supervisor (or peer)
    author: User  # the case author
    reader: User | None  # another supervisee (supervision groups only)
    outsider: User  # a member of another group


def make_world(
    make_user: Callable[..., User],
    make_group: Callable[..., Group],
    kind: GroupKind = GroupKind.SUPERVISION,
) -> World:
    facilitator, annotator, colleague = make_user("Fran"), make_user("Sam"), make_user("Kim")
    author, outsider = make_user("Alex"), make_user("Olu")
    if kind is GroupKind.PEER:
        reader = None
        members = {
            facilitator: Role.FACILITATOR,
            annotator: Role.PEER,
            colleague: Role.PEER,
            author: Role.PEER,
        }
    else:
        reader = make_user("Robin")
        members = {
            facilitator: Role.FACILITATOR,
            annotator: Role.SUPERVISOR,
            colleague: Role.SUPERVISOR,
            author: Role.SUPERVISEE,
            reader: Role.SUPERVISEE,
        }
    group = make_group(kind, members)
    make_group(GroupKind.SUPERVISION, {outsider: Role.FACILITATOR})
    return World(group, facilitator, annotator, colleague, author, reader, outsider)


def shared_case(group: Group, author: User, **overrides: str) -> Case:
    return support.shared_case(group, author, "Quiet after a link", SECTIONS, **overrides)


def text_of(case: Case, number: int, section: str) -> str:
    revision = revision_by_number(case, number)
    assert revision is not None
    return section_texts(revision)[section]


def annotate(
    case: Case,
    user: User,
    phrase: str,
    *,
    section: str = "moment",
    revision: int = 1,
    occurrence: int = 1,
    body: str = "Worth slowing down here.",
    **kwargs: object,
) -> Annotation:
    """Annotate the ``occurrence``-th copy of ``phrase`` in a section of a revision."""
    text = text_of(case, revision, section)
    at = -1
    for _ in range(occurrence):
        at = text.index(phrase, at + 1)
    annotation = create_annotation(
        case, user, revision, section, at, at + len(phrase), phrase, body, **kwargs
    )
    db.session.commit()
    return annotation


def anchor_in(annotation: Annotation, number: int) -> AnnotationAnchor:
    db.session.refresh(annotation)
    anchor = anchor_for(annotation, number)
    assert anchor is not None, f"no anchor in revision {number}"
    return anchor


def assert_placed(case: Case, anchor: AnnotationAnchor) -> None:
    """The anchor's offsets read its quote, and its context is the text around it."""
    assert anchor.section is not None and anchor.start is not None and anchor.end is not None
    text = text_of(case, anchor.revision_number, anchor.section)
    assert text[anchor.start : anchor.end] == anchor.exact
    assert text[max(0, anchor.start - CONTEXT_CHARS) : anchor.start] == anchor.prefix
    assert text[anchor.end : anchor.end + CONTEXT_CHARS] == anchor.suffix


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


# -- creating --------------------------------------------------------------------------------------


def test_create_annotation_stores_the_quote_its_context_and_the_comment(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    annotation = annotate(
        case, w.annotator, QUOTE, body="Her answers **shrink**: a withdrawal marker."
    )

    text = text_of(case, 1, "moment")
    start = text.index(QUOTE)
    assert (annotation.revision_number, annotation.section) == (1, "moment")
    assert annotation.original_exact == QUOTE
    assert annotation.body == "Her answers **shrink**: a withdrawal marker."
    assert "<strong>shrink</strong>" in annotation.body_html
    assert annotation.visibility is AnnotationVisibility.SUPERVISEE  # the supervision default
    assert annotation.criterion_key is None
    (anchor,) = annotation.anchors
    assert anchor.status is AnchorStatus.CREATED
    assert (anchor.revision_number, anchor.section) == (1, "moment")
    assert (anchor.start, anchor.end, anchor.exact) == (start, start + len(QUOTE), QUOTE)
    assert anchor.prefix == text[start - CONTEXT_CHARS : start]
    assert anchor.suffix == text[start + len(QUOTE) :]  # the paragraph ends within 32 characters
    assert_placed(case, anchor)


def test_create_annotation_keeps_a_criterion_and_a_chosen_visibility(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    annotation = annotate(
        case,
        w.annotator,
        "a small glow",
        section="reactions",
        criterion_key="attunement",
        visibility=AnnotationVisibility.PRIVATE,
    )
    assert annotation.criterion_key == "attunement"
    assert annotation.visibility is AnnotationVisibility.PRIVATE
    assert annotation.anchors[0].prefix == "I felt "  # context stops at the start of the text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"exact": "her answers were SHORT"}, "does not match"),
        ({"start": -1}, "does not match"),
        ({"end": 10_000}, "does not match"),
        ({"end": "start"}, "does not match"),  # an empty selection
        ({"start": 1}, "does not match"),  # offsets one off the quote
        ({"section": "title"}, "one section"),
        ({"section": "reactions"}, "does not match"),  # the quote is not in that section
        ({"revision": 2}, "not shared"),  # there is no revision 2
        ({"revision": 0}, "not shared"),
        ({"body": "   \n  "}, "Write a comment"),
        ({"body": "x" * (ANNOTATION_BODY_MAX + 1)}, "under"),
    ],
)
def test_create_annotation_refuses_a_bad_selection_or_comment(
    app, make_user, make_group, change, message
):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    start = text_of(case, 1, "moment").index(QUOTE)
    given = {
        "revision": 1,
        "section": "moment",
        "start": start,
        "end": start + len(QUOTE),
        "exact": QUOTE,
        "body": "A comment.",
    } | change
    if given["end"] == "start":
        given["end"], given["exact"] = start, ""
    with pytest.raises(AnnotationError, match=message):
        create_annotation(
            case,
            w.annotator,
            given["revision"],
            given["section"],
            given["start"],
            given["end"],
            given["exact"],
            given["body"],
        )
    db.session.rollback()
    assert count(Annotation) == 0
    assert count(AnnotationAnchor) == 0


def test_create_annotation_refuses_a_revision_that_is_not_shared(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    save(case, moment=INSERTED + MOMENT)  # revision 2: written but not through the gate
    text = text_of(case, 2, "moment")
    start = text.index(QUOTE)
    with pytest.raises(AnnotationError, match="not shared"):
        create_annotation(case, w.annotator, 2, "moment", start, start + len(QUOTE), QUOTE, "Hm.")


def test_create_annotation_refuses_a_quote_over_the_limit(app, make_user, make_group):
    w = make_world(make_user, make_group)
    long_context = " ".join(["Weekly integrative counselling in a community service."] * 60)
    case = shared_case(w.group, w.author, context=long_context)
    assert len(long_context) > QUOTE_MAX
    with pytest.raises(AnnotationError, match="at most"):
        create_annotation(
            case, w.annotator, 1, "context", 0, QUOTE_MAX + 1, long_context[: QUOTE_MAX + 1], "Hm."
        )
    annotation = create_annotation(
        case, w.annotator, 1, "context", 0, QUOTE_MAX, long_context[:QUOTE_MAX], "Long."
    )
    assert annotation.anchors[0].end == QUOTE_MAX


# -- carrying forward through save_case ------------------------------------------------------------

EDITED_QUOTE = QUOTE.replace("short", "clipped")
P3_WITHOUT_QUOTE = "For the rest of the session she said little."


@pytest.mark.parametrize(
    ("overrides", "status", "section"),
    [
        pytest.param({"moment": INSERTED + MOMENT}, AnchorStatus.CARRIED, "moment", id="insertion"),
        pytest.param(
            {"moment": MOMENT.replace("short", "clipped")},
            AnchorStatus.CHANGED,
            "moment",
            id="edit-inside",
        ),
        pytest.param(
            {"moment": "\n\n".join([P3, P1, P2])},
            AnchorStatus.MOVED,
            "moment",
            id="moved-in-section",
        ),
        pytest.param(
            {"moment": "\n\n".join([P1, P2]), "reactions": REACTIONS + "\n\n" + P3},
            AnchorStatus.MOVED,
            "reactions",
            id="moved-to-another-section",
        ),
        pytest.param(
            {"moment": "\n\n".join([P1, P2, P3_WITHOUT_QUOTE])},
            AnchorStatus.ORPHANED,
            None,
            id="deleted",
        ),
    ],
)
def test_saving_a_new_revision_carries_every_annotation_forward(
    app, make_user, make_group, overrides, status, section
):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    annotation = annotate(case, w.annotator, QUOTE)
    before = anchor_in(annotation, 1)
    created = (before.start, before.end, before.exact, before.prefix, before.suffix)

    revision = save(case, **overrides)  # the revision hook runs inside save_case
    assert revision.number == 2 and revision.cleared_at is None

    anchor = anchor_in(annotation, 2)
    assert anchor.status is status
    assert anchor.section == section
    assert annotation.original_exact == QUOTE
    # The anchor in the revision it was made on is untouched.
    first = anchor_in(annotation, 1)
    assert first.status is AnchorStatus.CREATED
    assert (first.start, first.end, first.exact, first.prefix, first.suffix) == created

    if status is AnchorStatus.ORPHANED:
        assert (anchor.start, anchor.end) == (None, None)
        assert (anchor.exact, anchor.prefix, anchor.suffix) == ("", "", "")
        return
    assert_placed(case, anchor)
    if status is AnchorStatus.CHANGED:
        assert anchor.exact == EDITED_QUOTE
    else:
        assert anchor.exact == QUOTE  # the same words
    if status is AnchorStatus.CARRIED:
        assert anchor.start == before.start + len(INSERTED)  # shifted by the insertion
        assert anchor.end == before.end + len(INSERTED)


def test_each_save_of_the_working_revision_recomputes_its_anchors(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    annotation = annotate(case, w.annotator, QUOTE)

    save(case, moment="\n\n".join([P1, P2, P3_WITHOUT_QUOTE]))
    assert anchor_in(annotation, 2).status is AnchorStatus.ORPHANED

    second = save(case, moment=INSERTED + MOMENT)  # the author puts the passage back
    assert second.number == 2  # still the same working revision
    anchor = anchor_in(annotation, 2)
    assert anchor.status is AnchorStatus.CARRIED
    assert anchor.exact == QUOTE
    assert_placed(case, anchor)
    assert [a.revision_number for a in annotation.anchors] == [1, 2]  # no duplicate anchor

    share(case)  # sharing does not move anything
    assert anchor_in(annotation, 2).status is AnchorStatus.CARRIED


def test_anchors_follow_a_chain_of_revisions(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    annotation = annotate(case, w.annotator, QUOTE)
    save(case, moment=MOMENT.replace("short", "clipped"))
    share(case)
    save(case, moment=INSERTED + MOMENT.replace("short", "clipped"))
    statuses = [(a.revision_number, a.status) for a in anchor_in(annotation, 3).annotation.anchors]
    assert statuses == [
        (1, AnchorStatus.CREATED),
        (2, AnchorStatus.CHANGED),
        (3, AnchorStatus.CARRIED),  # carried from revision 2's (edited) text
    ]
    assert anchor_in(annotation, 3).exact == EDITED_QUOTE
    assert_placed(case, anchor_in(annotation, 3))


@pytest.mark.parametrize("shared", [True, False], ids=["revision-2-shared", "revision-2-working"])
def test_an_annotation_on_an_older_revision_is_placed_in_the_newer_ones(
    app, make_user, make_group, shared
):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    save(case, moment=INSERTED + MOMENT)
    if shared:
        share(case)

    annotation = annotate(case, w.annotator, QUOTE, revision=1)

    assert [(a.revision_number, a.status) for a in annotation.anchors] == [
        (1, AnchorStatus.CREATED),
        (2, AnchorStatus.CARRIED),
    ]
    second = anchor_in(annotation, 2)
    assert second.start == anchor_in(annotation, 1).start + len(INSERTED)
    assert_placed(case, second)


def test_an_annotation_on_an_older_revision_can_be_orphaned_in_the_newer_one(
    app, make_user, make_group
):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    save(case, moment="\n\n".join([P1, P2, P3_WITHOUT_QUOTE]))
    share(case)
    annotation = annotate(case, w.annotator, QUOTE, revision=1)
    assert anchor_in(annotation, 2).status is AnchorStatus.ORPHANED
    assert annotation.original_exact == QUOTE


def test_a_repeated_phrase_stays_on_the_occurrence_that_was_annotated(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author, moment="\n\n".join([K1, K2, K3]))
    annotation = annotate(case, w.annotator, KNOW, occurrence=2)  # the one about her father
    assert anchor_in(annotation, 1).prefix.endswith("about her father, she said ")

    # The first paragraph goes and the others are reworded around the phrase: the annotated copy
    # is now the first one in the text, and a new copy is inserted before it.
    save(
        case,
        moment="\n\n".join(
            [
                "She began with I don't know, as she often did.",
                K2.replace("more quietly", "much more quietly"),
                K3,
            ]
        ),
    )
    anchor = anchor_in(annotation, 2)
    assert anchor.status is AnchorStatus.CARRIED
    assert anchor.exact == KNOW
    assert_placed(case, anchor)
    text = text_of(case, 2, "moment")
    second_copy = text.index(KNOW, text.index(KNOW) + 1)
    assert anchor.start == second_copy
    assert anchor.prefix.endswith("about her father, she said ")


def test_a_repeated_phrase_in_a_moved_paragraph_follows_its_paragraph(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author, moment="\n\n".join([K1, K2, K3]))
    annotation = annotate(case, w.annotator, KNOW, occurrence=3)
    save(case, moment="\n\n".join([K3, K1, K2]))
    anchor = anchor_in(annotation, 2)
    assert anchor.status is AnchorStatus.MOVED
    assert_placed(case, anchor)
    assert anchor.start == text_of(case, 2, "moment").index(KNOW)  # K3 now comes first
    assert anchor.suffix.startswith(", she said, and laughed.")


# -- who may read an annotation --------------------------------------------------------------------


def _readers(w: World, annotation: Annotation) -> set[str]:
    people = [w.facilitator, w.annotator, w.colleague, w.author, w.reader, w.outsider]
    return {
        user.display_name
        for user in people
        if user is not None and can(user, Permission.ANNOTATION_VIEW, annotation)
    }


@pytest.mark.parametrize(
    ("visibility", "expected"),
    [
        (AnnotationVisibility.PRIVATE, {"Sam"}),
        (AnnotationVisibility.REVIEWERS, {"Sam", "Kim", "Fran"}),
        (AnnotationVisibility.SUPERVISEE, {"Sam", "Kim", "Fran", "Alex"}),
        (AnnotationVisibility.GROUP, {"Sam", "Kim", "Fran", "Alex", "Robin"}),
    ],
)
def test_visibility_in_a_supervision_group(app, make_user, make_group, visibility, expected):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    annotation = annotate(case, w.annotator, QUOTE, visibility=visibility)
    assert _readers(w, annotation) == expected
    # Only the case author answers, and only what they can read.
    assert can(w.author, Permission.ANNOTATION_RESPOND, annotation) is ("Alex" in expected)
    assert not can(w.colleague, Permission.ANNOTATION_RESPOND, annotation)
    # Only its writer edits it; every reader may reply.
    assert {
        u.display_name
        for u in (w.annotator, w.colleague, w.facilitator, w.author)
        if can(u, Permission.ANNOTATION_EDIT, annotation)
    } == {"Sam"}
    assert can(w.author, Permission.ANNOTATION_REPLY, annotation) is ("Alex" in expected)


@pytest.mark.parametrize(
    ("visibility", "expected"),
    [
        (AnnotationVisibility.PRIVATE, {"Sam"}),
        # In a peer group every member but the author reviews.
        (AnnotationVisibility.REVIEWERS, {"Sam", "Kim", "Fran"}),
        (AnnotationVisibility.SUPERVISEE, {"Sam", "Kim", "Fran", "Alex"}),
        (AnnotationVisibility.GROUP, {"Sam", "Kim", "Fran", "Alex"}),
    ],
)
def test_visibility_in_a_peer_group(app, make_user, make_group, visibility, expected):
    w = make_world(make_user, make_group, GroupKind.PEER)
    case = shared_case(w.group, w.author)
    annotation = annotate(case, w.annotator, QUOTE, visibility=visibility)
    assert _readers(w, annotation) == expected


def test_the_default_visibility_depends_on_the_kind_of_group(app, make_user, make_group):
    supervision = make_world(make_user, make_group)
    peer = make_world(make_user, make_group, GroupKind.PEER)
    supervised_case = shared_case(supervision.group, supervision.author)
    peer_case = shared_case(peer.group, peer.author)
    assert default_visibility(supervised_case) is AnnotationVisibility.SUPERVISEE
    assert default_visibility(peer_case) is AnnotationVisibility.GROUP
    assert annotate(supervised_case, supervision.annotator, QUOTE).visibility is (
        AnnotationVisibility.SUPERVISEE
    )
    on_peer_case = annotate(peer_case, peer.annotator, QUOTE)
    assert on_peer_case.visibility is AnnotationVisibility.GROUP
    assert _readers(peer, on_peer_case) == {"Sam", "Kim", "Fran", "Alex"}


def test_an_annotation_is_hidden_with_its_flagged_case(app, make_user, make_group):
    from supervision.cases.privacy import flag_case

    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    annotation = annotate(case, w.annotator, QUOTE, visibility=AnnotationVisibility.GROUP)
    flag_case(case, w.reader, "", "Could be recognised.")
    db.session.commit()
    # The case is hidden from the group while flagged; the facilitator and the author still see it.
    assert _readers(w, annotation) == {"Fran", "Alex"}


# -- replies and answers ---------------------------------------------------------------------------


def test_replies_are_kept_in_order_with_their_markdown_rendered(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    annotation = annotate(case, w.annotator, QUOTE)
    reply(annotation, w.author, "I noticed it only afterwards.")
    reply(annotation, w.colleague, "Noticing it *afterwards* still counts.")
    db.session.commit()
    with pytest.raises(AnnotationError, match="Write a comment"):
        reply(annotation, w.author, "  ")
    with pytest.raises(AnnotationError, match="under"):
        reply(annotation, w.author, "x" * (ANNOTATION_BODY_MAX + 1))
    db.session.rollback()

    (loaded,) = case_annotations(case)
    assert [(r.author.display_name, r.body) for r in loaded.replies] == [
        ("Alex", "I noticed it only afterwards."),
        ("Kim", "Noticing it *afterwards* still counts."),
    ]
    assert "<em>afterwards</em>" in loaded.replies[1].body_html


def test_respond_does_not_warn_when_the_user_was_expired(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    annotation = annotate(case, w.annotator, QUOTE)  # commits: every loaded object is expired
    with warnings.catch_warnings():
        warnings.simplefilter("error", SAWarning)
        respond(annotation, w.author, ResponseKind.ACKNOWLEDGED)


def test_respond_replaces_the_earlier_answer(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    annotation = annotate(case, w.annotator, QUOTE)
    first = respond(annotation, w.author, ResponseKind.QUESTION)
    db.session.commit()
    assert first.kind.is_open
    asked_at = first.responded_at

    second = respond(annotation, w.author, ResponseKind.ADDRESSED)
    db.session.commit()
    assert count(AnnotationResponse) == 1
    assert second.id == first.id
    db.session.refresh(annotation)
    assert annotation.response is not None
    assert annotation.response.kind is ResponseKind.ADDRESSED
    assert not annotation.response.kind.is_open
    assert annotation.response.responded_by_id == w.author.id
    assert annotation.response.responded_at >= asked_at


# -- citations from review scores ------------------------------------------------------------------


def test_a_score_cites_annotations_and_citations_lists_the_scores(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    other_case = shared_case(w.group, w.author)
    one = annotate(case, w.annotator, QUOTE)
    two = annotate(case, w.colleague, "a small glow", section="reactions")
    elsewhere = annotate(other_case, w.annotator, QUOTE)
    review = start_review(case, w.annotator)
    other_review = start_review(case, w.colleague)
    db.session.commit()
    score, second_score = review.scores[0], review.scores[1]
    colleague_score = other_review.scores[0]

    assert citations(case) == {}
    cite(score, [one, two])
    cite(second_score, [two])
    cite(colleague_score, [two])
    db.session.commit()
    found = citations(case)
    assert set(found) == {one.id, two.id}
    assert found[one.id] == [score]
    assert {s.id for s in found[two.id]} == {score.id, second_score.id, colleague_score.id}
    assert citations(other_case) == {}

    cite(score, [two])  # citing again replaces the list
    db.session.commit()
    found = citations(case)
    assert one.id not in found
    assert {s.id for s in found[two.id]} == {score.id, second_score.id, colleague_score.id}

    with pytest.raises(AnnotationError, match="same case"):
        cite(score, [one, elsewhere])
    db.session.rollback()
    assert {s.id for s in citations(case)[two.id]} == {
        score.id,
        second_score.id,
        colleague_score.id,
    }
    assert citations(other_case) == {}

    cite(score, [])  # no evidence at all
    db.session.commit()
    assert {s.id for s in citations(case)[two.id]} == {second_score.id, colleague_score.id}


def test_citing_the_same_annotation_twice_cites_it_once(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    annotation = annotate(case, w.annotator, QUOTE)
    review = start_review(case, w.annotator)
    db.session.commit()
    cite(review.scores[0], [annotation, annotation])
    db.session.commit()
    assert citations(case) == {annotation.id: [review.scores[0]]}


def test_deleting_a_cited_annotation_removes_the_citation(app, make_user, make_group):
    from supervision.annotations.services import delete_annotation

    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    annotation = annotate(case, w.annotator, QUOTE)
    review = start_review(case, w.annotator)
    db.session.commit()
    cite(review.scores[0], [annotation])
    db.session.commit()
    delete_annotation(annotation)
    db.session.commit()
    assert citations(case) == {}


# -- redaction -------------------------------------------------------------------------------------


def _all_anchors(case: Case) -> list[AnnotationAnchor]:
    db.session.expire_all()
    return [anchor for a in case_annotations(case) for anchor in a.anchors]


def _assert_scrubbed(case: Case, passage: str, fragments: tuple[str, ...] = ()) -> None:
    """Nothing of ``passage`` (nor any of ``fragments``, pieces of it) is left in any copy, and
    every anchor still reads its quote in the scrubbed text."""
    gone = (passage, *fragments)
    for annotation in case_annotations(case):
        # What people wrote loses the passage; the quote loses every piece of it.
        texts = [annotation.body, annotation.body_html]
        texts += [text for r in annotation.replies for text in (r.body, r.body_html)]
        assert not [t for t in texts if passage in t], texts
        assert not [p for p in gone if p in annotation.original_exact], annotation.original_exact
    for anchor in _all_anchors(case):
        copies = (anchor.exact, anchor.prefix, anchor.suffix)
        assert not [c for c in copies for piece in gone if piece in c], copies
        if anchor.status is AnchorStatus.ORPHANED:
            assert anchor.section is None and anchor.exact == ""
        else:
            assert_placed(case, anchor)
            revision = revision_by_number(case, anchor.revision_number)
            assert revision is not None
            assert section_texts(revision)[anchor.section][anchor.start : anchor.end] == (
                anchor.exact
            )


def test_redaction_scrubs_quotes_context_comments_and_replies(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    passage = "her dad"
    inside = annotate(
        case,
        w.annotator,
        "reading the weather with her dad",
        body="Was *her dad* hers to bring in, or yours?",
    )
    reply(inside, w.author, "I brought her dad in myself.")
    context_only = annotate(case, w.colleague, "and she went quiet")  # her dad is in its prefix
    assert passage in anchor_in(context_only, 1).prefix
    untouched = annotate(case, w.colleague, "a small glow", section="reactions")
    save(case, moment=INSERTED + MOMENT)
    share(case)
    on_second = annotate(case, w.annotator, "with her dad, and", revision=2)
    db.session.commit()

    redact_passage(case, w.author, passage)
    db.session.commit()

    _assert_scrubbed(case, passage)
    db.session.expire_all()
    assert inside.original_exact == f"reading the weather with {REDACTED}"
    assert inside.body == f"Was *{REDACTED}* hers to bring in, or yours?"
    assert REDACTED in inside.body_html
    assert inside.replies[0].body == f"I brought {REDACTED} in myself."
    for number in (1, 2):
        assert anchor_in(inside, number).exact == f"reading the weather with {REDACTED}"
        assert anchor_in(context_only, number).exact == "and she went quiet"
        assert REDACTED in anchor_in(context_only, number).prefix
    assert anchor_in(inside, 1).status is AnchorStatus.CREATED  # statuses are kept
    assert anchor_in(inside, 2).status is AnchorStatus.CARRIED
    assert anchor_in(on_second, 2).exact == f"with {REDACTED}, and"
    assert on_second.original_exact == f"with {REDACTED}, and"
    assert anchor_in(untouched, 1).exact == "a small glow"


@pytest.mark.parametrize(
    ("quote", "passage", "fragments"),
    [
        # The passage starts inside the quote and runs on past its end.
        pytest.param(
            "reading the weather with her dad",
            "weather with her dad, and she",
            ("weather", "with her dad"),
            id="overlaps-the-end",
        ),
        # The passage starts before the quote and ends inside it.
        pytest.param(
            "reading the weather with her dad",
            "it sounded like reading",
            ("sounded", "reading"),
            id="overlaps-the-start",
        ),
        # The quote lies wholly inside the passage.
        pytest.param(
            "the weather",
            "reading the weather with",
            ("the weather",),
            id="contains-the-quote",
        ),
    ],
)
def test_redaction_of_a_passage_overlapping_a_quote(
    app, make_user, make_group, quote, passage, fragments
):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    annotation = annotate(case, w.annotator, quote, body=f"About “{quote}”.")
    redact_passage(case, w.author, passage)
    db.session.commit()
    _assert_scrubbed(case, passage, fragments)
    db.session.expire_all()
    anchor = anchor_in(annotation, 1)
    assert annotation.original_exact == (anchor.exact or REDACTED)
    assert annotation.body == f"About “{quote.replace(passage, REDACTED)}”."


@pytest.mark.parametrize(
    ("quote", "passage", "fragment", "where"),
    [
        # The prefix is the 32 characters before the quote: "ading the weather with her dad, ".
        pytest.param(
            "and she went quiet", "reading the weather", "ading the", "prefix", id="prefix"
        ),
        # The suffix is the 32 characters after it: " reading the weather with her da".
        pytest.param("I said it sounded like", "her dad, and", "her da", "suffix", id="suffix"),
    ],
)
def test_redaction_of_a_passage_at_the_edge_of_the_context(
    app, make_user, make_group, quote, passage, fragment, where
):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    annotation = annotate(case, w.annotator, quote)
    before = getattr(anchor_in(annotation, 1), where)
    # Only a piece of the passage is inside the context window.
    assert fragment in before and passage not in before

    redact_passage(case, w.author, passage)
    db.session.commit()

    _assert_scrubbed(case, passage, (fragment,))
    anchor = anchor_in(annotation, 1)
    assert (anchor.status, anchor.exact) == (AnchorStatus.CREATED, quote)
    assert "[redac" in getattr(anchor, where)  # the context now reads the scrubbed text


@pytest.mark.parametrize(
    ("quote", "passage", "expected"),
    [
        pytest.param(
            "reading the weather with her dad",
            "weather with her dad, and she",
            f"reading the {REDACTED}",
            id="most-of-the-quote",
        ),
        pytest.param("the weather", "reading the weather with", REDACTED, id="all-of-the-quote"),
    ],
)
def test_redaction_keeps_the_anchor_on_what_is_left_of_its_quote(
    app, make_user, make_group, quote, passage, expected
):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    annotation = annotate(case, w.annotator, quote)
    redact_passage(case, w.author, passage)
    db.session.commit()
    anchor = anchor_in(annotation, 1)
    assert (anchor.status, anchor.exact) == (AnchorStatus.CREATED, expected)
    assert_placed(case, anchor)


def test_redaction_leaves_orphaned_anchors_alone(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    annotation = annotate(case, w.annotator, QUOTE, body="The clock: she glanced at the clock.")
    save(case, moment="\n\n".join([P1, P2, P3_WITHOUT_QUOTE]))
    share(case)
    assert anchor_in(annotation, 2).status is AnchorStatus.ORPHANED

    redact_passage(case, w.author, "glanced at the clock")
    db.session.commit()

    _assert_scrubbed(case, "glanced at the clock")
    db.session.expire_all()
    assert anchor_in(annotation, 2).status is AnchorStatus.ORPHANED
    assert annotation.body == f"The clock: she {REDACTED}."
    assert "glanced" not in annotation.original_exact
