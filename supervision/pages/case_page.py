"""The case page: a case with its annotation, review and discussion panels, for one viewer.

Each feature hands over ready values (``annotations.panel``, ``reviews.panel``,
``discussions.listing``); this module decides nothing they decide, it only puts them together
and works out what the page shows first: the author's own actions and the annotations waiting
for the author's answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from supervision.annotations.panel import AnnotationPanel, AnnotationView, annotation_panel
from supervision.cases.privacy import open_flags
from supervision.cases.sections import SECTIONS
from supervision.cases.services import working_revision
from supervision.discussions.listing import case_discussion_link
from supervision.models import Case, CaseRevision, User
from supervision.permissions import Permission, can
from supervision.reviews.panel import ReviewPanel, case_review_panel


@dataclass(frozen=True)
class CaseActions:
    """What the viewer may do to the case itself."""

    edit: bool
    close: bool
    flag: bool
    redact: bool
    withdraw: bool
    approve: bool
    clear_flag: bool

    @property
    def any(self) -> bool:
        return self.edit or self.close or self.flag or self.redact or self.withdraw


@dataclass(frozen=True)
class AuthorDesk:
    """The author's own business with the case, shown under the title (first on a phone)."""

    waiting: tuple[AnnotationView, ...]  # annotations still waiting for the author's answer
    show_scores_visibility: bool  # the "who sees your scores" choice

    @property
    def is_empty(self) -> bool:
        return not (self.waiting or self.show_scores_visibility)


def _actions(case: Case, user: User) -> CaseActions:
    return CaseActions(
        edit=can(user, Permission.CASE_EDIT, case),
        close=can(user, Permission.CASE_CLOSE, case),
        flag=can(user, Permission.CASE_FLAG, case),
        redact=can(user, Permission.CASE_REDACT, case),
        withdraw=can(user, Permission.CASE_WITHDRAW, case),
        approve=can(user, Permission.CASE_APPROVE, case),
        clear_flag=can(user, Permission.CASE_CLEAR_FLAG, case),
    )


def _author_desk(annotations: AnnotationPanel, reviews: ReviewPanel) -> AuthorDesk:
    return AuthorDesk(
        waiting=annotations.waiting,
        show_scores_visibility=reviews.can_set_scores_visibility,
    )


def case_page_context(
    case: Case,
    revision: CaseRevision,
    user: User,
    *,
    after: int | None = None,
    focus: int | None = None,
) -> dict[str, Any]:
    """Everything ``cases/show.html`` displays for ``user`` reading ``revision`` of ``case``;
    its annotation list shows the chunk past ``after``, or the one holding ``focus``."""
    is_author = case.author_id == user.id
    actions = _actions(case, user)
    annotations = annotation_panel(case, revision, user, after=after, focus=focus)
    reviews = case_review_panel(case, user)
    cleared = [r for r in case.revisions if r.cleared_at is not None]
    desk = _author_desk(annotations, reviews) if is_author else None
    return {
        "case": case,
        "revision": revision,
        "sections": [(s.key, s.label, getattr(revision, f"{s.key}_html")) for s in SECTIONS],
        "is_author": is_author,
        "actions": actions,
        "author_desk": desk,
        "unshared": working_revision(case) if is_author else None,
        "revisions": case.revisions if is_author else cleared,
        "flags": open_flags(case) if is_author or actions.clear_flag else [],
        "review_panel": reviews,
        "scores_visibility_elsewhere": desk is not None and desk.show_scores_visibility,
        "annotation_panel": annotations,
        "discussion": case_discussion_link(case, user),
    }
