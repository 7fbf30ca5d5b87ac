"""Demo annotations: supervisors' and peers' comments on passages of the shared demo cases, with
replies, the authors' answers and a review score citing one as its evidence.

On "She went quiet..." the annotations made on revision 1 show every way an anchor can follow the
text: carried into revision 2, changed (the moment was rewritten with the dialogue), and orphaned
(a summary sentence the rewrite dropped). A moved anchor cannot arise from that pair, so, as Rosa
suggests in her annotation, Amara moves a sentence from her reactions into her question in a
third revision, and the annotation on it follows as moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from supervision.annotations.services import cite, create_annotation, reply, respond, section_texts
from supervision.cases.sections import SECTION_KEYS
from supervision.cases.services import latest_revision, revision_by_number, save_case
from supervision.demo.cases import _share, date_case
from supervision.demo.people import DemoWorkspace
from supervision.demo.timeline import notifications_at
from supervision.extensions import db
from supervision.models import Annotation, AnnotationVisibility, Case, ResponseKind, Review, User

TOO_SOON = "She went quiet"
ENDED_BY_EMAIL = "A client ended by email"
TICKING_BOXES = '"You\'re just ticking boxes"'

# The sentence Amara moves from "My reactions" to "My question for supervision" in revision 3.
MOVED_SENTENCE = (
    "I also wonder whether my apology was partly about my own discomfort, and whether I made her "
    "look after me."
)


@dataclass(frozen=True)
class DemoAnnotation:
    key: str
    case_title_start: str
    author: str  # a demo handle
    revision: int
    section: str
    quote: str  # must occur exactly once in the section of that revision
    body: str  # Markdown
    days_ago: float  # made this many days before the load, after its revision was shared
    criterion: str | None = None
    visibility: AnnotationVisibility | None = None  # None: the group's default
    replies: tuple[tuple[str, str], ...] = ()  # (handle, Markdown), REPLY_GAP apart
    response: ResponseKind | None = None  # the case author's answer; None: still open
    answered_days_ago: float | None = None  # when the author answered (with a response)


REPLY_GAP = timedelta(hours=5)  # between an annotation and its first reply, and between replies


DEMO_ANNOTATIONS: tuple[DemoAnnotation, ...] = (
    # -- "She went quiet...": made on revision 1, followed into revisions 2 and 3 ---------------
    DemoAnnotation(
        "briskly",  # the client section is unchanged: carried
        TOO_SOON,
        "tomas",
        1,
        "client",
        "tends to say hard things briskly and move on",
        "Worth holding on to. *Briskly and move on* is exactly what she does after your link: "
        '"maybe", and a change of subject. You had described her way of closing a topic before '
        "it happened in the room.",
        days_ago=13.5,
        criterion="attunement",
        response=ResponseKind.ACKNOWLEDGED,
        answered_days_ago=13,
    ),
    DemoAnnotation(
        "the-link",  # rewritten with the dialogue in revision 2: text changed
        TOO_SOON,
        "tomas",
        1,
        "moment",
        "it sounds like reading the weather with your dad",
        "A good link, and an accurate one. The question is **whose it was to make, and when**: "
        "she mentioned her father in one sentence and then left him alone for six sessions. What "
        "might it have been like to wait for her to bring him back?",
        days_ago=13.4,
        criterion="pacing",
        replies=(
            (
                "amara",
                "How would I know she is ready, though? If I wait for her to bring him, it might "
                "never happen.",
            ),
            (
                "tomas",
                "It might not, and that would be hers to decide. Listen for when she starts "
                'linking things herself ("it\'s a bit like..."). Bring it on Thursday and we '
                "can think about it together.",
            ),
        ),
        response=ResponseKind.QUESTION,
        answered_days_ago=13.15,
    ),
    DemoAnnotation(
        "hers-to-say",  # a summary sentence the dialogue replaced: orphaned
        TOO_SOON,
        "rosa",
        1,
        "moment",
        "She said it was hers to say.",
        "This may be the most important sentence in the write-up, and it goes by in a line. "
        "What exactly did she say, and what did you say back? The group will want the words.",
        days_ago=13.2,
        criterion="rupture_repair",
        response=ResponseKind.ADDRESSED,
        answered_days_ago=10.45,
    ),
    DemoAnnotation(
        "real-question",  # carried into revision 2, moved to the question in revision 3
        TOO_SOON,
        "rosa",
        1,
        "reactions",
        "whether my apology was partly about my own discomfort, and whether I made her look after "
        "me",
        "This sounds like your real question. Would you move it into *My question for "
        "supervision*, so that we give it proper time on Thursday?",
        days_ago=13.2,
        response=ResponseKind.ADDRESSED,
        answered_days_ago=4.95,
    ),
    # -- "She went quiet...": made on revision 2 ------------------------------------------------
    DemoAnnotation(
        "the-apology",
        TOO_SOON,
        "tomas",
        2,
        "moment",
        "So I picked up something you'd put down on purpose. I'm sorry. That was me moving "
        "faster than you.",
        "Short, specific and about your part. This is the kind of apology that repairs: it hands "
        'the floor straight back to her, and she takes it ("it was mine to say").',
        days_ago=9.6,
        criterion="rupture_repair",  # left open: Amara has not answered yet
    ),
    DemoAnnotation(
        "the-glow",
        TOO_SOON,
        "tomas",
        2,
        "reactions",
        "a small glow of having been right",
        "For Thursday: the glow. Go gently; she has already named it herself, which is most of "
        "the work.",
        days_ago=9.55,
        visibility=AnnotationVisibility.PRIVATE,
    ),
    DemoAnnotation(
        "the-clock",
        TOO_SOON,
        "rosa",
        2,
        "moment",
        "she glanced at the clock twice",
        "Tomás: a withdrawal marker she saw only in hindsight, which is why I scored attunement "
        "a 3. Worth a word before we meet.",
        days_ago=8.4,
        criterion="attunement",
        visibility=AnnotationVisibility.REVIEWERS,
    ),
    # -- "You're just ticking boxes" -------------------------------------------------------------
    DemoAnnotation(
        "every-reason",
        TICKING_BOXES,
        "tomas",
        1,
        "moment",
        "You're angry with me, and you've every reason to be.",
        "You let his anger land before explaining anything: that is holding steady. The second "
        "half is where I would think about your question on over-owning: *every* reason?",
        days_ago=6.4,
        criterion="holding_steady",
        response=ResponseKind.ACKNOWLEDGED,
        answered_days_ago=5.5,
    ),
    # -- the peer circle: "A client ended by email" ----------------------------------------------
    DemoAnnotation(
        "open-door",
        ENDED_BY_EMAIL,
        "elena",
        1,
        "moment",
        "offered a final session if he wanted to end in the room",
        "One reply, one open door, no pursuit. If you do write again after some weeks, I would "
        "keep the letter to this size.",
        days_ago=10.5,
        criterion="boundaries",
        response=ResponseKind.ACKNOWLEDGED,
        answered_days_ago=9.8,
    ),
    DemoAnnotation(
        "inside-out",
        ENDED_BY_EMAIL,
        "jun",
        1,
        "moment",
        "I feel like I've been turned inside out.",
        "This is where I would look for the rupture: he tells you how exposed he feels, then "
        "books next week as if nothing had happened. **Shame often leaves quietly.**",
        days_ago=10.3,
        criterion="rupture_repair",
        replies=(
            (
                "noor",
                'Yes. I went straight to reassurance ("it took courage") and I wonder now whether '
                "naming the exposure would have let him stay with it a little longer.",
            ),
        ),
    ),
    DemoAnnotation(
        "for-me",
        ENDED_BY_EMAIL,
        "elena",
        1,
        "reactions",
        "Part of me wants to write again; part of me thinks that would be for me.",
        "When we meet: ask Noor what the letter would say before asking whether to send it.",
        days_ago=10.45,
        visibility=AnnotationVisibility.PRIVATE,
    ),
)

# (case, reviewer, criterion) of a review score -> the annotations (by key) it cites.
DEMO_CITATIONS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (TOO_SOON, "tomas", "pacing", ("the-link",)),
    (ENDED_BY_EMAIL, "elena", "boundaries", ("open-door",)),
)


def _case(cases: list[Case], title_start: str) -> Case:
    return next(c for c in cases if c.title.startswith(title_start))


def _annotate(case: Case, user: User, demo: DemoAnnotation) -> Annotation:
    revision = revision_by_number(case, demo.revision)
    if revision is None:
        raise ValueError(f"{demo.key}: the case has no revision {demo.revision}")
    text = section_texts(revision)[demo.section]
    start = text.find(demo.quote)
    if start < 0 or text.find(demo.quote, start + 1) >= 0:
        raise ValueError(f"{demo.key}: the quote is not once in {demo.section}: {demo.quote!r}")
    return create_annotation(
        case,
        user,
        demo.revision,
        demo.section,
        start,
        start + len(demo.quote),
        demo.quote,
        demo.body,
        criterion_key=demo.criterion,
        visibility=demo.visibility,
    )


def _move_into_question(case: Case) -> None:
    """Revision 3 of "She went quiet...": the author moves a wondering from her reactions into
    her question for supervision, as Rosa suggested."""
    latest = latest_revision(case)
    sections = {key: getattr(latest, key) or "" for key in SECTION_KEYS}
    if MOVED_SENTENCE + " " not in sections["reactions"]:
        raise ValueError("the sentence to move is not in the reactions any more")
    sections["reactions"] = sections["reactions"].replace(MOVED_SENTENCE + " ", "")
    sections["question"] = f"{sections['question']}\n\n{MOVED_SENTENCE}"
    save_case(case, case.author, latest.title, sections, case.edit_version)
    _share(case, case.author, latest.altered_note or "Nothing further altered.")


def load_demo_annotations(workspace: DemoWorkspace, cases: list[Case]) -> None:
    """Annotate the shared demo cases (after the demo reviews exist, so a score can cite)."""
    users = workspace.users
    made: dict[str, Annotation] = {}
    for demo in DEMO_ANNOTATIONS:
        case = _case(cases, demo.case_title_start)
        annotation = _annotate(case, users[demo.author], demo)
        annotation.created_at = annotation.updated_at = workspace.ago(demo.days_ago)
        made[demo.key] = annotation
    too_soon = _case(cases, TOO_SOON)
    _move_into_question(too_soon)
    date_case(workspace, too_soon)  # its revision 3
    for demo in DEMO_ANNOTATIONS:
        annotation = made[demo.key]
        when = annotation.created_at
        for handle, body in demo.replies:
            when += REPLY_GAP
            with notifications_at(when):
                reply(annotation, users[handle], body).created_at = when
        if demo.response is not None:
            assert demo.answered_days_ago is not None, demo.key
            answered = workspace.ago(demo.answered_days_ago)
            with notifications_at(answered):
                respond(annotation, annotation.case.author, demo.response).responded_at = answered
    for title_start, reviewer, criterion, keys in DEMO_CITATIONS:
        review = _latest_review(_case(cases, title_start), users[reviewer])
        score = next(s for s in review.scores if s.criterion_key == criterion)
        cite(score, [made[key] for key in keys])
    db.session.flush()


def _latest_review(case: Case, reviewer: User) -> Review:
    """The reviewer's review of the case's newest revision they reviewed."""
    review = db.session.scalar(
        select(Review)
        .where(Review.case_id == case.id, Review.reviewer_id == reviewer.id)
        .order_by(Review.revision_number.desc())
        .limit(1)
    )
    if review is None:
        raise ValueError(f"{reviewer.display_name} has no review of {case.title!r}")
    return review
