"""What the review pages and the case page's review panel show, decided once per viewer.

Every piece of a review passes its own ``can`` check here: feedback (REVIEW_READ_FEEDBACK),
scores with their criterion comments and evidence (REVIEW_READ_SCORES) and private notes
(REVIEW_READ_PRIVATE). A reviewer still to score a revision blind sees, in place of another's
review of it, the choice to read it anyway (REVIEW_READ_ANYWAY); a review written after that
choice is marked not blind. Templates receive these ready values and make no decisions.
Private notes are only ever put into the single-review view, never into the case panel.
Annotations a reviewer may cite as evidence are those on the reviewed revision they may read
(ANNOTATION_VIEW); the quotes a score cites are shown with its scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import inspect, select
from sqlalchemy.orm import selectinload

from supervision.agreement.reviews import reviewers_alpha
from supervision.agreement.statistics import Alpha
from supervision.annotations.services import anchor_for, case_annotations
from supervision.cases.sections import SECTION_KEYS, SECTION_LABELS
from supervision.extensions import db
from supervision.models import (
    AnchorStatus,
    Annotation,
    AnnotationAnchor,
    Case,
    ConsensusScore,
    Review,
    ReviewScore,
    ReviewStatus,
    User,
)
from supervision.permissions import Permission, can
from supervision.rendering import markdown_to_text
from supervision.reviews.blindness import blind_reviews_of, is_blind, unblinded_reviewers
from supervision.reviews.forms import NOT_VISIBLE_LABEL
from supervision.reviews.services import (
    Discrepancy,
    case_reviews,
    discrepancies,
    score_citations,
)

QUOTE_CHARS = 160  # how much of a long quote the review form and page show
EXCERPT_CHARS = 120  # how much of an annotation's comment the review form shows


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class CitableAnnotation:
    """An annotation the reviewer may tick as evidence, as the review form lists it."""

    id: int
    quote: str  # the passage as it reads in the reviewed revision
    excerpt: str  # the start of the comment, as plain text
    author_name: str
    section_label: str


@dataclass(frozen=True)
class CitedAnnotation:
    """A passage a score cites as its evidence, through an annotation."""

    id: int
    quote: str
    gone: bool  # the passage is no longer in the reviewed revision (e.g. redacted)


@dataclass(frozen=True)
class ScoreView:
    """One criterion of a review as a reader sees it."""

    key: str
    title: str
    level: int | None
    not_visible: bool
    scale_label: str  # e.g. "Skilled"
    descriptor: str  # the level's descriptor in the rubric version the reviewer used
    evidence: tuple[str, ...]  # quoted passages, one per line
    comment: str
    cited: tuple[CitedAnnotation, ...] = ()  # annotations cited as evidence (single review only)

    @property
    def level_text(self) -> str:
        if self.not_visible:
            return NOT_VISIBLE_LABEL
        if self.level is None:
            return "No level chosen"
        return f"{self.level} · {self.scale_label}" if self.scale_label else str(self.level)


@dataclass(frozen=True)
class ReviewView:
    """A review with only the parts the viewer may read; the others are None."""

    id: int
    case_id: int
    revision_number: int
    reviewer_name: str
    is_own: bool
    status: ReviewStatus
    rubric_name: str
    updated_at: datetime
    submitted_at: datetime | None
    released_at: datetime | None
    feedback_html: str | None  # sanitized on write by supervision.rendering: `|safe` in templates
    scores: tuple[ScoreView, ...] | None
    private_notes: str | None
    can_edit: bool
    can_release: bool
    is_blind: bool  # scored without reading the other reviews of its revision first
    is_hidden: bool  # from a viewer still to score the revision blind: shown as the choice


@dataclass(frozen=True)
class RevisionReviews:
    number: int
    is_current: bool
    reviews: tuple[ReviewView, ...]
    # Agreement among its blind reviewers, to a viewer who may read all their levels (two or
    # more blind submitted reviews); None otherwise.
    agreement: Alpha | None = None


@dataclass(frozen=True)
class DiscrepancyView:
    revision_number: int
    criterion_key: str
    criterion_title: str
    levels: tuple[tuple[str, int], ...]  # (reviewer name, level)
    spread: int
    consensus_recorded: bool
    consensus_text: str
    consensus_dissent: str
    can_reconcile: bool


@dataclass(frozen=True)
class ReviewPanel:
    """The case page's review section for one viewer."""

    case_id: int
    current_revision: int | None
    revisions: tuple[RevisionReviews, ...]  # newest revision first
    can_start_review: bool  # no own review of the current revision yet, and allowed to start
    start_not_blind: bool  # the viewer chose to read others' reviews of the current revision
    start_sees_others: bool  # a facilitator, who reads the submitted reviews until she starts
    own_draft_id: int | None  # the viewer's draft of the current revision, to continue
    discrepancies: tuple[DiscrepancyView, ...]
    scores_visible_to_group: bool
    can_set_scores_visibility: bool  # the author, once the case has been shared
    shows_unblind: bool  # a review shown is not blind (and left out of the discrepancies)

    @property
    def is_empty(self) -> bool:
        """Nothing to show or do: the case page may leave the section out."""
        return not (
            self.revisions
            or self.can_start_review
            or self.own_draft_id
            or self.can_set_scores_visibility
        )


def _placed_anchor(annotation: Annotation, revision_number: int) -> AnnotationAnchor | None:
    """Where the annotation sits in the revision, unless it is not there (gone, or newer)."""
    anchor = anchor_for(annotation, revision_number)
    if anchor is None or anchor.status is AnchorStatus.ORPHANED or anchor.section is None:
        return None
    return anchor


def citable_annotations(review: Review, user: User) -> list[Annotation]:
    """The annotations ``user`` may cite in ``review``: on its case, placed in the reviewed
    revision, and readable by them. In document order."""
    placed = []
    for annotation in case_annotations(review.case):
        anchor = _placed_anchor(annotation, review.revision_number)
        if anchor is not None and can(user, Permission.ANNOTATION_VIEW, annotation):
            placed.append((anchor, annotation))
    placed.sort(key=lambda pair: (SECTION_KEYS.index(pair[0].section or ""), pair[0].start or 0))
    return [annotation for _, annotation in placed]


def citation_choices(
    review: Review, annotations: list[Annotation]
) -> tuple[CitableAnnotation, ...]:
    """``citable_annotations`` as the review form lists them."""
    choices = []
    for annotation in annotations:
        anchor = _placed_anchor(annotation, review.revision_number)
        assert anchor is not None and anchor.section is not None  # citable ones are placed
        choices.append(
            CitableAnnotation(
                id=annotation.id,
                quote=_shorten(anchor.exact, QUOTE_CHARS),
                excerpt=_shorten(markdown_to_text(annotation.body), EXCERPT_CHARS),
                author_name=annotation.author.display_name,
                section_label=SECTION_LABELS[anchor.section],
            )
        )
    return tuple(choices)


def _cited(review: Review, annotations: list[Annotation]) -> tuple[CitedAnnotation, ...]:
    cited = []
    for annotation in annotations:
        anchor = _placed_anchor(annotation, review.revision_number)
        quote = anchor.exact if anchor is not None else annotation.original_exact
        cited.append(CitedAnnotation(annotation.id, _shorten(quote, QUOTE_CHARS), anchor is None))
    return tuple(cited)


def load_scores(review: Review) -> None:
    """Load the review's scores with their criteria in a few queries, not one per criterion.

    Reviews from ``case_reviews`` come with them already (for a whole case at once); a review
    loaded on its own (``load_review``: the review page and its form) does not, and may have
    had its scores read without their criteria.
    """
    if "scores" in inspect(review).unloaded:
        db.session.scalars(
            select(Review)
            .options(selectinload(Review.scores).selectinload(ReviewScore.criterion))
            .where(Review.id == review.id)
        ).one()
        return
    missing = [score.id for score in review.scores if "criterion" in inspect(score).unloaded]
    if missing:
        db.session.scalars(
            select(ReviewScore)
            .options(selectinload(ReviewScore.criterion))
            .where(ReviewScore.id.in_(missing))
        ).all()


def score_views(
    review: Review, cited: dict[int, list[Annotation]] | None = None
) -> tuple[ScoreView, ...]:
    load_scores(review)
    labels = review.rubric_version.scale_labels
    cited = cited or {}
    return tuple(
        ScoreView(
            key=score.criterion_key,
            title=score.criterion.title,
            level=score.level,
            not_visible=score.not_visible,
            scale_label=labels.get(str(score.level), "") if score.level is not None else "",
            descriptor=score.criterion.descriptor(score.level),
            evidence=tuple(line.strip() for line in score.evidence.splitlines() if line.strip()),
            comment=score.comment,
            cited=_cited(review, cited.get(score.id, [])),
        )
        for score in review.scores
    )


def review_view(
    review: Review,
    user: User,
    *,
    with_private: bool = False,
    with_citations: bool = False,
    unblinded: set[tuple[int, int]] | None = None,
) -> ReviewView:
    """``review`` reduced to what ``user`` may read. Private notes, and the quotes of the
    annotations its scores cite (shown with the scores), only if asked for. ``unblinded``: the
    case's ``unblinded_reviewers``, when already known."""
    rubric = review.rubric_version
    readable = can(user, Permission.REVIEW_READ_FEEDBACK, review)
    feedback = review.overall_feedback_html if readable else None
    scores = None
    if can(user, Permission.REVIEW_READ_SCORES, review):
        scores = score_views(review, score_citations(review) if with_citations else None)
    return ReviewView(
        id=review.id,
        case_id=review.case_id,
        revision_number=review.revision_number,
        reviewer_name=review.reviewer.display_name,
        is_own=review.reviewer_id == user.id,
        status=review.status,
        rubric_name=f"{rubric.name}, version {rubric.number}",
        updated_at=review.updated_at,
        submitted_at=review.submitted_at,
        released_at=review.released_at,
        feedback_html=feedback,
        scores=scores,
        private_notes=review.private_notes
        if with_private and can(user, Permission.REVIEW_READ_PRIVATE, review)
        else None,
        can_edit=can(user, Permission.REVIEW_EDIT, review),
        can_release=can(user, Permission.REVIEW_RELEASE, review),
        is_blind=is_blind(review, unblinded),
        is_hidden=feedback is None and can(user, Permission.REVIEW_READ_ANYWAY, review),
    )


def consensus_text(consensus: ConsensusScore | None) -> str:
    if consensus is None:
        return ""
    return NOT_VISIBLE_LABEL if consensus.level is None else str(consensus.level)


def _discrepancy_view(item: Discrepancy, reconcile: bool) -> DiscrepancyView:
    return DiscrepancyView(
        revision_number=item.revision_number,
        criterion_key=item.criterion_key,
        criterion_title=item.criterion_title,
        levels=item.levels,
        spread=item.spread,
        consensus_recorded=item.consensus is not None,
        consensus_text=consensus_text(item.consensus),
        consensus_dissent=item.consensus.dissent_note if item.consensus else "",
        can_reconcile=reconcile,
    )


def score_readable(reviews: list[Review], user: User) -> list[Review]:
    return [r for r in reviews if can(user, Permission.REVIEW_READ_SCORES, r)]


def _agreement(
    case: Case, number: int, reviews: list[Review], unblinded: set[tuple[int, int]], user: User
) -> Alpha | None:
    """Alpha among the revision's blind reviewers, if there are two or more and the viewer may
    read every one of their levels (a hidden one would otherwise show through the figure)."""
    blind = blind_reviews_of(case, number, reviews, unblinded)
    if len(blind) < 2 or len(score_readable(blind, user)) < len(blind):
        return None
    return reviewers_alpha(blind)


def case_review_panel(case: Case, user: User) -> ReviewPanel:
    """The reviews of ``case`` that ``user`` may see, grouped by revision, and what they may do.

    A constant number of queries, however many reviews the case has.
    """
    reviews = case_reviews(case)
    unblinded = unblinded_reviewers(case)
    readable = [r for r in reviews if can(user, Permission.REVIEW_READ_FEEDBACK, r)]
    listed = [r for r in reviews if r in readable or can(user, Permission.REVIEW_READ_ANYWAY, r)]
    by_revision: dict[int, list[ReviewView]] = {}
    for review in listed:
        view = review_view(review, user, unblinded=unblinded)
        by_revision.setdefault(review.revision_number, []).append(view)
    current = case.published_number
    own_current = next(
        (r for r in reviews if r.reviewer_id == user.id and r.revision_number == current), None
    )
    # Only reviews whose scores the viewer may read take part: a discrepancy shows levels.
    found = discrepancies(case, score_readable(reviews, user), unblinded)
    reconcile = can(user, Permission.CASE_RECONCILE, case)
    return ReviewPanel(
        case_id=case.id,
        current_revision=current,
        revisions=tuple(
            RevisionReviews(
                number,
                number == current,
                tuple(views),
                _agreement(case, number, reviews, unblinded, user),
            )
            for number, views in sorted(by_revision.items(), reverse=True)
        ),
        can_start_review=own_current is None and can(user, Permission.CASE_REVIEW, case),
        start_not_blind=(user.id, current) in unblinded,
        start_sees_others=any(
            r.revision_number == current and r.status is not ReviewStatus.DRAFT
            for r in readable
            if r.reviewer_id != user.id
        ),
        own_draft_id=own_current.id
        if own_current is not None and can(user, Permission.REVIEW_EDIT, own_current)
        else None,
        discrepancies=tuple(_discrepancy_view(item, reconcile) for item in found),
        scores_visible_to_group=case.scores_visible_to_group,
        can_set_scores_visibility=current is not None
        and can(user, Permission.CASE_SCORES_VISIBILITY, case),
        shows_unblind=any(not is_blind(r, unblinded) for r in readable),
    )
