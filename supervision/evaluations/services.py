"""Scheduling evaluations, filling each side's part, the supervisee's response and signing.

Services flush and never commit. Each side's part is its author's alone until they mark it
ready (then it is final); both parties sign, through ``auth.reauth.sign``, once both parts are
ready; after the first signature nothing changes, so each party signs what they read. Every
write claims the evaluation's ``edit_version``: a stale form is a conflict, never an overwrite.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from supervision.auth.reauth import sign
from supervision.cases.privacy import scrub
from supervision.extensions import db
from supervision.models import (
    LEVELS,
    Evaluation,
    EvaluationKind,
    EvaluationScore,
    Group,
    Membership,
    Role,
    RubricVersion,
    SupervisorEvaluation,
    User,
)
from supervision.models.evaluation import (
    CRITERION_COMMENT_MAX,
    EVALUATION_COMMENT_MAX,
    EVALUATION_LABEL_MAX,
    NOT_OBSERVED,
)
from supervision.models.types import utcnow
from supervision.models.versioning import claim_edit_version
from supervision.permissions import role_in
from supervision.rubrics.services import available_rubrics, group_rubric_version, latest_published

LONGEST_PERIOD = timedelta(days=730)
LATEST_DUE_AFTER_PERIOD = timedelta(days=180)
EVALUATOR, SELF = "evaluator", "self"


class EvaluationError(ValueError):
    """A step the rules do not allow; the message is for the user, ``field`` the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class EvaluationConflict(EvaluationError):
    """The evaluation changed since the form was opened."""

    def __init__(self, seen: int, current: int) -> None:
        super().__init__(
            f"This evaluation changed while you had it open (you opened version {seen}; it is "
            f"now version {current}). Your text is kept below: check the current state, then "
            "save again."
        )
        self.seen, self.current = seen, current


# -- Scheduling ----------------------------------------------------------------------------------


def _members(group: Group, roles: tuple[Role, ...]) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.group_id == group.id, Membership.role.in_(roles))
            .order_by(User.display_name, User.id)
        )
    )


def supervisee_choices(group: Group) -> list[User]:
    return _members(group, (Role.SUPERVISEE,))


def evaluator_choices(group: Group, scheduler: User) -> list[User]:
    """Supervisors and facilitators of the group; a supervisor schedules only their own."""
    people = _members(group, (Role.SUPERVISOR, Role.FACILITATOR))
    scheduler_role = _role(group, scheduler)
    if scheduler_role is Role.FACILITATOR:
        return people
    return [person for person in people if person.id == scheduler.id]


def rubric_choices(group: Group) -> list[RubricVersion]:
    """The newest published version of every rubric the group may use."""
    versions = [latest_published(rubric) for rubric in available_rubrics(group)]
    return [version for version in versions if version is not None]


def default_rubric_version(group: Group) -> RubricVersion:
    """The group's rubric: the relationship rubric unless the group chose another."""
    return group_rubric_version(group)


def _role(group: Group, user: User) -> Role | None:
    return role_in(user, group)


@dataclass(frozen=True)
class ScheduleInput:
    supervisee_id: int
    evaluator_id: int
    kind: EvaluationKind
    label: str
    period_start: date
    period_end: date
    due_on: date
    rubric_version_id: int


def _check_dates(data: ScheduleInput) -> None:
    if data.period_start > data.period_end:
        raise EvaluationError("The period must end on or after the day it starts.", "period_end")
    if data.period_end - data.period_start > LONGEST_PERIOD:
        raise EvaluationError("A period can last two years at most.", "period_end")
    if data.due_on < data.period_start:
        raise EvaluationError("The due date cannot come before the period starts.", "due_on")
    if data.due_on > data.period_end + LATEST_DUE_AFTER_PERIOD:
        raise EvaluationError(
            "The due date must fall within six months of the period's end.", "due_on"
        )


def schedule_evaluation(group: Group, scheduler: User, data: ScheduleInput) -> Evaluation:
    label = " ".join(data.label.split())
    if data.kind is EvaluationKind.OTHER and not label:
        raise EvaluationError("Name this evaluation (for example “Placement review”).", "label")
    if len(label) > EVALUATION_LABEL_MAX:
        raise EvaluationError(f"Keep the name under {EVALUATION_LABEL_MAX} characters.", "label")
    _check_dates(data)
    supervisee = db.session.get(User, data.supervisee_id)
    if supervisee is None or _role(group, supervisee) is not Role.SUPERVISEE:
        raise EvaluationError("Choose a supervisee of this group.", "supervisee_id")
    if data.evaluator_id not in {person.id for person in evaluator_choices(group, scheduler)}:
        raise EvaluationError("Choose an evaluator among this group's supervisors.", "evaluator_id")
    version = next((v for v in rubric_choices(group) if v.id == data.rubric_version_id), None)
    if version is None:
        raise EvaluationError("Choose a published rubric of this group.", "rubric_version_id")
    evaluation = Evaluation(
        group=group,
        supervisee=supervisee,
        evaluator_id=data.evaluator_id,
        scheduled_by=scheduler,
        kind=data.kind,
        label=label if data.kind is EvaluationKind.OTHER else "",
        period_start=data.period_start,
        period_end=data.period_end,
        due_on=data.due_on,
        rubric_version=version,
    )
    for position, criterion in enumerate(version.criteria):
        evaluation.scores.append(
            EvaluationScore(criterion=criterion, criterion_key=criterion.key, position=position)
        )
    db.session.add(evaluation)
    db.session.flush()
    return evaluation


def load_scores(evaluation: Evaluation) -> list[EvaluationScore]:
    """The evaluation's rows with their criteria (one query)."""
    return list(
        db.session.scalars(
            select(EvaluationScore)
            .options(selectinload(EvaluationScore.criterion))
            .where(EvaluationScore.evaluation_id == evaluation.id)
            .order_by(EvaluationScore.position)
        )
    )


# -- Each side's part ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PartInput:
    """What a side's form holds: per criterion key a choice ("", "1".."5" or "n/o") and a
    comment; the overall comments; and whether the author marks the part ready."""

    levels: Mapping[str, str]
    comments: Mapping[str, str] = field(default_factory=dict)
    overall: str = ""
    ready: bool = False


def _parse_level(choice: str) -> tuple[int | None, bool]:
    """(level, not observed) of a form choice; (None, False) is "not chosen yet"."""
    if choice == NOT_OBSERVED:
        return None, True
    if not choice:
        return None, False
    if choice.isdigit() and int(choice) in LEVELS:
        return int(choice), False
    raise EvaluationError("Levels run from 1 to 5.")


def _current_version(evaluation: Evaluation) -> int:
    current = db.session.scalar(
        select(Evaluation.edit_version).where(Evaluation.id == evaluation.id)
    )
    return current or 0


def _claim(evaluation: Evaluation, seen: int) -> None:
    if seen != evaluation.edit_version or not claim_edit_version(evaluation, seen):
        raise EvaluationConflict(seen, _current_version(evaluation))


def save_part(evaluation: Evaluation, side: str, data: PartInput, seen: int) -> None:
    """Save the evaluator's part (``side`` "evaluator") or the self-evaluation ("self")."""
    ready_at = evaluation.evaluator_ready_at if side == EVALUATOR else evaluation.self_ready_at
    if evaluation.any_signed:
        raise EvaluationError("This evaluation has been signed: it can no longer change.")
    if ready_at is not None:
        raise EvaluationError("This part is already marked ready: it can no longer change.")
    overall = data.overall.strip()
    if len(overall) > EVALUATION_COMMENT_MAX:
        raise EvaluationError(
            f"Keep the overall comments under {EVALUATION_COMMENT_MAX:,} characters.", "overall"
        )
    scores = load_scores(evaluation)
    parsed: dict[str, tuple[int | None, bool, str]] = {}
    for score in scores:
        level, not_observed = _parse_level(data.levels.get(score.criterion_key, ""))
        comment = data.comments.get(score.criterion_key, "").strip()
        if len(comment) > CRITERION_COMMENT_MAX:
            raise EvaluationError(
                f"Keep the comment on {score.criterion.title} under "
                f"{CRITERION_COMMENT_MAX:,} characters.",
                f"comment-{score.criterion_key}",
            )
        parsed[score.criterion_key] = (level, not_observed, comment)
    if data.ready:
        unchosen = (None, False)
        missing = [s.criterion.title for s in scores if parsed[s.criterion_key][:2] == unchosen]
        if missing:
            raise EvaluationError(
                "To mark it ready, choose a level, or no opportunity to observe, for: "
                f"{', '.join(missing)}."
            )
    _claim(evaluation, seen)
    for score in scores:
        level, not_observed, comment = parsed[score.criterion_key]
        if side == EVALUATOR:
            score.evaluator_level, score.evaluator_not_observed = level, not_observed
            score.evaluator_comment = comment
        else:
            score.self_level, score.self_not_observed, score.self_comment = (
                level,
                not_observed,
                comment,
            )
    if side == EVALUATOR:
        evaluation.evaluator_comments = overall
        evaluation.evaluator_ready_at = utcnow() if data.ready else None
    else:
        evaluation.self_comments = overall
        evaluation.self_ready_at = utcnow() if data.ready else None
    db.session.flush()


def save_response(evaluation: Evaluation, text: str, seen: int) -> None:
    """The supervisee's response to the evaluator's part, before anyone signs."""
    if evaluation.any_signed:
        raise EvaluationError("This evaluation has been signed: it can no longer change.")
    if not evaluation.both_ready:
        raise EvaluationError("You can respond once both parts are ready.")
    text = text.strip()
    if len(text) > EVALUATION_COMMENT_MAX:
        raise EvaluationError(
            f"Keep your response under {EVALUATION_COMMENT_MAX:,} characters.", "response"
        )
    _claim(evaluation, seen)
    evaluation.supervisee_response = text
    db.session.flush()


def sign_evaluation(
    evaluation: Evaluation,
    signer: User,
    typed_name: str,
    password: str,
    seen: int,
    code: str = "",
) -> None:
    """Sign as the evaluator or the supervisee (whichever ``signer`` is, not yet signed).
    Raises ``ReauthError`` for a wrong password or name, ``EvaluationConflict`` when the
    evaluation changed since the signer read it."""
    if not evaluation.both_ready:
        raise EvaluationError("Both parts must be ready before anyone signs.")
    as_evaluator = signer.id == evaluation.evaluator_id and evaluation.evaluator_signed_at is None
    as_supervisee = (
        signer.id == evaluation.supervisee_id and evaluation.supervisee_signed_at is None
    )
    if not (as_evaluator or as_supervisee):
        raise EvaluationError("You have already signed this evaluation.")
    signature = sign(signer, typed_name, password, code)
    _claim(evaluation, seen)
    if as_evaluator:
        evaluation.evaluator_signature = signature.typed_name
        evaluation.evaluator_signed_at = signature.signed_at
    else:
        evaluation.supervisee_signature = signature.typed_name
        evaluation.supervisee_signed_at = signature.signed_at
    db.session.flush()


# -- Redaction -----------------------------------------------------------------------------------


def redact_evaluations(group_id: int, passage: str) -> int:
    """Scrub ``passage`` from every comment of the group's evaluations and supervisor
    evaluations; returns the occurrences. Signed ones too: a client's privacy outranks the
    lock."""
    owners: list[tuple[object, str]] = []
    for evaluation in db.session.scalars(
        select(Evaluation)
        .options(selectinload(Evaluation.scores))
        .where(Evaluation.group_id == group_id)
    ):
        names = ("evaluator_comments", "self_comments", "supervisee_response", "label")
        owners += [(evaluation, name) for name in names]
        owners += [(s, "evaluator_comment") for s in evaluation.scores]
        owners += [(s, "self_comment") for s in evaluation.scores]
    owners += [
        (written, "comment")
        for written in db.session.scalars(
            select(SupervisorEvaluation).where(SupervisorEvaluation.group_id == group_id)
        )
    ]
    count = 0
    for owner, name in owners:
        text = getattr(owner, name)
        if passage and passage in text:
            count += text.count(passage)
            limit = EVALUATION_LABEL_MAX if name == "label" else None
            setattr(owner, name, scrub(text, passage, limit))
    db.session.flush()
    return count
