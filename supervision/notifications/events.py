"""Who hears of what. Each event goes to the people concerned who may see its subject, by the
same ``can`` rules that guard the pages (their roles loaded in one query), never to the actor.

The wording names people and groups only: no case, post or annotation text, no client detail.
Everything about a case has the case as its subject, so withdrawing the case withdraws it all.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, or_, select

from supervision.extensions import db
from supervision.models import (
    Annotation,
    Case,
    CaseStatus,
    Group,
    Invitation,
    Membership,
    NotificationEvent,
    Review,
    ReviewScore,
    ReviewStatus,
    Role,
    ScoreEvidence,
    User,
)
from supervision.notifications.services import link_to, notify
from supervision.permissions import Permission, can, roles_known


def _users(ids: Iterable[int]) -> list[User]:
    wanted = set(ids)
    if not wanted:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(wanted)).order_by(User.id)))


def _who_may(
    permission: Permission, subject: object, group: Group, users: list[User]
) -> list[User]:
    with roles_known(group.id, [user.id for user in users]):
        return [user for user in users if can(user, permission, subject)]


def _case_url(case: Case, anchor: str | None = None) -> str:
    return link_to("cases.show", case_id=case.id, _anchor=anchor)


def notify_case_shared(case: Case, actor: User | None = None) -> None:
    """The group hears of a case once it may read it: at its first share, or at its approval."""
    if case.status is not CaseStatus.SHARED:
        return
    group = case.group
    members = list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.group_id == group.id, User.id != case.author_id)
            .order_by(User.id)
        )
    )
    notify(
        NotificationEvent.CASE_SHARED,
        _who_may(Permission.CASE_VIEW, case, group, members),
        text=f"A case was shared in {group.name}",
        url=_case_url(case),
        actor=actor,
        group=group,
        subject=("case", case.id),
    )
    notify_case_with_reviewers(case, actor)


def notify_case_with_reviewers(case: Case, actor: User | None = None) -> None:
    """The case's author hears that its reviewers can read it now, when someone else made it so
    (a facilitator's approval). Sharing it themselves, they saw it happen: the actor is never
    told."""
    if case.status is not CaseStatus.SHARED:
        return
    group = case.group
    who = f"{actor.display_name} approved your case" if actor else "Your case was approved"
    notify(
        NotificationEvent.CASE_WITH_REVIEWERS,
        _who_may(Permission.CASE_VIEW, case, group, _users([case.author_id])),
        text=f"{who} in {group.name}: its reviewers can read it now",
        url=_case_url(case),
        actor=actor,
        group=group,
        subject=("case", case.id),
    )


def notify_review_released(review: Review) -> None:
    """The case's author hears that a review of their case is released. Who is told is
    REVIEW_READ_FEEDBACK's, so that no one still to score the revision blind ever is."""
    case = review.case
    group = case.group
    reviewer = review.reviewer
    notify(
        NotificationEvent.REVIEW_RELEASED,
        _who_may(Permission.REVIEW_READ_FEEDBACK, review, group, _users([case.author_id])),
        text=f"{reviewer.display_name} released a review of your case in {group.name}",
        url=link_to("reviews.show", review_id=review.id),
        actor=reviewer,
        group=group,
        subject=("case", case.id),
    )


def notify_discrepancy(review: Review) -> None:
    """Submitting ``review`` made its revision's reviews differ by two levels or more on a
    criterion: those who submitted a review of the revision and the facilitators hear of it."""
    case = review.case
    group = case.group
    reviewers = select(Review.reviewer_id).where(
        Review.case_id == case.id,
        Review.revision_number == review.revision_number,
        Review.status != ReviewStatus.DRAFT,
    )
    facilitators = select(Membership.user_id).where(
        Membership.group_id == group.id, Membership.role == Role.FACILITATOR
    )
    concerned = list(
        db.session.scalars(
            select(User)
            .where(or_(User.id.in_(reviewers), User.id.in_(facilitators)))
            .order_by(User.id)
        )
    )
    # Blind scoring: someone still to score the revision may not read the levels that differ.
    reconcilers = _who_may(Permission.CASE_RECONCILE, case, group, concerned)
    notify(
        NotificationEvent.DISCREPANCY,
        _who_may(Permission.REVIEW_READ_SCORES, review, group, reconcilers),
        text=f"Reviews of a case in {group.name} differ by two levels or more",
        url=link_to("reviews.index", case_id=case.id, _anchor="discrepancies"),
        actor=review.reviewer,
        group=group,
        subject=("case", case.id),
    )


def notify_annotation_reply(annotation: Annotation, actor: User) -> None:
    """A reply: the annotation's author hears of it, and so do the people who replied before."""
    case = annotation.case
    group = case.group
    repliers = {reply.author_id for reply in annotation.replies} - {annotation.author_id}
    readers = _who_may(
        Permission.ANNOTATION_VIEW,
        annotation,
        group,
        _users({annotation.author_id} | repliers),
    )
    url = _case_url(case, f"annotation-{annotation.id}")
    for recipients, what in (
        ([u for u in readers if u.id == annotation.author_id], "your annotation"),
        ([u for u in readers if u.id in repliers], "an annotation you replied to"),
    ):
        notify(
            NotificationEvent.ANNOTATION_REPLY,
            recipients,
            text=f"{actor.display_name} replied to {what} in {group.name}",
            url=url,
            actor=actor,
            group=group,
            subject=("case", case.id),
        )


def notify_annotation_answered(annotation: Annotation, actor: User) -> None:
    """The case's author answered an annotation: its author hears of it."""
    case = annotation.case
    group = case.group
    notify(
        NotificationEvent.ANNOTATION_REPLY,
        _who_may(Permission.ANNOTATION_VIEW, annotation, group, _users([annotation.author_id])),
        text=f"{actor.display_name} answered your annotation in {group.name}",
        url=_case_url(case, f"annotation-{annotation.id}"),
        actor=actor,
        group=group,
        subject=("case", case.id),
    )


def notify_annotations_to_rereview(
    case: Case, annotations: list[Annotation], actor: User | None = None
) -> None:
    """A newly shared revision rewords ("text changed") or removes ("passage gone") the passages
    of ``annotations``. Who wrote one, and who cites one as evidence in a review, hears of it
    once for all of them, if they may still read it; the others in the group did not rely on
    those passages, and the case's author made the change."""
    if not annotations:
        return
    group = case.group
    by_id = {annotation.id: annotation for annotation in annotations}
    wrote: dict[int, set[int]] = {}
    cites: dict[int, set[int]] = {}
    for annotation in annotations:
        wrote.setdefault(annotation.author_id, set()).add(annotation.id)
    for annotation_id, reviewer_id in db.session.execute(
        select(ScoreEvidence.annotation_id, Review.reviewer_id)
        .join(ReviewScore, ReviewScore.id == ScoreEvidence.score_id)
        .join(Review, Review.id == ReviewScore.review_id)
        .where(ScoreEvidence.annotation_id.in_(by_id))
    ):
        cites.setdefault(reviewer_id, set()).add(annotation_id)
    users = _users(wrote.keys() | cites.keys())
    with roles_known(group.id, [user.id for user in users]):
        readable = {
            user.id: {
                annotation_id
                for annotation_id in wrote.get(user.id, set()) | cites.get(user.id, set())
                if can(user, Permission.ANNOTATION_VIEW, by_id[annotation_id])
            }
            for user in users
        }
    who = actor.display_name if actor else "The author"
    for user in users:
        concerned = readable[user.id]
        if not concerned:
            continue
        own = concerned & wrote.get(user.id, set())
        count = len(concerned)
        if own == concerned:
            what = "your annotation waits" if count == 1 else f"{count} of your annotations wait"
        elif not own:
            what = (
                "an annotation your review cites waits"
                if count == 1
                else f"{count} annotations your reviews cite wait"
            )
        else:
            what = f"{count} annotations you wrote or cite wait"
        first = min(concerned)
        notify(
            NotificationEvent.ANNOTATION_REREVIEW,
            [user],
            text=(
                f"{who} shared a revision of a case in {group.name}: {what} for re-review "
                "(the passage was reworded or removed)"
            ),
            url=_case_url(case, f"annotation-{first}" if count == 1 else "annotations"),
            actor=actor,
            group=group,
            subject=("case", case.id),
        )


def notify_invitation(invitation: Invitation, inviter: User) -> None:
    """Someone who already has an account hears of an invitation in the app as well. The link
    to accept stays in the invitation's email only (its token is stored hashed, nowhere else)."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == invitation.email))
    if user is None:
        return
    group = invitation.group
    notify(
        NotificationEvent.INVITATION,
        [user],
        text=(
            f"{inviter.display_name} invited you to join {group.name}. "
            "The link to accept is in the invitation email."
        ),
        url=link_to("groups.index"),
        actor=inviter,
        group=group,
        subject=("invitation", invitation.id),
    )
