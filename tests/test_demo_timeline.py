"""The demo workspace's timeline reads like real use: everything is dated in the past, and
nothing happens before what it depends on (a case is shared before it is discussed, reviewed or
annotated; a review is started, submitted and released in that order; a notification carries the
moment of its event). Checked across the whole database, whatever the demo's content."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Column, Select, and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from supervision.extensions import db
from supervision.models import (
    Annotation,
    AnnotationReply,
    AnnotationResponse,
    Case,
    CaseFlag,
    CaseRevision,
    ConsensusScore,
    FindingResolution,
    Group,
    Membership,
    Notification,
    NotificationEvent,
    Post,
    PostEdit,
    ReconciliationNote,
    Review,
    ReviewScore,
    RubricVersion,
    ScoreEvidence,
    Thread,
    User,
)
from supervision.models.types import UTCDateTime, utcnow

# Deadlines, not events: they lie in the future by design.
DEADLINES = {"expires_at", "expiry", "next_attempt_at"}
# The audit trail records when the rows were really written (the load itself), not the story's
# dates: backdating it would make it lie.
TRUE_TIMES = {"audit_entries"}

pytestmark = pytest.mark.usefixtures("loaded_at")


@pytest.fixture()
def loaded_at(app: Flask) -> datetime:
    """Load the demo as `flask demo load` does; the moment the load began."""
    before = utcnow()
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return before


def none_of(rule_broken: str, stmt: Select[Any]) -> None:
    """``stmt`` finds the rows that break a rule: there must be none."""
    rows = db.session.execute(stmt).all()
    assert rows == [], f"{rule_broken}: {rows}"


def timestamp_columns() -> list[Column[Any]]:
    return [
        column
        for table in db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, UTCDateTime)
        and column.name not in DEADLINES
        and table.name not in TRUE_TIMES
    ]


# -- nothing in the future ----------------------------------------------------------------------


def test_every_timestamp_is_in_the_past_and_none_is_the_moment_of_loading(
    loaded_at: datetime,
) -> None:
    after = utcnow()
    dated = 0
    for column in timestamp_columns():
        where = f"{column.table.name}.{column.name}"
        future = select(column).where(column > after)
        assert db.session.execute(future).all() == [], f"{where} is in the future"
        # Everything the demo made is backdated: a value at the load is one it forgot to date.
        undated = select(column).where(column >= loaded_at)
        assert db.session.execute(undated).all() == [], f"{where} is the moment of loading"
        dated += db.session.scalar(select(func.count()).where(column.is_not(None)))
    assert dated > 100  # the demo was loaded, and the checks above saw its rows


# -- people, groups and cases -------------------------------------------------------------------


def test_members_join_before_they_write_and_cases_are_written_before_they_are_shared() -> None:
    none_of(
        "a member joined before signing up, or before the group began",
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .join(Group, Group.id == Membership.group_id)
        .where(
            or_(Membership.joined_at < User.created_at, Membership.joined_at < Group.created_at)
        ),
    )
    none_of(
        "a case begun before its author joined the group",
        select(Case.id)
        .join(
            Membership,
            and_(Membership.group_id == Case.group_id, Membership.user_id == Case.author_id),
        )
        .where(Case.created_at < Membership.joined_at),
    )
    none_of(
        "a revision edited before it was begun, or shared before it was last edited",
        select(CaseRevision.id).where(
            or_(
                CaseRevision.updated_at < CaseRevision.created_at,
                CaseRevision.cleared_at < CaseRevision.updated_at,
            )
        ),
    )
    none_of(
        "a case begun after a revision, or updated or closed before one was written or shared",
        select(Case.id)
        .join(CaseRevision, CaseRevision.case_id == Case.id)
        .where(
            or_(
                Case.created_at > CaseRevision.created_at,
                Case.updated_at < CaseRevision.created_at,
                Case.updated_at < CaseRevision.cleared_at,
                Case.closed_at < CaseRevision.cleared_at,
            )
        ),
    )
    first = aliased(CaseRevision)
    none_of(
        "a case shared for the group before its first revision passed the gate",
        select(Case.id)
        .join(first, and_(first.case_id == Case.id, first.number == 1))
        .where(
            Case.shared_at.is_not(None),
            or_(first.cleared_at.is_(None), Case.shared_at < first.cleared_at),
        ),
    )
    none_of(
        "a case closed before it was shared", select(Case.id).where(Case.closed_at < Case.shared_at)
    )


def test_each_revision_is_written_and_shared_after_the_one_before() -> None:
    earlier, later = aliased(CaseRevision), aliased(CaseRevision)
    pairs = select(earlier.id, later.id).join(
        later, and_(later.case_id == earlier.case_id, later.number == earlier.number + 1)
    )
    assert db.session.execute(pairs).all(), "the demo has a case with several revisions"
    none_of(
        "a revision begun before the one before it was shared, or shared no later",
        pairs.where(
            or_(
                earlier.cleared_at.is_(None),
                later.created_at < earlier.cleared_at,
                later.cleared_at <= earlier.cleared_at,
            )
        ),
    )


def test_the_gates_answers_and_flags_fit_their_revision() -> None:
    revision = aliased(CaseRevision)
    none_of(
        "a finding answered before its revision was begun, or after it was shared",
        select(FindingResolution.id)
        .join(
            revision,
            and_(
                revision.case_id == FindingResolution.case_id,
                revision.number == FindingResolution.revision_number,
            ),
        )
        .where(
            or_(
                FindingResolution.resolved_at < revision.created_at,
                FindingResolution.resolved_at > revision.cleared_at,
            )
        ),
    )
    none_of(
        "a case flagged before the flagged revision was shared",
        select(CaseFlag.id)
        .join(
            revision,
            and_(revision.case_id == CaseFlag.case_id, revision.number == CaseFlag.revision_number),
        )
        .where(or_(revision.cleared_at.is_(None), CaseFlag.created_at < revision.cleared_at)),
    )


# -- discussions --------------------------------------------------------------------------------


def test_discussions_follow_the_case_and_each_other() -> None:
    none_of(
        "a thread begun before its group",
        select(Thread.id)
        .join(Group, Group.id == Thread.group_id)
        .where(Thread.created_at < Group.created_at),
    )
    first = aliased(CaseRevision)
    none_of(
        "a case's own thread opened before the case first passed the gate",
        select(Thread.id)
        .join(first, and_(first.case_id == Thread.case_id, first.number == 1))
        .where(or_(first.cleared_at.is_(None), Thread.created_at < first.cleared_at)),
    )
    none_of(
        "a case discussed before the group could read it",
        select(Post.id)
        .join(Thread, Thread.id == Post.thread_id)
        .join(Case, Case.id == Thread.case_id)
        .where(or_(Case.shared_at.is_(None), Post.created_at < Case.shared_at)),
    )
    none_of(
        "a post written before its thread began",
        select(Post.id)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.created_at < Thread.created_at),
    )
    none_of(
        "a post written before its author joined the group",
        select(Post.id)
        .join(Thread, Thread.id == Post.thread_id)
        .join(
            Membership,
            and_(Membership.group_id == Thread.group_id, Membership.user_id == Post.author_id),
        )
        .where(Post.created_at < Membership.joined_at),
    )
    answered = aliased(Post)
    none_of(
        "a reply written before the post it answers",
        select(Post.id)
        .join(answered, answered.id == Post.reply_to_id)
        .where(Post.created_at <= answered.created_at),
    )
    none_of(
        "posts out of the order they were written",
        select(Post.id)
        .join(answered, and_(answered.thread_id == Post.thread_id, answered.id < Post.id))
        .where(Post.created_at < answered.created_at),
    )
    none_of(
        "a post edited or hidden before it was written",
        select(Post.id).where(
            or_(Post.edited_at <= Post.created_at, Post.hidden_at <= Post.created_at)
        ),
    )
    none_of(
        "an earlier text replaced before the post was written, or after its last edit",
        select(PostEdit.id)
        .join(Post, Post.id == PostEdit.post_id)
        .where(or_(PostEdit.replaced_at <= Post.created_at, PostEdit.replaced_at > Post.edited_at)),
    )
    visible = and_(Post.deleted_at.is_(None), Post.hidden_at.is_(None))
    none_of(
        "a thread last active before it began",
        select(Thread.id).where(Thread.last_post_at < Thread.created_at),
    )
    none_of(
        "a thread with nothing to show, yet last active after it opened",
        select(Thread.id).where(
            Thread.last_post_at != Thread.created_at,
            ~exists().where(Post.thread_id == Thread.id, visible),
        ),
    )
    none_of(
        "a thread's last activity is not its last visible post",
        select(Thread.id)
        .join(Post, Post.thread_id == Thread.id)
        .where(visible)
        .group_by(Thread.id, Thread.last_post_at)
        .having(func.max(Post.created_at) != Thread.last_post_at),
    )


# -- reviews ------------------------------------------------------------------------------------


def test_reviews_are_started_submitted_and_released_after_the_revision_was_shared() -> None:
    revision = aliased(CaseRevision)
    none_of(
        "a review started before its revision was shared",
        select(Review.id)
        .join(
            revision,
            and_(revision.case_id == Review.case_id, revision.number == Review.revision_number),
        )
        .where(or_(revision.cleared_at.is_(None), Review.created_at < revision.cleared_at)),
    )
    none_of(
        "a review saved, submitted or released out of order",
        select(Review.id).where(
            or_(
                Review.updated_at < Review.created_at,
                Review.submitted_at < Review.updated_at,
                Review.released_at < Review.submitted_at,
                and_(Review.released_at.is_not(None), Review.submitted_at.is_(None)),
            )
        ),
    )
    none_of(
        "a review started before its rubric version was published",
        select(Review.id)
        .join(RubricVersion, RubricVersion.id == Review.rubric_version_id)
        .where(
            or_(
                RubricVersion.published_at.is_(None), Review.created_at < RubricVersion.published_at
            )
        ),
    )
    none_of(
        "a rubric version published before it was made",
        select(RubricVersion.id).where(RubricVersion.published_at < RubricVersion.created_at),
    )
    earlier = aliased(RubricVersion)
    none_of(
        "a rubric version made before the one before it was published",
        select(RubricVersion.id)
        .join(
            earlier,
            and_(
                earlier.rubric_id == RubricVersion.rubric_id,
                earlier.number == RubricVersion.number - 1,
            ),
        )
        .where(RubricVersion.created_at < earlier.published_at),
    )


def test_reconciliation_follows_the_submitted_reviews() -> None:
    submitted = Review.submitted_at.is_not(None)
    assert db.session.scalar(select(func.count(ConsensusScore.id))), "the demo has a consensus"
    none_of(
        "a reconciliation note before a submitted review of its revision",
        select(ReconciliationNote.id)
        .join(
            Review,
            and_(
                Review.case_id == ReconciliationNote.case_id,
                Review.revision_number == ReconciliationNote.revision_number,
            ),
        )
        .where(submitted, ReconciliationNote.created_at < Review.submitted_at),
    )
    none_of(
        "a consensus before a submitted review of its revision",
        select(ConsensusScore.id)
        .join(
            Review,
            and_(
                Review.case_id == ConsensusScore.case_id,
                Review.revision_number == ConsensusScore.revision_number,
            ),
        )
        .where(submitted, ConsensusScore.recorded_at < Review.submitted_at),
    )
    none_of(
        "a consensus before the reviewers' notes on its criterion",
        select(ConsensusScore.id)
        .join(
            ReconciliationNote,
            and_(
                ReconciliationNote.case_id == ConsensusScore.case_id,
                ReconciliationNote.revision_number == ConsensusScore.revision_number,
                ReconciliationNote.criterion_key == ConsensusScore.criterion_key,
            ),
        )
        .where(ConsensusScore.recorded_at < ReconciliationNote.created_at),
    )


# -- annotations --------------------------------------------------------------------------------


def test_annotations_replies_and_answers_follow_the_shared_revision() -> None:
    revision = aliased(CaseRevision)
    none_of(
        "an annotation made before its revision was shared, or edited before it was made",
        select(Annotation.id)
        .join(
            revision,
            and_(
                revision.case_id == Annotation.case_id,
                revision.number == Annotation.revision_number,
            ),
        )
        .where(
            or_(
                revision.cleared_at.is_(None),
                Annotation.created_at < revision.cleared_at,
                Annotation.updated_at < Annotation.created_at,
            )
        ),
    )
    assert db.session.scalar(select(func.count(AnnotationReply.id))), "the demo has replies"
    none_of(
        "a reply before its annotation",
        select(AnnotationReply.id)
        .join(Annotation, Annotation.id == AnnotationReply.annotation_id)
        .where(AnnotationReply.created_at <= Annotation.created_at),
    )
    earlier = aliased(AnnotationReply)
    none_of(
        "replies out of the order they were written",
        select(AnnotationReply.id)
        .join(
            earlier,
            and_(
                earlier.annotation_id == AnnotationReply.annotation_id,
                earlier.id < AnnotationReply.id,
            ),
        )
        .where(AnnotationReply.created_at <= earlier.created_at),
    )
    none_of(
        "an answer before its annotation",
        select(AnnotationResponse.id)
        .join(Annotation, Annotation.id == AnnotationResponse.annotation_id)
        .where(AnnotationResponse.responded_at <= Annotation.created_at),
    )
    none_of(
        "a submitted review citing an annotation made after it was submitted",
        select(ScoreEvidence.id)
        .join(Annotation, Annotation.id == ScoreEvidence.annotation_id)
        .join(ReviewScore, ReviewScore.id == ScoreEvidence.score_id)
        .join(Review, Review.id == ReviewScore.review_id)
        .where(Review.submitted_at < Annotation.created_at),
    )


# -- notifications ------------------------------------------------------------------------------


def test_each_notification_is_dated_at_the_moment_of_its_event() -> None:
    N = Notification
    on_case = N.subject_type == "case"
    by_actor_on_case = and_(Review.case_id == N.subject_id, Review.reviewer_id == N.actor_id)
    annotation_on_case = and_(
        Annotation.case_id == N.subject_id, N.event == NotificationEvent.ANNOTATION_REPLY, on_case
    )
    moments = [
        exists().where(  # a post and its mentions and replies
            N.subject_type == "post",
            Post.id == N.subject_id,
            or_(N.created_at == Post.created_at, N.created_at == Post.edited_at),
        ),
        exists().where(
            N.event == NotificationEvent.CASE_SHARED,
            on_case,
            Case.id == N.subject_id,
            Case.shared_at == N.created_at,
        ),
        exists().where(
            N.event == NotificationEvent.REVIEW_RELEASED,
            on_case,
            by_actor_on_case,
            Review.released_at == N.created_at,
        ),
        exists().where(
            N.event == NotificationEvent.DISCREPANCY,
            on_case,
            by_actor_on_case,
            Review.submitted_at == N.created_at,
        ),
        exists().where(
            annotation_on_case,
            AnnotationReply.annotation_id == Annotation.id,
            AnnotationReply.author_id == N.actor_id,
            AnnotationReply.created_at == N.created_at,
        ),
        exists().where(
            annotation_on_case,
            AnnotationResponse.annotation_id == Annotation.id,
            AnnotationResponse.responded_by_id == N.actor_id,
            AnnotationResponse.responded_at == N.created_at,
        ),
        exists().where(  # the wish to talk is its own event; it follows a released review
            N.event == NotificationEvent.TALK_REQUESTED,
            Review.reviewer_id == N.user_id,
            Review.case_id == Case.id,
            Case.author_id == N.actor_id,
            Review.released_at < N.created_at,
        ),
    ]
    events = set(db.session.scalars(select(N.event).distinct()))
    assert events >= {
        NotificationEvent.CASE_SHARED,
        NotificationEvent.REVIEW_RELEASED,
        NotificationEvent.DISCREPANCY,
        NotificationEvent.ANNOTATION_REPLY,
        NotificationEvent.MENTION,
        NotificationEvent.POST_REPLY,
    }
    none_of(
        "a notification not dated at the moment of its event",
        select(N.id, N.event, N.text).where(~or_(*moments)),
    )
    none_of("a notification read before it was sent", select(N.id).where(N.read_at < N.created_at))
