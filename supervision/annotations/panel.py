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
from supervision.models import (
    AnchorStatus,
    Annotation,
    AnnotationAnchor,
    AnnotationVisibility,
    Case,
    CaseRevision,
    ResponseKind,
    ReviewScore,
    User,
)
from supervision.permissions import Permission, can
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


def _document_order(placed: tuple[Annotation, AnnotationAnchor]) -> tuple[int, int, int, int]:
    annotation, anchor = placed
    if not _is_placed(anchor) or anchor.start is None or anchor.end is None:
        return (len(SECTION_KEYS), 0, 0, annotation.id)
    return (SECTION_KEYS.index(anchor.section or ""), anchor.start, anchor.end, annotation.id)


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
    Only the chunk shown (and, for the case author, the annotations waiting for an answer) is
    turned into views: the rest are only counted and ordered.
    """
    placed = []
    for annotation in services.case_annotations(case):
        if not can(user, Permission.ANNOTATION_VIEW, annotation):
            continue
        anchor = services.anchor_for(annotation, revision.number)
        if anchor is not None:  # None: made on a later revision than the one shown
            placed.append((annotation, anchor))
    placed.sort(key=_document_order)
    start = _start([annotation.id for annotation, _ in placed], after, focus)
    shown = placed[start : start + CHUNK]
    is_author = case.author_id == user.id
    # The case author's open annotations are asked about once: for the waiting list and views.
    responds = {
        annotation.id: can(user, Permission.ANNOTATION_RESPOND, annotation)
        for annotation, _ in placed
        if is_author and _is_open(annotation)
    }
    waiting = [item for item in placed if responds.get(item[0].id)]
    rubric = group_rubric_version(case.group)
    criteria = {c.key: c.title for c in rubric.criteria}
    cited = services.citations(case) if shown else {}
    views: dict[int, AnnotationView] = {}
    for annotation, anchor in shown + waiting:
        if annotation.id in views:  # shown and waiting
            continue
        can_respond = responds.get(annotation.id)
        if can_respond is None:
            can_respond = can(user, Permission.ANNOTATION_RESPOND, annotation)
        views[annotation.id] = _view(
            annotation, anchor, user, criteria, cited.get(annotation.id, []), can_respond
        )
    return AnnotationPanel(
        case_id=case.id,
        revision_number=revision.number,
        total=len(placed),
        shown=tuple(views[annotation.id] for annotation, _ in shown),
        start=start,
        chunk=CHUNK,
        waiting=tuple(views[annotation.id] for annotation, _ in waiting),
        can_annotate=revision.cleared_at is not None and can(user, Permission.CASE_ANNOTATE, case),
        criteria=tuple(criteria.items()),
        visibilities=tuple((v.value, v.label) for v in AnnotationVisibility),
        responses=tuple((k.value, k.label) for k in ResponseKind),
        default_visibility=services.default_visibility(case),
        shortcut=SHORTCUT,
        is_case_author=is_author,
    )
