"""A supervision group for calibration: the facilitator posts the vignette, three supervisors
rate it, a supervisee looks on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from support import CLEAN_SECTIONS, pass_gate, supervision_group

from supervision.calibration.services import GoldInput, create_calibration_vignette, save_gold
from supervision.extensions import db
from supervision.models import Case, Group, Review, User
from supervision.reviews.services import ReviewInput, ScoreInput, save_review, start_review
from supervision.reviews.services import submit_review as submit

GOLD = {"boundaries": 4, "pacing": 2, "attunement": 3, "rupture_repair": None}
RATIONALE = "The apology is brief and about the therapist's part."


@dataclass
class CalibrationWorld:
    group: Group
    facilitator: User
    raters: list[User]  # three supervisors
    supervisee: User


def calibration_world(
    make_user: Callable[..., User], make_group: Callable[..., Group]
) -> CalibrationWorld:
    facilitator = make_user("Fran Facilitator")
    raters = [make_user(name) for name in ("Sam Supervisor", "Kim Supervisor", "Lee Supervisor")]
    supervisee = make_user("Alex Author")
    group = supervision_group(make_group, facilitator, raters, [supervisee], name="Calibrating")
    return CalibrationWorld(group, facilitator, raters, supervisee)


def vignette(world: CalibrationWorld, title: str = "An invented first session") -> Case:
    """A calibration vignette the facilitator wrote and shared, with gold levels, committed."""
    case = create_calibration_vignette(world.group, world.facilitator, title, CLEAN_SECTIONS)
    db.session.commit()
    pass_gate(case, world.facilitator)
    save_gold(
        case,
        world.facilitator,
        {
            key: GoldInput(level, RATIONALE if key == "boundaries" else "")
            for key, level in GOLD.items()
        },
    )
    db.session.commit()
    return case


def write_review(
    case: Case, reviewer: User, levels: dict[str, int | str], *, submit_it: bool = True
) -> Review:
    """``reviewer``'s review of the current revision: the given levels ("n/o": not visible),
    every other criterion not visible; committed."""
    review = start_review(case, reviewer)
    scores = {}
    for score in review.scores:
        given = levels.get(score.criterion_key, "n/o")
        scores[score.criterion_key] = (
            ScoreInput(not_visible=True)
            if given == "n/o"
            else ScoreInput(level=int(given), evidence="R. went quiet")
        )
    save_review(review, ReviewInput(scores, "Feedback."), review.edit_version)
    if submit_it:
        submit(review)
    db.session.commit()
    return review
