"""The growth page's values: per rubric criterion (by its stable key, across rubric versions)
the released levels over time, the passages each level cited, the latest feedback and the
annotations still waiting for the supervisee's answer. Every review, passage and annotation is
shown only where the viewer's permissions allow it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime

from flask import url_for
from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from supervision.extensions import db
from supervision.models import (
    Annotation,
    AnnotationResponse,
    Case,
    Group,
    Membership,
    Review,
    ReviewScore,
    ReviewStatus,
    ScoreEvidence,
    User,
)
from supervision.pagination import KeysetPage, keyset_page
from supervision.permissions import Permission, can, know_roles_of
from supervision.permissions.facts import growth_share_groups
from supervision.self_assessment.services import (
    CaseToScore,
    cases_to_score,
    submitted_self_levels,
)

QUOTE_MAX = 160  # a cited passage is shown up to this long; the link opens it in place
WINDOW = 24  # released reviews per page (and per chart): the page stays the same size over years
LIST_MAX = 20  # waiting annotations and cases to score shown; the rest say "and more"
FEEDBACK_TRIES = 10  # newest released reviews looked at for the latest readable feedback


@dataclass(frozen=True)
class CitedPassage:
    quote: str
    url: str  # the case at the scored revision, at the annotation


@dataclass(frozen=True)
class LevelPoint:
    review_id: int
    case_title: str
    case_url: str
    revision_number: int
    released_at: datetime
    reviewer_name: str
    level: int | None  # None: a gap (not visible, or the criterion not in that rubric version)
    not_visible: bool
    in_rubric: bool
    descriptor: str
    passages: tuple[CitedPassage, ...]
    self_level: int | None = None  # the author's own level of that revision (their page only)

    @property
    def level_text(self) -> str:
        if self.level is not None:
            return str(self.level)
        return "Not visible in this vignette" if self.not_visible else "Not in this rubric"


@dataclass(frozen=True)
class CriterionGrowth:
    key: str
    title: str
    points: tuple[LevelPoint, ...]

    @property
    def levels(self) -> list[int | None]:
        return [point.level for point in self.points]

    @property
    def scored_count(self) -> int:
        return sum(1 for level in self.levels if level is not None)

    @property
    def level_meanings(self) -> list[tuple[int, str]]:
        """Each level given here with its anchor text, once (a rubric version may word a
        level differently: each wording once), lowest first."""
        seen: set[tuple[int, str]] = set()
        for point in self.points:
            if point.level is not None and point.descriptor:
                seen.add((point.level, point.descriptor))
        return sorted(seen)

    @property
    def self_levels(self) -> list[int | None]:
        return [point.self_level for point in self.points]

    @property
    def self_gap(self) -> float | None:
        """How far one's own levels run above (positive) or below the released ones, on
        average over the reviews where both gave a level; None when none did."""
        pairs = [(p.self_level, p.level) for p in self.points]
        gaps = [own - theirs for own, theirs in pairs if own is not None and theirs is not None]
        return sum(gaps) / len(gaps) if gaps else None

    @property
    def self_gap_text(self) -> str:
        gap = self.self_gap
        if gap is None:
            return ""
        if abs(gap) < 0.25:
            return "Over the reviews shown, your own levels match the released ones, on average."
        direction = "above" if gap > 0 else "below"
        return (
            f"Over the reviews shown, your own levels run {abs(gap):.1f} {direction} "
            "the released ones, on average."
        )


@dataclass(frozen=True)
class LatestFeedback:
    case_title: str
    review_url: str
    reviewer_name: str
    released_at: datetime
    feedback_html: str  # the sanitizer's output, stored on write


@dataclass(frozen=True)
class WaitingAnnotation:
    case_title: str
    url: str
    author_name: str
    quote: str
    created_at: datetime


@dataclass(frozen=True)
class Growth:
    supervisee_id: int
    supervisee_name: str
    is_own: bool
    group_names: tuple[str, ...]
    criteria: tuple[CriterionGrowth, ...]
    latest_feedback: LatestFeedback | None
    waiting: tuple[WaitingAnnotation, ...]
    to_score: tuple[CaseToScore, ...] = ()  # one's own shared cases, to score oneself
    window: KeysetPage | None = None  # which released reviews are shown (items oldest first)
    window_args: tuple[tuple[str, str], ...] = ()  # the cursor of this window, for chart URLs
    more_waiting: bool = False
    more_to_score: bool = False

    @property
    def first_released(self) -> datetime | None:
        return self.window.items[0].released_at if self.window and self.window.items else None

    @property
    def last_released(self) -> datetime | None:
        return self.window.items[-1].released_at if self.window and self.window.items else None

    def criterion(self, key: str) -> CriterionGrowth | None:
        return next((c for c in self.criteria if c.key == key), None)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_MAX else text[: QUOTE_MAX - 1].rstrip() + "…"


def growth_groups(viewer: User, supervisee: User) -> list[Group]:
    """The groups whose cases the viewer sees on the supervisee's growth page: all of the
    supervisee's own, or those they shared it with the viewer for."""
    query = select(Group).join(Membership, Membership.group_id == Group.id)
    query = query.where(Membership.user_id == supervisee.id).order_by(Group.name, Group.id)
    if viewer.id != supervisee.id:
        query = query.where(Group.id.in_(growth_share_groups(viewer, supervisee)))
    return list(db.session.scalars(query))


def _released_query(supervisee: User, group_ids: list[int]) -> Select[tuple[Review]]:
    return (
        select(Review)
        .join(Case, Case.id == Review.case_id)
        .where(
            Case.author_id == supervisee.id,
            Case.group_id.in_(group_ids),
            # A calibration vignette is the group's exercise, not its author's own work.
            Case.is_calibration.is_(False),
            Review.status == ReviewStatus.RELEASED,
        )
    )


def _released_window(
    viewer: User,
    supervisee: User,
    group_ids: list[int],
    cursor: dict[str, str],
    size: int | None,
) -> KeysetPage:
    """One window of ``size`` released reviews by (released_at, id), newest by default (None:
    all of them, for the portfolio); items oldest first, only those whose scores the viewer
    may read."""
    # Many-to-one rows joined in; each collection in one statement of its own.
    query = _released_query(supervisee, group_ids).options(
        joinedload(Review.case).selectinload(Case.flags),
        joinedload(Review.case).joinedload(Case.group),
        joinedload(Review.reviewer),
        selectinload(Review.scores).selectinload(ReviewScore.criterion),
    )
    if size is None:
        everything = db.session.scalars(query.order_by(Review.released_at, Review.id)).all()
        page = KeysetPage(list(everything)[::-1], None, None, is_first=True, is_last=True)
    else:
        page = keyset_page(
            query,
            (Review.released_at, Review.id),
            per_page=size,
            after=cursor.get("after", ""),
            before=cursor.get("before", ""),
            at=cursor.get("at", ""),
        )
    items = [r for r in reversed(page.items) if can(viewer, Permission.REVIEW_READ_SCORES, r)]
    return replace(page, items=items)


def _passages(viewer: User, reviews: list[Review]) -> dict[int, list[CitedPassage]]:
    """The annotations each score cited, by score id, that the viewer may read (one query)."""
    score_ids = [score.id for review in reviews for score in review.scores]
    if not score_ids:
        return {}
    rows = db.session.execute(
        select(ScoreEvidence.score_id, Annotation)
        .join(Annotation, Annotation.id == ScoreEvidence.annotation_id)
        .where(ScoreEvidence.score_id.in_(score_ids))
        .order_by(Annotation.id)
    ).all()
    revision_of = {score.id: review for review in reviews for score in review.scores}
    cited: dict[int, list[CitedPassage]] = defaultdict(list)
    for score_id, annotation in rows:
        if not can(viewer, Permission.ANNOTATION_VIEW, annotation):
            continue
        review = revision_of[score_id]
        url = url_for(
            "cases.show",
            case_id=review.case_id,
            revision=review.revision_number,
            _anchor=f"annotation-{annotation.id}",
        )
        cited[score_id].append(CitedPassage(_short(annotation.original_exact), url))
    return cited


def _criteria(
    reviews: list[Review],
    cited: dict[int, list[CitedPassage]],
    own: dict[tuple[int, int, str], int | None],
) -> list[CriterionGrowth]:
    # The newest rubric version a key appears in gives its title and its place.
    titles: dict[str, tuple[str, int]] = {}
    for review in reviews:
        for score in review.scores:
            titles[score.criterion_key] = (score.criterion.title, score.position)
    order = sorted(titles, key=lambda key: (titles[key][1], key))
    # Each review is a point in every criterion's table: its link and scores worked out once.
    case_urls = {
        review.id: url_for("cases.show", case_id=review.case_id, revision=review.revision_number)
        for review in reviews
    }
    scores_of = {review.id: {s.criterion_key: s for s in review.scores} for review in reviews}
    result = []
    for key in order:
        points = []
        for review in reviews:
            score = scores_of[review.id].get(key)
            level = score.level if score is not None and not score.not_visible else None
            points.append(
                LevelPoint(
                    review_id=review.id,
                    case_title=review.case.title,
                    case_url=case_urls[review.id],
                    revision_number=review.revision_number,
                    released_at=review.released_at or review.updated_at,
                    reviewer_name=review.reviewer.display_name,
                    level=level,
                    not_visible=score is not None and score.not_visible,
                    in_rubric=score is not None,
                    descriptor=score.criterion.descriptor(level) if score is not None else "",
                    passages=tuple(cited.get(score.id, ())) if score is not None else (),
                    self_level=own.get((review.case_id, review.revision_number, key)),
                )
            )
        result.append(CriterionGrowth(key, titles[key][0], tuple(points)))
    return result


def _latest_feedback(viewer: User, supervisee: User, group_ids: list[int]) -> LatestFeedback | None:
    """The newest released feedback the viewer may read, whichever window is shown."""
    reviews = db.session.scalars(
        _released_query(supervisee, group_ids)
        .where(Review.overall_feedback_html.is_not(None), Review.overall_feedback_html != "")
        .options(joinedload(Review.case), joinedload(Review.reviewer))
        .order_by(Review.released_at.desc(), Review.id.desc())
        .limit(FEEDBACK_TRIES)
    ).all()
    for review in reviews:
        if can(viewer, Permission.REVIEW_READ_FEEDBACK, review):
            return LatestFeedback(
                case_title=review.case.title,
                review_url=url_for("reviews.show", review_id=review.id),
                reviewer_name=review.reviewer.display_name,
                released_at=review.released_at or review.updated_at,
                feedback_html=review.overall_feedback_html,
            )
    return None


def _waiting(supervisee: User, group_ids: list[int]) -> list[WaitingAnnotation]:
    """Others' annotations on the supervisee's cases that the supervisee may answer and has
    not, oldest first, at most LIST_MAX + 1 (four queries: the annotations with their cases,
    then their authors, the cases' groups and flags)."""
    # The first few found and sorted by their ids and times alone (narrow rows, not every
    # unanswered annotation whole), then those few loaded with their cases.
    first = (
        select(Annotation.id)
        .join(Case, Case.id == Annotation.case_id)
        .outerjoin(AnnotationResponse, AnnotationResponse.annotation_id == Annotation.id)
        .where(
            Case.author_id == supervisee.id,
            Case.group_id.in_(group_ids),
            Annotation.author_id != supervisee.id,
            AnnotationResponse.id.is_(None),
        )
        .order_by(Annotation.created_at, Annotation.id)
        .limit(LIST_MAX + 1)  # one more says there are more
    )
    annotations = db.session.scalars(
        select(Annotation)
        .join(Case, Case.id == Annotation.case_id)
        .outerjoin(AnnotationResponse, AnnotationResponse.annotation_id == Annotation.id)
        .options(
            contains_eager(Annotation.response),  # None, from the join: unanswered ones only
            selectinload(Annotation.author),
            contains_eager(Annotation.case).selectinload(Case.group),
            contains_eager(Annotation.case).selectinload(Case.flags),
        )
        .where(Annotation.id.in_(first.scalar_subquery()))
        .order_by(Annotation.created_at, Annotation.id)
    ).all()
    return [
        WaitingAnnotation(
            case_title=a.case.title,
            url=url_for("cases.show", case_id=a.case_id, _anchor=f"annotation-{a.id}"),
            author_name=a.author.display_name,
            quote=_short(a.original_exact),
            created_at=a.created_at,
        )
        for a in annotations
        if can(supervisee, Permission.ANNOTATION_RESPOND, a)
    ]


def growth_of(
    viewer: User,
    supervisee: User,
    cursor: dict[str, str] | None = None,
    *,
    whole: bool = False,
) -> Growth:
    """The supervisee's growth page as ``viewer`` may read it (check GROWTH_VIEW first), for
    the window of released reviews that ``cursor`` (``after``/``before``/``at``) names;
    ``whole``: every released review (the portfolio's whole record)."""
    cursor = {k: v for k, v in (cursor or {}).items() if k in ("after", "before", "at") and v}
    know_roles_of(viewer)  # one query for the roles every rule below asks about
    groups = growth_groups(viewer, supervisee)
    group_ids = [group.id for group in groups]
    shown = _released_window(viewer, supervisee, group_ids, cursor, None if whole else WINDOW)
    reviews = shown.items
    cited = _passages(viewer, reviews)
    is_own = viewer.id == supervisee.id
    # Self-assessments are the author's alone: never on a page shared with a supervisor.
    case_ids = sorted({review.case_id for review in reviews})
    own = submitted_self_levels(supervisee, case_ids) if is_own else {}
    waiting = _waiting(supervisee, group_ids) if is_own else []
    to_score = cases_to_score(supervisee) if is_own else []
    return Growth(
        supervisee_id=supervisee.id,
        supervisee_name=supervisee.display_name,
        is_own=is_own,
        group_names=tuple(group.name for group in groups),
        criteria=tuple(_criteria(reviews, cited, own)),
        latest_feedback=_latest_feedback(viewer, supervisee, group_ids),
        waiting=tuple(waiting[:LIST_MAX]),
        to_score=tuple(to_score[:LIST_MAX]),
        window=shown,
        window_args=tuple(sorted(cursor.items())),
        more_waiting=len(waiting) > LIST_MAX,
        more_to_score=len(to_score) > LIST_MAX,
    )
