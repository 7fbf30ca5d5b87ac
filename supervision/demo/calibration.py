"""A demo calibration history: the peer circle's facilitator wrote two invented vignettes and
recorded their agreed levels; three peers scored each blind, weeks apart, so the calibration
page shows agreement changing from one round to the next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from supervision.calibration.services import GoldInput, create_calibration_vignette, save_gold
from supervision.cases.gate import resolve_finding, review_revision, share_case
from supervision.cases.sections import CHECKLIST_KEYS
from supervision.cases.services import latest_revision
from supervision.demo.people import DemoWorkspace
from supervision.demo.timeline import notifications_at
from supervision.discussions.case_threads import case_thread
from supervision.extensions import db
from supervision.models import Case, GoldLevel
from supervision.reviews.services import (
    ReviewInput,
    ScoreInput,
    save_review,
    start_review,
    submit_review,
)

KEYS = (
    "boundaries",
    "pacing",
    "corrective_experience",
    "holding_steady",
    "attunement",
    "silence",
    "rupture_repair",
)
NV = None  # "not visible in this vignette"
RESOLUTION = "Invented detail (demo calibration vignette)"
ANSWERED_BEFORE_SHARE = timedelta(minutes=10)


@dataclass(frozen=True)
class DemoRound:
    title: str
    sections: dict[str, str]
    evidence: str  # the passage every rater quotes
    written: float  # days before the load
    shared: float
    gold_recorded: float
    gold: tuple[int | None, ...]  # in KEYS order
    rationale: dict[str, str]
    # Each rater: (handle, levels in KEYS order, days ago started, submitted).
    ratings: tuple[tuple[str, tuple[int | None, ...], float, float], ...]


ROUNDS = (
    DemoRound(
        title="Calibration 1: the late arrival (invented)",
        sections={
            "context": "An invented vignette for calibration. Fourth session of open-ended work.",
            "client": "A client in middle age, invented for this exercise, who often runs late.",
            "moment": "The client arrived twenty minutes late and said, laughing, that it did "
            "not matter. I said we would still end on time, and then spent the rest of the "
            "session explaining why.",
            "reactions": "I felt irritated and then guilty for being irritated.",
            "question": "Was holding the ending kind, or did I punish the lateness?",
        },
        evidence="I said we would still end on time",
        written=150,
        shared=147,
        gold_recorded=146.4,
        gold=(3, 2, NV, 3, 2, NV, 2),
        rationale={
            "boundaries": "The frame is held (the ending stays), which meets level 3; the long "
            "explanation keeps it from being held lightly.",
            "pacing": "Explaining for the rest of the hour runs ahead of the client: level 2.",
            "attunement": "The laugh is not met; the therapist's irritation leads: level 2.",
            "rupture_repair": "A small rupture goes unnamed: level 2.",
        },
        ratings=(
            ("tomas", (3, 3, NV, 4, 2, NV, 2), 144, 138),
            ("noor", (4, 2, 3, 3, 3, NV, 3), 141, 135),
            ("jun", (2, 3, NV, 4, 2, 2, 1), 138, 132),
        ),
    ),
    DemoRound(
        title="Calibration 2: the unfinished sentence (invented)",
        sections={
            "context": "An invented vignette for calibration. Ninth session of twelve.",
            "client": "A young adult client, invented for this exercise.",
            "moment": "The client started a sentence about home and stopped. I waited, and "
            "after a long silence said that there seemed to be something hard to say. The "
            "client nodded and finished the sentence.",
            "reactions": "I wanted to help with the words and held back.",
            "question": "How long is long enough to wait?",
        },
        evidence="I waited, and after a long silence said",
        written=60,
        shared=57,
        gold_recorded=56.4,
        gold=(4, 3, NV, 4, 2, 5, NV),
        rationale={
            "boundaries": "The therapist keeps their own wish to help out of the room: level 4.",
            "pacing": "Waiting follows the client; naming the difficulty is a step "
            "ahead of them: level 3.",
            "holding_steady": "Holding back under the pull to rescue: level 4.",
            "attunement": "The vignette shows the naming, not how the client's face "
            "or voice was read: level 2.",
            "silence": "The silence is given time, and what the therapist did with "
            "their own urge is named: level 5.",
        },
        ratings=(
            ("tomas", (4, 3, NV, 4, 2, 5, NV), 54, 48),
            ("noor", (4, 3, NV, 3, 2, 4, NV), 51, 45),
            ("jun", (3, 3, NV, 4, 2, 5, NV), 48, 42),
        ),
    ),
)


def _share(case: Case) -> None:
    revision = latest_revision(case)
    author = case.author
    for item in review_revision(case, revision).open_findings:
        resolve_finding(
            case, revision, author, item.section, item.finding.kind, item.finding.text, RESOLUTION
        )
    share_case(case, author, sorted(CHECKLIST_KEYS), "Invented for calibration: nothing real.")


def load_demo_calibration(workspace: DemoWorkspace) -> list[Case]:
    """The peer circle's calibration rounds (flushes, the caller commits)."""
    peer_group = workspace.groups[1]
    facilitator = workspace.users["elena"]
    made = []
    for plan in ROUNDS:
        case = create_calibration_vignette(peer_group, facilitator, plan.title, plan.sections)
        case.is_demo = True
        with notifications_at(workspace.ago(plan.shared)):
            _share(case)
        save_gold(
            case,
            facilitator,
            {
                key: GoldInput(level, plan.rationale.get(key, ""))
                for key, level in zip(KEYS, plan.gold, strict=True)
            },
        )
        for row in db.session.scalars(db.select(GoldLevel).where(GoldLevel.case_id == case.id)):
            row.recorded_at = workspace.ago(plan.gold_recorded)
        for handle, levels, started, submitted in plan.ratings:
            review = start_review(case, workspace.users[handle])
            scores = {
                key: ScoreInput(not_visible=True)
                if level is None
                else ScoreInput(level=level, evidence=plan.evidence)
                for key, level in zip(KEYS, levels, strict=True)
            }
            save_review(review, ReviewInput(scores, "Scored for calibration."))
            with notifications_at(workspace.ago(submitted)):
                submit_review(review)
            review.created_at = workspace.ago(started)
            review.updated_at = review.submitted_at = workspace.ago(submitted)
        _date(workspace, case, plan)
        made.append(case)
    db.session.flush()
    return made


def _date(workspace: DemoWorkspace, case: Case, plan: DemoRound) -> None:
    shared = workspace.ago(plan.shared)
    for revision in case.revisions:
        revision.created_at = revision.updated_at = workspace.ago(plan.written)
        revision.cleared_at = shared
    for resolution in case.resolutions:
        resolution.resolved_at = shared - ANSWERED_BEFORE_SHARE
    case.created_at = workspace.ago(plan.written)
    case.updated_at = case.shared_at = shared
    thread = case_thread(case)
    if thread is not None:
        thread.created_at = thread.last_post_at = shared
