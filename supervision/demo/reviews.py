"""Demo reviews: released and draft reviews, a discrepancy with a consensus, and a group's own
second rubric version. Evidence quotes are taken from the demo vignettes themselves."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from supervision.demo.people import DemoWorkspace
from supervision.demo.timeline import PEOPLE_DAYS_AGO, notifications_at
from supervision.extensions import db
from supervision.models import Case, Review, User
from supervision.reviews.services import (
    ReviewInput,
    ScoreInput,
    add_reconciliation_note,
    record_consensus,
    release_review,
    save_review,
    start_review,
    submit_review,
)
from supervision.rubrics.services import (
    builtin_rubric,
    choose_rubric,
    latest_published,
    new_draft_version,
    publish_version,
    update_draft,
    version_data,
)

NOT_VISIBLE = "n/o"


@dataclass(frozen=True)
class DemoReconciliation:
    """The reviewers discuss a discrepancy on one criterion, then record a consensus."""

    criterion: str
    notes: tuple[tuple[str, str], ...]  # (handle, body)
    level: int
    dissent: str
    days_ago: tuple[float, ...]  # one per note, then the consensus


@dataclass(frozen=True)
class DemoReview:
    case_title_start: str
    reviewer: str
    outcome: str  # "draft", "submitted" or "released"
    # Days before the load it was started, then submitted and released, as far as `outcome`.
    days_ago: tuple[float, ...]
    scores: dict[str, tuple[int | str, str, str]]  # key -> (level or n/o, evidence, comment)
    feedback: str
    private_notes: str = ""
    reconcile: DemoReconciliation | None = None


DEMO_REVIEWS: tuple[DemoReview, ...] = (
    DemoReview(
        "She went quiet",
        "tomas",
        "released",
        (9.5, 8, 6),  # started, submitted, released; revision 2 was shared 10.5 days before
        {
            "boundaries": (
                4,
                "So I picked up something you'd put down on purpose. I'm sorry.",
                "Your apology is brief and about your part, not a long self-reproach: the frame "
                "stays yours to hold.",
            ),
            "pacing": (
                2,
                "It sounds a bit like reading the weather with your dad.",
                "The link came before she had reached it herself; you saw this afterwards, "
                "which is exactly the learning.",
            ),
            "rupture_repair": (
                5,
                "When I brought your dad in, it felt like something closed a little",
                "You named the withdrawal markers gently and owned your part. She then "
                "returned to the material on her own terms.",
            ),
            "attunement": (
                4,
                "she glanced at the clock twice",
                "You tracked the small signs of her closing down: short answers, the clock.",
            ),
            "silence": (NOT_VISIBLE, "", "Not enough in the write-up to say."),
        },
        "This is a lovely piece of repair work. The rupture itself is very ordinary: a good "
        "link offered a little early. What matters is what you did with it.\n\n"
        '- You noticed the **withdrawal markers** ("Yeah." "Not really." the clock).\n'
        "- You came back to it at the start of the next session, tentatively.\n"
        '- You let her correct you: *"it was mine to say"*.\n\n'
        "On your question about the apology: it repairs when it stays short and returns the "
        "floor to her, which yours did.",
        private_notes="Watch for the glow of being right; worth bringing to her own therapy?",
        reconcile=DemoReconciliation(
            "pacing",
            (
                (
                    "tomas",
                    "I scored 2 because the interpretation arrived before she had any sense "
                    "of it herself.",
                ),
                (
                    "rosa",
                    "I read the pacing across both sessions: the repair is itself a slowing "
                    "down, which is why I gave 4.",
                ),
            ),
            3,
            "Tomás still reads the first session alone as a 2; agreed to note it.",
            days_ago=(6.8, 6.5, 6.2),  # after Rosa's review made the discrepancy
        ),
    ),
    DemoReview(
        "She went quiet",
        "rosa",
        "submitted",
        (8.5, 7),  # her submission makes the discrepancy on pacing
        {
            "boundaries": (
                4,
                "I'd like you to be the one who decides when, or whether, we go there.",
                "Warm and clear; you hand control back without abandoning the theme.",
            ),
            "pacing": (
                4,
                "I'd like you to be the one who decides when, or whether, we go there.",
                "Across both sessions the pacing recovers well and is explicitly handed to her.",
            ),
            "rupture_repair": (
                5,
                "That was me moving faster than you.",
                "Owning one's part in plain words: textbook repair, and not at all textbook "
                "in tone.",
            ),
            "attunement": (
                3,
                'She paused, said "Maybe,"',
                "The pause was a cue you caught only in hindsight.",
            ),
            "silence": (NOT_VISIBLE, "", ""),
        },
        'Good work. I would like to think with you about the moment of the "small glow": '
        "it is very human, and knowing it helps you notice when you are ahead of a client.",
    ),
    DemoReview(
        '"You\'re just ticking boxes"',
        "tomas",
        "draft",
        (6,),  # the case was shared 7.5 days before the load
        {
            "holding_steady": (
                4,
                "You're angry with me, and you've every reason to be.",
                "",
            ),
        },
        "Draft: thinking about the question of over-owning.",
    ),
    DemoReview(
        "A client ended by email",
        "elena",
        "released",
        (10.2, 9, 8.5),  # the case was shared 11 days before the load
        {
            "boundaries": (
                5,
                "offered a final session if he wanted to end in the room",
                "One reply, an open door, no pursuit: the frame held with warmth.",
            ),
            "pacing": (
                3,
                "We can go as slowly with it as you need.",
                "The words are right; whether the session's ending left him time to land is "
                "the open question.",
            ),
            "rupture_repair": (
                3,
                "I feel like I've been turned inside out.",
                "A confrontation-free rupture: shame, then leaving. Worth naming as such.",
            ),
            "holding_steady": (NOT_VISIBLE, "", ""),
        },
        "Thank you for bringing an ending that hurts. I think your single reply was the right "
        "amount. A short letter after some weeks could be a second door, if it asks nothing "
        "of him.",
    ),
)


def _input(demo: DemoReview) -> ReviewInput:
    scores = {}
    for key, (level, evidence, comment) in demo.scores.items():
        not_visible = level == NOT_VISIBLE
        scores[key] = ScoreInput(
            level=None if not_visible else int(level),
            not_visible=not_visible,
            comment=comment,
            evidence=evidence,
        )
    return ReviewInput(scores, demo.feedback, demo.private_notes)


def _case(cases: list[Case], title_start: str) -> Case:
    return next(c for c in cases if c.title.startswith(title_start))


# The supervision group adapts the default rubric after the reviews above were started with it:
# version 1 and its clarified version 2, each (created, published) in days before the load.
RUBRIC_DAYS_AGO = ((4.5, 4.4), (3.5, 3))
SAVED_BEFORE_SUBMITTING = timedelta(minutes=5)


def load_demo_reviews(workspace: DemoWorkspace, cases: list[Case]) -> None:
    users: dict[str, User] = workspace.users
    _date_builtin_rubric(workspace)
    made = []
    for demo in DEMO_REVIEWS:
        case = _case(cases, demo.case_title_start)
        review = start_review(case, users[demo.reviewer])
        data = _input(demo)
        if demo.outcome != "draft":
            for score in review.scores:  # every criterion answered before submitting
                data.scores.setdefault(score.criterion_key, ScoreInput(not_visible=True))
        save_review(review, data)
        dates = [workspace.ago(days) for days in demo.days_ago]
        if demo.outcome in ("submitted", "released"):
            with notifications_at(dates[1]):
                submit_review(review)
        if demo.outcome == "released":
            with notifications_at(dates[2]):
                release_review(review)
        _date_review(review, *dates)
        made.append((demo, review))
    for demo, review in made:  # once every review of the revision is in
        if demo.reconcile is not None:
            _reconcile(workspace, review, demo.reconcile)
    _second_rubric_version(workspace)
    db.session.flush()


def _date_review(
    review: Review,
    started: datetime,
    submitted: datetime | None = None,
    released: datetime | None = None,
) -> None:
    review.created_at = started
    review.updated_at = started if submitted is None else submitted - SAVED_BEFORE_SUBMITTING
    review.submitted_at = submitted
    review.released_at = released


def _reconcile(workspace: DemoWorkspace, review: Review, plan: DemoReconciliation) -> None:
    users = workspace.users
    case, revision = review.case, review.revision_number
    dates = [workspace.ago(days) for days in plan.days_ago]
    for (handle, body), when in zip(plan.notes, dates[:-1], strict=True):
        note = add_reconciliation_note(case, revision, plan.criterion, users[handle], body)
        note.created_at = when
    consensus = record_consensus(
        case, revision, plan.criterion, users["rosa"], plan.level, plan.dissent
    )
    consensus.recorded_at = dates[-1]


def _date_builtin_rubric(workspace: DemoWorkspace) -> None:
    """The platform's rubric, when the demo load is its first use, predates the demo groups."""
    rubric = builtin_rubric()
    if rubric.created_at < workspace.loaded_at:
        return  # it was there before the demo
    rubric.created_at = workspace.ago(PEOPLE_DAYS_AGO)
    for version in rubric.versions:
        version.created_at = version.published_at = rubric.created_at


def _second_rubric_version(workspace: DemoWorkspace) -> None:
    """The supervision group adapts the default rubric: version 1, then a clarified version 2."""
    group = workspace.groups[0]
    facilitator = workspace.users["rosa"]
    builtin = latest_published(builtin_rubric())
    assert builtin is not None
    first = new_draft_version(group, builtin, facilitator)
    publish_version(first)
    second = new_draft_version(group, first, facilitator)
    data = version_data(second)
    note = " In this group we also note silences the writer describes but did not time."
    criteria = [
        replace(c, guidance=c.guidance + note) if c.key == "silence" else c for c in data.criteria
    ]
    update_draft(second, replace(data, criteria=criteria))
    publish_version(second)
    choose_rubric(group, second.rubric)
    first.rubric.created_at = workspace.ago(RUBRIC_DAYS_AGO[0][0])
    for version, (created, published) in zip((first, second), RUBRIC_DAYS_AGO, strict=True):
        version.created_at = workspace.ago(created)
        version.published_at = workspace.ago(published)
