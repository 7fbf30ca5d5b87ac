"""Demo reviews: released and draft reviews, a discrepancy with a consensus, and a group's own
second rubric version. Evidence quotes are taken from the demo vignettes themselves."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from supervision.extensions import db
from supervision.models import Case, User
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

if TYPE_CHECKING:
    from supervision.demo.workspace import DemoWorkspace

NOT_VISIBLE = "n/o"


@dataclass(frozen=True)
class DemoReview:
    case_title_start: str
    reviewer: str
    outcome: str  # "draft", "submitted" or "released"
    scores: dict[str, tuple[int | str, str, str]]  # key -> (level or n/o, evidence, comment)
    feedback: str
    private_notes: str = ""
    reconcile: dict[str, object] = field(default_factory=dict)


DEMO_REVIEWS: tuple[DemoReview, ...] = (
    DemoReview(
        "She went quiet",
        "tomas",
        "released",
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
        reconcile={
            "criterion": "pacing",
            "notes": [
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
            ],
            "level": 3,
            "dissent": "Tomás still reads the first session alone as a 2; agreed to note it.",
        },
    ),
    DemoReview(
        "She went quiet",
        "rosa",
        "submitted",
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


def load_demo_reviews(workspace: DemoWorkspace, cases: list[Case]) -> None:
    users: dict[str, User] = workspace.users
    for demo in DEMO_REVIEWS:
        case = _case(cases, demo.case_title_start)
        review = start_review(case, users[demo.reviewer])
        data = _input(demo)
        if demo.outcome != "draft":
            for score in review.scores:  # every criterion answered before submitting
                data.scores.setdefault(score.criterion_key, ScoreInput(not_visible=True))
        save_review(review, data)
        if demo.outcome in ("submitted", "released"):
            submit_review(review)
        if demo.outcome == "released":
            release_review(review)
        if demo.reconcile:
            _reconcile(case, review.revision_number, demo.reconcile, users)
    _second_rubric_version(workspace)
    db.session.flush()


def _reconcile(case: Case, revision: int, plan: dict[str, object], users: dict[str, User]) -> None:
    key = str(plan["criterion"])
    for handle, body in plan["notes"]:  # type: ignore[attr-defined]
        add_reconciliation_note(case, revision, key, users[handle], body)
    record_consensus(
        case,
        revision,
        key,
        users["rosa"],
        int(plan["level"]),
        str(plan["dissent"]),  # type: ignore[call-overload]
    )


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
