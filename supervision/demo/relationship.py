"""Demo relationship check-ins: over the weeks, the supervisees of the supervision group answer
a check-in after each review Tomás releases, so his desk shows a pooled trend (three periods,
the last one lower: the desk suggests naming a possible rupture). Sam has also said he would
like to talk about how supervision is going.

A check-in follows a released review, so this module brings a few earlier, short cases, each
shared, reviewed by Tomás, released and closed by its author. It runs before the demo reviews,
while the group still scores with the built-in rubric.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from supervision.cases.gate import resolve_finding, review_revision, share_case
from supervision.cases.sections import CHECKLIST_KEYS
from supervision.cases.services import close_case, create_case, latest_revision
from supervision.demo.people import DemoWorkspace
from supervision.demo.timeline import notifications_at
from supervision.discussions.case_threads import case_thread
from supervision.extensions import db
from supervision.models import Case, RelationshipCheck, Review, ReviewStatus, User
from supervision.relationship.occasions import occasion_of
from supervision.relationship.services import record_check, request_talk
from supervision.reviews.services import (
    ReviewInput,
    ScoreInput,
    release_review,
    save_review,
    start_review,
    submit_review,
)

RESOLUTION = "Pseudonym or invented detail (demo workspace)"
ALTERED = "Age, work and family details changed; the session is composited from several."


@dataclass(frozen=True)
class EarlierCase:
    author: str
    title: str
    moment: str
    question: str
    days: tuple[float, float, float, float]  # shared, review released, closed, check-in answered
    answers: tuple[int, int, int, int]  # safety, goals, tasks, heard
    note: str = ""
    levels: tuple[int, int] = (3, 3)  # pacing, attunement


EARLIER_CASES: tuple[EarlierCase, ...] = (
    EarlierCase(
        "jun",
        "Arriving late, and my irritation before she had said a word",
        "She came in fifteen minutes late and apologised at length. I said it was fine, but "
        "I noticed I was clipped for the first part of the session.",
        "How do I name lateness without it becoming a telling-off?",
        (162, 150, 148.8, 147),
        (6, 5, 5, 6),
        "More room to think out loud before the feedback would help.",
    ),
    EarlierCase(
        "sam",
        "He asked whether I was religious",
        "Halfway through, he asked me straight out whether I believe in anything. I answered "
        "with a question and he went quiet for the rest of the hour.",
        "Was deflecting the question a rupture I missed?",
        (156, 144, 142.8, 138),
        (5, 6, 6, 6),
    ),
    EarlierCase(
        "amara",
        "The session I let run over by twenty minutes",
        "She began talking about her brother just as we were due to stop, and I let the "
        "session run on. Afterwards I felt both kind and uneasy.",
        "What does holding the end of the hour protect?",
        (144, 132, 130.8, 126),
        (5, 5, 6, 6),
        levels=(2, 4),
    ),
    EarlierCase(
        "jun",
        "She laughed every time she mentioned the accident",
        "Each time the accident came up she laughed and moved on. I laughed with her once and "
        "regretted it.",
        "How do I meet the laugh without either joining it or correcting it?",
        (126, 114, 112.8, 108),
        (6, 6, 6, 7),
        "I liked being asked what I wanted from the hour.",
        levels=(3, 4),
    ),
    EarlierCase(
        "sam",
        "Offering water when she cried",
        "When she started crying I got up to pour her a glass of water. She stopped crying and "
        "thanked me, and we talked about something else.",
        "Was the water for her or for me?",
        (114, 102, 100.8, 99),
        (6, 6, 5, 6),
        levels=(2, 3),
    ),
    EarlierCase(
        "amara",
        "His silence after I gave the date of our last session",
        "I gave him the date of our final session, six weeks ahead. He nodded, said nothing "
        "for a long time, and then asked about parking.",
        "How could I have stayed with the silence rather than filling it?",
        (102, 90, 88.8, 84),
        (6, 7, 6, 6),
        levels=(4, 4),
    ),
    EarlierCase(
        "jun",
        "I reassured him too quickly",
        "He said he thought he was a burden to everyone. I told him at once that he was not, "
        "and he agreed with me a little too fast.",
        "What would staying with the feeling have looked like?",
        (84, 72, 70.8, 66),
        (5, 4, 5, 5),
        "Feedback came fast; I needed a moment before the next point.",
        levels=(2, 2),
    ),
    EarlierCase(
        "sam",
        "The second cancelled session in a row",
        "She cancelled again by text an hour before. I wrote back a longer message than I "
        "meant to, and wondered afterwards who it was for.",
        "How do I respond to cancellations without chasing?",
        (72, 60, 58.8, 54),
        (4, 5, 4, 5),
        "It felt hard to disagree with the scores this time.",
        levels=(2, 3),
    ),
)
# The existing released review of Amara's case ("She went quiet", released six days before the
# load): her check-in completes the third period.
LATEST_CHECK_IN = ("She went quiet", 5.0, (5, 5, 4, 5))
TALK_DAYS_AGO = 4.5  # Sam would like to talk about how supervision is going


def _sections(entry: EarlierCase) -> dict[str, str]:
    return {
        "context": "Weekly counselling at a community service, early in the work.",
        "client": "An adult client; details are composited and changed.",
        "moment": entry.moment,
        "reactions": "I felt unsure, and a little exposed, writing it down.",
        "question": entry.question,
    }


def _share(case: Case, author: User) -> None:
    revision = latest_revision(case)
    for item in review_revision(case, revision).open_findings:
        resolve_finding(
            case, revision, author, item.section, item.finding.kind, item.finding.text, RESOLUTION
        )
    share_case(case, author, sorted(CHECKLIST_KEYS), ALTERED)


def _review(case: Case, reviewer: User, entry: EarlierCase) -> Review:
    review = start_review(case, reviewer)
    levels = dict(zip(("pacing", "attunement"), entry.levels, strict=True))
    scores = {
        score.criterion_key: (
            ScoreInput(level=levels[score.criterion_key], evidence=entry.moment.split(". ")[0])
            if score.criterion_key in levels
            else ScoreInput(not_visible=True)
        )
        for score in review.scores
    }
    feedback = "Thank you for bringing this so openly. Let's look at the moment together."
    save_review(review, ReviewInput(scores, feedback, ""))
    return review


def _date(workspace: DemoWorkspace, case: Case, review: Review, entry: EarlierCase) -> None:
    shared, released, closed, _ = (workspace.ago(days) for days in entry.days)
    written = workspace.ago(entry.days[0] + 0.5)
    for revision in case.revisions:
        revision.created_at = revision.updated_at = written
        revision.cleared_at = shared
    for resolution in case.resolutions:
        resolution.resolved_at = shared
    case.created_at, case.updated_at, case.shared_at, case.closed_at = (
        written,
        shared,
        shared,
        closed,
    )
    thread = case_thread(case)
    if thread is not None:
        thread.created_at = thread.last_post_at = shared
    started = workspace.ago(entry.days[1] + 1)
    review.created_at = started
    review.updated_at = review.submitted_at = workspace.ago(entry.days[1] + 0.2)
    review.released_at = released


def load_demo_relationship(workspace: DemoWorkspace) -> None:
    """The earlier cases and their check-ins (before the demo reviews: see the docstring)."""
    group = workspace.groups[0]
    tomas = workspace.users["tomas"]
    for entry in EARLIER_CASES:
        author = workspace.users[entry.author]
        case = create_case(group, author, entry.title, _sections(entry))
        case.is_demo = True
        with notifications_at(workspace.ago(entry.days[0])):
            _share(case, author)
        review = _review(case, tomas, entry)
        with notifications_at(workspace.ago(entry.days[1] + 0.2)):
            submit_review(review)
        with notifications_at(workspace.ago(entry.days[1])):
            release_review(review)
        close_case(case)
        _date(workspace, case, review, entry)
        _check_in(workspace, author, review, entry.days[3], entry.answers, entry.note)
    db.session.flush()


def load_latest_check_in(workspace: DemoWorkspace) -> None:
    """After the demo reviews: Amara's check-in about Tomás's review of "She went quiet", and
    Sam's wish to talk."""
    title, days, answers = LATEST_CHECK_IN
    review = db.session.scalars(
        select(Review)
        .join(Case, Case.id == Review.case_id)
        .where(
            Review.reviewer_id == workspace.users["tomas"].id,
            Review.status == ReviewStatus.RELEASED,
            Case.title.startswith(title),
        )
    ).one()
    _check_in(workspace, review.case.author, review, days, answers, "")
    with notifications_at(workspace.ago(TALK_DAYS_AGO)):
        request_talk(workspace.users["sam"], workspace.users["tomas"])
    db.session.flush()


def _check_in(
    workspace: DemoWorkspace,
    author: User,
    review: Review,
    days: float,
    answers: tuple[int, int, int, int],
    note: str,
) -> RelationshipCheck:
    values = dict(zip(("safety", "goals", "tasks", "heard"), answers, strict=True))
    check = record_check(author, occasion_of(review), values, note)
    check.created_at = workspace.ago(days)
    return check
