"""What the case page's annotation list shows, decided once per viewer and revision.

Every annotation passes ``can(user, ANNOTATION_VIEW, ...)``; every score citing one passes
``can(user, REVIEW_READ_SCORES, ...)``. Templates get ready values and make no decisions.
A constant number of queries, however many annotations, replies and citations there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# The module, not its names: cases.views imports this module, and may do so while
# annotations.services is still loading (services -> cases.privacy -> cases -> cases.views).
from supervision.annotations import services
from supervision.cases.sections import SECTION_KEYS, SECTION_LABELS
from supervision.extensions import db
from supervision.models import (
    AnchorStatus,
    Annotation,
    AnnotationAnchor,
    AnnotationResponse,
    AnnotationVisibility,
    Case,
    CaseRevision,
    ResponseKind,
    ReviewScore,
    User,
)
from supervision.permissions import Permission, can, visible_annotations
from supervision.rubrics.services import group_rubric_version

SHORTCUT = "Alt+A"  # the keyboard shortcut annotate.js listens for, as the page names it
# The list renders this many annotations at a time (each carries its forms: a long list would
# weigh hundreds of kilobytes); the rest come a chunk at a time, by link or by more.js.
CHUNK = 10

_STATUS_KIND = {
    AnchorStatus.CREATED: "neutral",
    AnchorStatus.CARRIED: "info",
    AnchorStatus.MOVED: "info",
    AnchorStatus.CHANGED: "warning",
    AnchorStatus.ORPHANED: "danger",
}


@dataclass(frozen=True)
class CitationView:
    """A review score that cites the annotation as its evidence."""

    review_id: int
    text: str  # "Cited as evidence for Boundaries (level 4) by Tomás"


@dataclass(frozen=True)
class ReplyView:
    id: int
    author_name: str
    body_html: str  # sanitized on write by supervision.rendering: `|safe` in templates
    created_at: datetime


@dataclass(frozen=True)
class AnnotationView:
    id: int
    author_name: str
    is_own: bool
    created_at: datetime
    edited: bool
    made_on_revision: int
    body_html: str  # sanitized on write: `|safe` in templates
    criterion_title: str | None
    visibility: AnnotationVisibility
    # Where it sits in the revision shown. section/start/end are None when orphaned.
    status: AnchorStatus
    status_kind: str  # badge kind
    section: str | None
    section_label: str | None
    start: int | None
    end: int | None
    quote: str  # the passage as it reads in this revision, or the original quote when gone
    original_quote: str | None  # the quote as first made, when it now reads differently
    response: ResponseKind | None
    responded_at: datetime | None
    is_open: bool  # the case author has not answered, or asked a question or disagreed
    replies: tuple[ReplyView, ...]
    citations: tuple[CitationView, ...]
    can_reply: bool
    can_respond: bool
    can_edit: bool

    @property
    def is_orphaned(self) -> bool:
        return self.status is AnchorStatus.ORPHANED

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class AnnotationPanel:
    case_id: int
    revision_number: int
    total: int  # how many annotations the viewer may read on this revision
    shown: tuple[AnnotationView, ...]  # the chunk this page renders, in document order
    start: int  # the index (in document order, orphaned ones last) of the first one shown
    chunk: int  # how many a chunk renders
    waiting: tuple[AnnotationView, ...]  # for the case author: those still waiting for an answer
    can_annotate: bool  # the viewer may annotate this revision (it is shared)
    criteria: tuple[tuple[str, str], ...]  # (key, title) of the group's current rubric
    visibilities: tuple[tuple[str, str], ...]  # (value, label)
    responses: tuple[tuple[str, str], ...]  # the case author's possible answers (value, label)
    default_visibility: AnnotationVisibility
    shortcut: str
    is_case_author: bool

    @property
    def is_empty(self) -> bool:
        return not (self.total or self.can_annotate)

    @property
    def open_count(self) -> int:
        """For the case author: annotations still waiting for an answer."""
        return len(self.waiting)

    @property
    def earlier(self) -> int:
        """How many come before the ones shown (a page reached by "show more")."""
        return self.start

    @property
    def later(self) -> int:
        """How many come after the ones shown."""
        return max(self.total - self.start - self.chunk, 0)

    @property
    def next_after(self) -> int | None:
        """The ``after`` of the next chunk: the last annotation shown, if more follow."""
        return self.shown[-1].id if self.later and self.shown else None

    def is_shown(self, annotation_id: int) -> bool:
        return any(view.id == annotation_id for view in self.shown)


def _start(ids: list[int], after: int | None, focus: int | None) -> int:
    """Where the chunk shown begins: past ``after``, or at the chunk that holds ``focus``."""
    if focus in ids:
        index = ids.index(focus)
        return index - index % CHUNK
    if after in ids:
        return ids.index(after) + 1
    return 0


def _level_text(score: ReviewScore) -> str:
    if score.not_visible:
        return " (not visible in this vignette)"
    return f" (level {score.level})" if score.level is not None else ""


def _citation(score: ReviewScore, user: User) -> CitationView:
    review = score.review
    who = "you" if review.reviewer_id == user.id else review.reviewer.display_name
    title = score.criterion.title
    return CitationView(review.id, f"Cited as evidence for {title}{_level_text(score)} by {who}")


def _is_placed(anchor: AnnotationAnchor) -> bool:
    return anchor.status is not AnchorStatus.ORPHANED and anchor.section is not None


def _view(
    annotation: Annotation,
    anchor: AnnotationAnchor,
    user: User,
    criteria: dict[str, str],
    cited_by: list[ReviewScore],
    can_respond: bool,
) -> AnnotationView:
    placed = _is_placed(anchor)
    quote = anchor.exact if placed else annotation.original_exact
    response = annotation.response
    key = annotation.criterion_key
    return AnnotationView(
        id=annotation.id,
        author_name=annotation.author.display_name,
        is_own=annotation.author_id == user.id,
        created_at=annotation.created_at,
        edited=annotation.updated_at > annotation.created_at,
        made_on_revision=annotation.revision_number,
        body_html=annotation.body_html,
        criterion_title=(criteria.get(key) or key) if key else None,
        visibility=annotation.visibility,
        status=anchor.status,
        status_kind=_STATUS_KIND[anchor.status],
        section=anchor.section if placed else None,
        section_label=SECTION_LABELS.get(anchor.section or "") if placed else None,
        start=anchor.start if placed else None,
        end=anchor.end if placed else None,
        quote=quote,
        original_quote=annotation.original_exact if quote != annotation.original_exact else None,
        response=response.kind if response else None,
        responded_at=response.responded_at if response else None,
        is_open=_is_open(annotation),
        replies=tuple(
            ReplyView(r.id, r.author.display_name, r.body_html, r.created_at)
            for r in annotation.replies
        ),
        citations=tuple(
            _citation(score, user)
            for score in cited_by
            if can(user, Permission.REVIEW_READ_SCORES, score.review)
        ),
        can_reply=can(user, Permission.ANNOTATION_REPLY, annotation),
        can_respond=can_respond,
        can_edit=can(user, Permission.ANNOTATION_EDIT, annotation),
    )


def _is_open(annotation: Annotation) -> bool:
    """The case author has not answered, or asked a question or disagreed."""
    return annotation.response is None or annotation.response.kind.is_open


@dataclass(frozen=True)
class _Placed:
    """One readable annotation's place in the revision shown: enough to count and order it."""

    id: int
    status: AnchorStatus
    section: str | None
    start: int | None
    end: int | None
    is_open: bool

    @property
    def order(self) -> tuple[int, int, int, int]:
        """Document order; orphaned ones (no place in this revision) last."""
        if self.status is AnchorStatus.ORPHANED or None in (self.section, self.start, self.end):
            return (len(SECTION_KEYS), 0, 0, self.id)
        return (SECTION_KEYS.index(self.section or ""), self.start or 0, self.end or 0, self.id)


def _placed(case: Case, revision: CaseRevision, user: User) -> list[_Placed]:
    """The annotations of ``case`` the user may read that have a place in ``revision`` (those
    made on a later revision have none), in document order: one query, no objects."""
    rows = db.session.execute(
        visible_annotations(user, case)
        .join(
            AnnotationAnchor,
            (AnnotationAnchor.annotation_id == Annotation.id)
            & (AnnotationAnchor.revision_number == revision.number),
        )
        .outerjoin(AnnotationResponse, AnnotationResponse.annotation_id == Annotation.id)
        .with_only_columns(
            Annotation.id,
            AnnotationAnchor.status,
            AnnotationAnchor.section,
            AnnotationAnchor.start,
            AnnotationAnchor.end,
            AnnotationResponse.kind,
        )
    )
    placed = [
        _Placed(id_, status, section, start, end, kind is None or kind.is_open)
        for id_, status, section, start, end, kind in rows
    ]
    placed.sort(key=lambda item: item.order)
    return placed


def annotation_panel(
    case: Case,
    revision: CaseRevision,
    user: User,
    *,
    after: int | None = None,
    focus: int | None = None,
) -> AnnotationPanel:
    """The annotations of ``case`` that ``user`` may read, placed in ``revision``; the page
    renders one chunk of them: the first, the one past ``after`` or the one holding ``focus``.
    All of them are counted and ordered from one narrow query (``visible_annotations``, the
    SQL twin of ANNOTATION_VIEW); only the chunk shown and, for the case author, the open ones
    are loaded whole, asked about with ``can`` once more and turned into views.
    """
    placed = _placed(case, revision, user)
    start = _start([item.id for item in placed], after, focus)
    shown_ids = [item.id for item in placed[start : start + CHUNK]]
    is_author = case.author_id == user.id
    open_ids = [item.id for item in placed if item.is_open] if is_author else []
    loaded = {
        annotation.id: annotation
        for annotation in services.annotations_by_id(dict.fromkeys(shown_ids + open_ids))
        if can(user, Permission.ANNOTATION_VIEW, annotation)
    }
    # The case author's open annotations are asked about once: for the waiting list and views.
    responds = {
        annotation_id: can(user, Permission.ANNOTATION_RESPOND, loaded[annotation_id])
        for annotation_id in open_ids
        if annotation_id in loaded
    }
    waiting = [annotation_id for annotation_id in open_ids if responds.get(annotation_id)]
    rubric = group_rubric_version(case.group)
    criteria = {c.key: c.title for c in rubric.criteria}
    cited = services.citations(case, shown_ids) if shown_ids else {}
    views: dict[int, AnnotationView] = {}
    for annotation_id in dict.fromkeys(shown_ids + waiting):
        annotation = loaded.get(annotation_id)
        anchor = annotation and services.anchor_for(annotation, revision.number)
        if annotation is None or anchor is None:
            continue
        can_respond = responds.get(annotation_id)
        if can_respond is None:
            can_respond = can(user, Permission.ANNOTATION_RESPOND, annotation)
        views[annotation_id] = _view(
            annotation, anchor, user, criteria, cited.get(annotation_id, []), can_respond
        )
    return AnnotationPanel(
        case_id=case.id,
        revision_number=revision.number,
        total=len(placed),
        shown=tuple(views[i] for i in shown_ids if i in views),
        start=start,
        chunk=CHUNK,
        waiting=tuple(views[i] for i in waiting if i in views),
        can_annotate=revision.cleared_at is not None and can(user, Permission.CASE_ANNOTATE, case),
        criteria=tuple(criteria.items()),
        visibilities=tuple((v.value, v.label) for v in AnnotationVisibility),
        responses=tuple((k.value, k.label) for k in ResponseKind),
        default_visibility=services.default_visibility(case),
        shortcut=SHORTCUT,
        is_case_author=is_author,
    )
