"""Demo growth: Amara's earlier cases in the Thursday group, each reviewed and released by
Tomás (one also by Rosa) and then closed, so her growth page tells a story over the weeks
before the cases in demo/cases.py; her self-assessment of each, made before the reviews came
in (she rates herself above her supervisors at first, closer later); and her choice to share
the page with Tomás.

Every person and case here is invented. It runs after the demo cases and before the demo
reviews (whose rubric versions come later), and dates everything it makes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from supervision.annotations.services import create_annotation, section_texts
from supervision.cases.services import close_case, create_case, revision_by_number
from supervision.demo.cases import _share
from supervision.demo.people import DemoWorkspace
from supervision.demo.timeline import notifications_at
from supervision.discussions.case_threads import case_thread
from supervision.extensions import db
from supervision.growth.services import set_growth_share
from supervision.models import Annotation, Case, GrowthShare, Review, User
from supervision.reviews.services import (
    ReviewInput,
    ScoreInput,
    release_review,
    save_citations,
    save_review,
    start_review,
    submit_review,
)
from supervision.self_assessment.services import start_self_assessment, submit_self_assessment

NOTE = "Name, age, town and workplace changed; the dialogue is paraphrased (demo workspace)."
SAVED_BEFORE_SUBMITTING = timedelta(minutes=5)
ANSWERED_BEFORE_SHARE = timedelta(minutes=10)


@dataclass(frozen=True)
class EarlierReview:
    reviewer: str
    days: tuple[float, float, float]  # started, submitted, released
    levels: dict[str, int | None]  # key -> level; None: not visible; absent: not visible
    feedback: str
    cites: str | None = None  # the criterion whose level cites the reviewer's annotation


@dataclass(frozen=True)
class EarlierCase:
    title: str
    sections: dict[str, str]
    days: tuple[float, float, float]  # written, shared, closed
    evidence: str  # a phrase of the moment: the evidence quoted and the passage annotated
    annotation: str
    reviews: tuple[EarlierReview, ...]
    own_levels: dict[str, int | None]  # Amara's self-assessment, before the reviews came in


EARLIER_CASES: tuple[EarlierCase, ...] = (
    EarlierCase(
        title="Running over at the end of sessions with a client who cries as we stop",
        sections={
            "context": "Integrative counselling placement, weekly sessions, session four.",
            "client": "The client, here called D., is a man in his fifties grieving his brother.",
            "moment": (
                "As I said we had five minutes left, D. began to cry for the first time. "
                "I let the session run twenty minutes over and said nothing about the time."
            ),
            "reactions": "I felt I could not stop him; stopping felt cruel.",
            "question": "How do I end on time when a client opens up at the door?",
        },
        days=(147, 144, 114),
        evidence="I let the session run twenty minutes over",
        annotation="Worth looking at what ending on time would have said to him.",
        reviews=(
            EarlierReview(
                "tomas",
                (23, 22.5, 22.2),
                {"boundaries": 2, "pacing": 2, "attunement": 2},
                "You stayed with his grief, and that matters. The frame is part of the care: "
                "next time, name the time kindly and offer to begin there next week.",
                cites="boundaries",
            ),
        ),
        own_levels={"boundaries": 4, "pacing": 3, "attunement": 4},
    ),
    EarlierCase(
        title="Her sister's wedding, and the advice I gave before I knew it",
        sections={
            "context": "Same placement, a client in her second month, session six.",
            "client": "The client, here called P., is a woman in her twenties, anxious and kind.",
            "moment": (
                "P. asked whether she should go to her sister's wedding. "
                "I told her she should go, and then we sat in a long silence I did not name."
            ),
            "reactions": "I wanted to be useful and felt exposed once I had answered.",
            "question": "When a client asks me what to do, what else could I offer?",
        },
        days=(117, 114, 78),
        evidence="I told her she should go",
        annotation="The advice closed a door here: what was she asking for underneath?",
        reviews=(
            EarlierReview(
                "tomas",
                (18.2, 17.8, 17.5),
                {"boundaries": 3, "pacing": 2, "attunement": 3, "silence": 2},
                "You caught yourself afterwards, which is the learning. Try wondering aloud "
                "with her about the question before answering it.",
                cites="pacing",
            ),
            EarlierReview(
                "rosa",
                (18, 17.6, 17.4),
                {"boundaries": 3, "pacing": 3, "attunement": 3, "silence": None},
                "A very ordinary pull, honestly described. The silence afterwards deserves "
                "its own look next time.",
            ),
        ),
        own_levels={"boundaries": 4, "pacing": 3, "attunement": 3, "silence": 3},
    ),
    EarlierCase(
        title="A cancelled session, and my relief that she cancelled",
        sections={
            "context": "Same placement, a long-standing client, session fifteen.",
            "client": "The client, here called K., is a woman in her forties, often furious.",
            "moment": (
                "K. cancelled an hour before. When she came back I said I had noticed "
                "feeling relieved, and wondered what last week had been like for her."
            ),
            "reactions": "Relief, then guilt; saying it out loud steadied me.",
            "question": "Was it right to tell her about my relief?",
        },
        days=(81, 78, 66),
        evidence="wondered what last week had been like for her",
        annotation="A careful, owned disclosure that opens the rupture gently.",
        reviews=(
            EarlierReview(
                "tomas",
                (12.6, 12.2, 12),
                {"boundaries": 4, "pacing": 3, "attunement": 3, "rupture_repair": 4},
                "This is repair work: brief, owned and turned back to her experience.",
                cites="rupture_repair",
            ),
        ),
        own_levels={"boundaries": 4, "pacing": 3, "attunement": 3, "rupture_repair": 3},
    ),
)
SHARED_WITH_TOMAS_DAYS_AGO = 5.5  # after her earlier cases, before "She went quiet" is released


def _annotate(case: Case, user: User, phrase: str, body: str) -> Annotation:
    revision = revision_by_number(case, 1)
    assert revision is not None
    start = section_texts(revision)["moment"].index(phrase)
    end = start + len(phrase)
    return create_annotation(case, user, 1, "moment", start, end, phrase, body)


def load_demo_growth(workspace: DemoWorkspace) -> list[Case]:
    users = workspace.users
    group = workspace.groups[0]  # the Thursday supervision group
    amara = users["amara"]
    made = []
    for plan in EARLIER_CASES:
        written, shared, closed = (workspace.ago(days) for days in plan.days)
        case = create_case(group, amara, plan.title, plan.sections)
        case.is_demo = True
        with notifications_at(shared):
            _share(case, amara, NOTE)
        annotated = shared + timedelta(hours=6)
        annotation = _annotate(case, users["tomas"], plan.evidence, plan.annotation)
        own = start_self_assessment(case, amara)  # before any review: blind
        submit_self_assessment(
            own, {s.criterion_key: plan.own_levels.get(s.criterion_key) for s in own.scores}
        )
        own.created_at = shared + timedelta(hours=2)
        own.submitted_at = shared + timedelta(hours=3)
        for demo in plan.reviews:
            started, submitted, released = (workspace.ago(days) for days in demo.days)
            review = start_review(case, users[demo.reviewer])
            scores = {s.criterion_key: ScoreInput(not_visible=True) for s in review.scores}
            for key, level in demo.levels.items():
                if level is not None:
                    scores[key] = ScoreInput(level=level, evidence=plan.evidence)
            save_review(review, ReviewInput(scores, demo.feedback, ""))
            if demo.cites is not None:
                save_citations(review, {demo.cites: [annotation]})
            with notifications_at(submitted):
                submit_review(review)
            with notifications_at(released):
                release_review(review)
            _date_review(review, started, submitted, released)
        close_case(case)
        annotation.created_at = annotation.updated_at = annotated
        _date_case(case, written, shared, closed)
        made.append(case)
    set_growth_share(amara, group, users["tomas"].id, True)
    shares = db.select(GrowthShare).where(GrowthShare.supervisee_id == amara.id)
    for row in db.session.scalars(shares):
        row.created_at = workspace.ago(SHARED_WITH_TOMAS_DAYS_AGO)
    db.session.flush()
    return made


def _date_review(
    review: Review, started: datetime, submitted: datetime, released: datetime
) -> None:
    review.created_at = started
    review.updated_at = submitted - SAVED_BEFORE_SUBMITTING
    review.submitted_at = submitted
    review.released_at = released


def _date_case(case: Case, written: datetime, shared: datetime, closed: datetime) -> None:
    for revision in case.revisions:
        revision.created_at = revision.updated_at = written
        revision.cleared_at = shared
    for resolution in case.resolutions:
        resolution.resolved_at = shared - ANSWERED_BEFORE_SHARE
    case.created_at = written
    case.updated_at = shared
    case.shared_at = shared
    case.closed_at = closed
    thread = case_thread(case)
    if thread is not None:
        thread.created_at = thread.last_post_at = shared
