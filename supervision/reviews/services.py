"""Reviews: scoring a case revision against a rubric version, release and reconciliation.

Services flush and never commit. Rules that decide who sees what live in supervision.permissions;
this module only changes state and assembles what a page shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from supervision.annotations.services import AnnotationError, cite
from supervision.cases.privacy import REDACTED, register_redaction_hook
from supervision.cases.services import published_revision
from supervision.extensions import db
from supervision.models import (
    LEVELS,
    Annotation,
    Case,
    CaseStatus,
    ConsensusScore,
    ReconciliationNote,
    Review,
    ReviewScore,
    ReviewStatus,
    ScoreEvidence,
    User,
)
from supervision.models.review import COMMENT_MAX, EVIDENCE_MAX, FEEDBACK_MAX
from supervision.models.types import utcnow
from supervision.models.versioning import claim_edit_version
from supervision.notifications.events import notify_discrepancy, notify_review_released
from supervision.permissions import forget_reviews
from supervision.rendering import render_markdown
from supervision.reviews.blindness import is_blind, unblinded_reviewers
from supervision.reviews.discrepancy_rows import DISCREPANCY_GAP, keep_discrepancies
from supervision.rubrics.services import group_rubric_version


class ReviewError(ValueError):
    """A rule about reviews was broken; the message is safe to show to the user."""


class ReviewConflict(ReviewError):
    """The review was saved elsewhere after this form was loaded."""


@dataclass
class ScoreInput:
    """What the reviewer typed for one criterion; ``level`` None with not_visible False: unset."""

    level: int | None = None
    not_visible: bool = False
    comment: str = ""
    evidence: str = ""


@dataclass
class ReviewInput:
    scores: dict[str, ScoreInput] = field(default_factory=dict)
    overall_feedback: str = ""
    private_notes: str = ""


def find_review(case: Case, revision_number: int, reviewer: User) -> Review | None:
    return db.session.scalar(
        select(Review).where(
            Review.case_id == case.id,
            Review.revision_number == revision_number,
            Review.reviewer_id == reviewer.id,
        )
    )


def start_review(case: Case, reviewer: User) -> Review:
    """The reviewer's review of the case's current revision, created as a draft if needed."""
    if case.status is not CaseStatus.SHARED:
        raise ReviewError("Only a shared case can be reviewed.")
    revision = published_revision(case)
    if revision is None:
        raise ReviewError("This case has not been shared yet.")
    existing = find_review(case, revision.number, reviewer)
    if existing is not None:
        return existing
    version = group_rubric_version(case.group)
    review = Review(
        case=case,
        revision_number=revision.number,
        reviewer=reviewer,
        rubric_version=version,
    )
    for position, criterion in enumerate(version.criteria):
        review.scores.append(
            ReviewScore(criterion=criterion, criterion_key=criterion.key, position=position)
        )
    db.session.add(review)
    db.session.flush()
    forget_reviews()  # a draft makes its reviewer blind to the others' reviews of the revision
    return review


def _check_lengths(data: ReviewInput) -> None:
    if len(data.overall_feedback) > FEEDBACK_MAX or len(data.private_notes) > FEEDBACK_MAX:
        raise ReviewError(f"Keep feedback and notes under {FEEDBACK_MAX:,} characters each.")
    for score in data.scores.values():
        if len(score.comment) > COMMENT_MAX or len(score.evidence) > EVIDENCE_MAX:
            raise ReviewError(
                f"Keep each comment and each evidence field under {COMMENT_MAX:,} characters."
            )
        if score.level is not None and score.level not in LEVELS:
            raise ReviewError("Levels run from 1 to 5.")


def save_review(review: Review, data: ReviewInput, edit_version: int | None = None) -> None:
    """Store a draft. ``edit_version`` guards against overwriting a save from another tab."""
    if review.status is not ReviewStatus.DRAFT:
        raise ReviewError("This review is submitted and can no longer be changed.")
    stale = edit_version is not None and edit_version != review.edit_version
    if stale or not claim_edit_version(review, edit_version):
        raise ReviewConflict(
            "This review was saved in another tab or window after you opened it. Reload to "
            "see the newer version; your text is still in this form."
        )
    _check_lengths(data)
    for score in review.scores:
        given = data.scores.get(score.criterion_key)
        if given is None:
            continue
        score.not_visible = given.not_visible
        score.level = None if given.not_visible else given.level
        score.comment = given.comment.strip()
        score.evidence = given.evidence.strip()
    review.overall_feedback = data.overall_feedback.strip()
    review.overall_feedback_html = render_markdown(review.overall_feedback)
    review.private_notes = data.private_notes.strip()
    review.updated_at = utcnow()
    db.session.flush()


def save_citations(review: Review, chosen: Mapping[str, Sequence[Annotation]]) -> None:
    """Set the annotations each criterion (by key) cites as its evidence; criteria left out of
    ``chosen`` keep theirs. Which annotations the reviewer may cite is the caller's check."""
    if review.status is not ReviewStatus.DRAFT:
        raise ReviewError("This review is submitted and can no longer be changed.")
    for score in review.scores:
        if score.criterion_key in chosen:
            try:
                cite(score, list(dict.fromkeys(chosen[score.criterion_key])))
            except AnnotationError as error:
                raise ReviewError(str(error)) from error


def score_citations(review: Review) -> dict[int, list[Annotation]]:
    """For each score id of the review, the annotations it cites, oldest first (one query,
    and one for their anchors)."""
    rows = db.session.execute(
        select(ScoreEvidence.score_id, Annotation)
        .join(Annotation, Annotation.id == ScoreEvidence.annotation_id)
        .join(ReviewScore, ReviewScore.id == ScoreEvidence.score_id)
        .options(selectinload(Annotation.anchors))
        .where(ReviewScore.review_id == review.id)
        .order_by(Annotation.id)
    ).all()
    found: dict[int, list[Annotation]] = {}
    for score_id, annotation in rows:
        found.setdefault(score_id, []).append(annotation)
    return found


def submission_problems(review: Review) -> list[str]:
    problems = []
    cited = score_citations(review)
    for score in review.scores:
        title = score.criterion.title
        if score.level is None and not score.not_visible:
            problems.append(f"{title}: choose a level, or “not visible in this vignette”.")
        elif score.level is not None and not score.evidence.strip() and not cited.get(score.id):
            problems.append(
                f"{title}: quote the passage that is your evidence for the level, or cite an "
                "annotation."
            )
    if not review.overall_feedback.strip():
        problems.append("Write some overall feedback for the supervisee.")
    return problems


def submit_review(review: Review) -> None:
    """Make the review final for its revision."""
    if review.status is not ReviewStatus.DRAFT:
        raise ReviewError("This review is already submitted.")
    if not claim_edit_version(review):  # the same review submitted twice at once: one wins
        raise ReviewConflict("This review was submitted or saved elsewhere just now. Reload.")
    problems = submission_problems(review)
    if problems:
        raise ReviewError(" ".join(problems))
    before = _discrepant_criteria(review)  # notifications: only a new discrepancy is news
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = utcnow()
    keep_discrepancies(db.session, review.case_id, review.revision_number)  # its levels count
    forget_reviews()  # this reviewer now sees the others' scores on the revision
    if _discrepant_criteria(review) - before:
        notify_discrepancy(review)  # notifications: the revision's reviewers and facilitators


def _discrepant_criteria(review: Review) -> set[str]:
    """Criteria on which the submitted reviews of the review's revision differ by two levels."""
    return {
        item.criterion_key
        for item in discrepancies(review.case)
        if item.revision_number == review.revision_number
    }


def release_review(review: Review) -> None:
    """Let the supervisee see the review (all of it at once, never drip by drip)."""
    if review.status is not ReviewStatus.SUBMITTED:
        raise ReviewError("Submit the review before releasing it.")
    review.status = ReviewStatus.RELEASED
    review.released_at = utcnow()
    db.session.flush()
    notify_review_released(review)  # notifications: the case's author


def set_scores_visibility(case: Case, visible: bool) -> None:
    case.scores_visible_to_group = visible
    db.session.flush()


def case_reviews(case: Case) -> list[Review]:
    """Every review of the case with its scores and criteria, in a constant number of queries."""
    return list(
        db.session.scalars(
            select(Review)
            .options(
                # many-to-one parts joined in: two statements, not five
                selectinload(Review.scores).joinedload(ReviewScore.criterion),
                joinedload(Review.reviewer),
                joinedload(Review.rubric_version),
            )
            .where(Review.case_id == case.id)
            .order_by(Review.revision_number.desc(), Review.submitted_at, Review.id)
        )
    )


@dataclass(frozen=True)
class Discrepancy:
    revision_number: int
    criterion_key: str
    criterion_title: str
    levels: tuple[tuple[str, int], ...]  # (reviewer name, level)
    consensus: ConsensusScore | None

    @property
    def spread(self) -> int:
        values = [level for _, level in self.levels]
        return max(values) - min(values)


def discrepancies(
    case: Case, reviews: list[Review] | None = None, unblinded: set[tuple[int, int]] | None = None
) -> list[Discrepancy]:
    """Criteria where two blind submitted reviews of one revision differ by two levels or more
    (a review written after reading the others is not compared). ``unblinded``: the case's
    ``unblinded_reviewers``, when already known."""
    reviews = reviews if reviews is not None else case_reviews(case)
    consensus = {
        (c.revision_number, c.criterion_key): c
        for c in db.session.scalars(select(ConsensusScore).where(ConsensusScore.case_id == case.id))
    }
    grouped: dict[tuple[int, str], list[tuple[str, int, str]]] = {}
    unblinded = unblinded if unblinded is not None else unblinded_reviewers(case)
    for review in reviews:
        if review.status is ReviewStatus.DRAFT or not is_blind(review, unblinded):
            continue
        for score in review.scores:
            if score.level is not None:
                grouped.setdefault((review.revision_number, score.criterion_key), []).append(
                    (review.reviewer.display_name, score.level, score.criterion.title)
                )
    found = []
    for (number, key), entries in sorted(
        grouped.items(), key=lambda item: (-item[0][0], item[0][1])
    ):
        levels = [level for _, level, _ in entries]
        if len(entries) >= 2 and max(levels) - min(levels) >= DISCREPANCY_GAP:
            found.append(
                Discrepancy(
                    number,
                    key,
                    entries[0][2],
                    tuple((name, level) for name, level, _ in entries),
                    consensus.get((number, key)),
                )
            )
    return found


def add_reconciliation_note(
    case: Case, revision_number: int, criterion_key: str, author: User, body: str
) -> ReconciliationNote:
    body = body.strip()
    if not body:
        raise ReviewError("Write something before posting the note.")
    if len(body) > COMMENT_MAX:
        raise ReviewError(f"Keep the note under {COMMENT_MAX:,} characters.")
    note = ReconciliationNote(
        case_id=case.id,
        revision_number=revision_number,
        criterion_key=criterion_key,
        author_id=author.id,
        body=body,
    )
    db.session.add(note)
    db.session.flush()
    return note


def record_consensus(
    case: Case,
    revision_number: int,
    criterion_key: str,
    user: User,
    level: int | None,
    dissent_note: str = "",
) -> ConsensusScore:
    if level is not None and level not in LEVELS:
        raise ReviewError("Levels run from 1 to 5.")
    if len(dissent_note) > COMMENT_MAX:
        raise ReviewError(f"Keep the dissent note under {COMMENT_MAX:,} characters.")
    consensus = db.session.scalar(
        select(ConsensusScore).where(
            ConsensusScore.case_id == case.id,
            ConsensusScore.revision_number == revision_number,
            ConsensusScore.criterion_key == criterion_key,
        )
    ) or ConsensusScore(
        case_id=case.id, revision_number=revision_number, criterion_key=criterion_key
    )
    consensus.level = level
    consensus.dissent_note = dissent_note.strip()
    consensus.recorded_by_id = user.id
    consensus.recorded_at = utcnow()
    db.session.add(consensus)
    db.session.flush()
    return consensus


def reconciliation_notes(
    case: Case, revision_number: int, criterion_key: str
) -> list[ReconciliationNote]:
    return list(
        db.session.scalars(
            select(ReconciliationNote)
            .options(selectinload(ReconciliationNote.author))
            .where(
                ReconciliationNote.case_id == case.id,
                ReconciliationNote.revision_number == revision_number,
                ReconciliationNote.criterion_key == criterion_key,
            )
            .order_by(ReconciliationNote.created_at, ReconciliationNote.id)
        )
    )


@register_redaction_hook
def redact_reviews(case: Case, passage: str) -> int:
    """Redaction reaches the reviews' copies too: quoted evidence, comments, feedback, notes."""
    occurrences = 0

    def scrub(text: str) -> str:
        nonlocal occurrences
        occurrences += text.count(passage)
        return text.replace(passage, REDACTED)

    for review in case_reviews(case):
        before = occurrences
        for score in review.scores:
            score.evidence, score.comment = scrub(score.evidence), scrub(score.comment)
        review.private_notes = scrub(review.private_notes)
        review.overall_feedback = scrub(review.overall_feedback)
        if occurrences > before:
            review.overall_feedback_html = render_markdown(review.overall_feedback)
            review.edit_version += 1  # a form open in another tab must not bring it back
    for note in db.session.scalars(
        select(ReconciliationNote).where(ReconciliationNote.case_id == case.id)
    ):
        note.body = scrub(note.body)
    for consensus in db.session.scalars(
        select(ConsensusScore).where(ConsensusScore.case_id == case.id)
    ):
        consensus.dissent_note = scrub(consensus.dissent_note)
    db.session.flush()
    return occurrences
