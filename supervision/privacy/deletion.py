"""Deleting one's account (the rule is in README.md, "Your data").

The person's cases are withdrawn for everyone, and everything that is only theirs goes: their
second factor, credentials, preferences, notifications, sessions, reset links, invitations to
their address, memberships, check-in answers, growth shares, draft reviews, private notes and
private annotations. What they wrote that others answered or rely on (posts, shared
annotations and replies, reviews given, meeting entries, evaluations, signatures) stays, under
an anonymized account named "Former member": the user row is kept so those records keep an
author, but it holds no address, no name and no usable password. Plain verbs that flush and
never commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, delete, func, literal, or_, select, update
from sqlalchemy.orm import aliased

from supervision.audit.trail import record
from supervision.auth.reauth import ReauthError, confirm_identity
from supervision.cases.services import withdraw_case
from supervision.extensions import db
from supervision.models import (
    Agreement,
    AgreementVersion,
    Annotation,
    AnnotationVisibility,
    Case,
    Credential,
    Evaluation,
    Group,
    GrowthShare,
    Invitation,
    LoginSession,
    Meeting,
    Membership,
    Notification,
    NotificationPreference,
    OutboxMessage,
    PasswordResetToken,
    RecoveryCode,
    RelationshipCheck,
    ReminderDelivery,
    Review,
    ReviewStatus,
    Role,
    ThreadRead,
    TotpCredential,
    User,
)
from supervision.models.types import utcnow
from supervision.models.user import new_session_token
from supervision.permissions import forget_roles

FORMER_MEMBER = "Former member"
CONFIRMATION_WORD = "DELETE"
# Not an argon2 hash: verify_password refuses it, so no password ever matches again.
UNUSABLE_PASSWORD = "!account-deleted"  # noqa: S105  (a marker, not a secret)


class HandOverFirst(ValueError):
    """The person is the only facilitator of groups that have other members."""

    def __init__(self, groups: list[Group]) -> None:
        names = ", ".join(group.name for group in groups)
        super().__init__(
            f"You are the only facilitator of {names}. Make another member a facilitator "
            "there first (Members, then Change role), then come back to delete your account."
        )
        self.groups = groups


def groups_to_hand_over(user: User) -> list[Group]:
    """Groups where ``user`` is the only facilitator and someone else is still a member."""
    mine = aliased(Membership)
    other = aliased(Membership)
    facilitators = (
        select(func.count())
        .select_from(other)
        .where(other.group_id == Group.id, other.role == Role.FACILITATOR)
        .scalar_subquery()
    )
    members = (
        select(func.count()).select_from(other).where(other.group_id == Group.id).scalar_subquery()
    )
    return list(
        db.session.scalars(
            select(Group)
            .join(mine, mine.group_id == Group.id)
            .where(
                mine.user_id == user.id,
                mine.role == Role.FACILITATOR,
                facilitators == 1,
                members > 1,
            )
            .order_by(Group.name, Group.id)
        )
    )


def _delete(model: Any, *conditions: Any) -> int:
    return db.session.execute(
        delete(model).where(*conditions).execution_options(synchronize_session=False)
    ).rowcount


def _sign_as_former_member(user: User) -> None:
    """A signature stays (the record was signed, and when); the typed name is the person's."""
    for party in ("supervisor", "supervisee"):
        name = getattr(AgreementVersion, f"{party}_signed_name")
        db.session.execute(
            update(AgreementVersion)
            .where(
                AgreementVersion.agreement_id.in_(
                    select(Agreement.id).where(getattr(Agreement, f"{party}_id") == user.id)
                ),
                name.is_not(None),
            )
            .values({name: FORMER_MEMBER})
            .execution_options(synchronize_session=False)
        )
    db.session.execute(
        update(Meeting)
        .where(Meeting.supervisor_id == user.id, Meeting.signed_name.is_not(None))
        .values(signed_name=FORMER_MEMBER)
        .execution_options(synchronize_session=False)
    )
    for column, party in (
        (Evaluation.evaluator_signature, Evaluation.evaluator_id),
        (Evaluation.supervisee_signature, Evaluation.supervisee_id),
    ):
        db.session.execute(
            update(Evaluation)
            .where(party == user.id, column != "")
            .values({column: FORMER_MEMBER})
            .execution_options(synchronize_session=False)
        )


def _unname_in_others_notifications(user: User) -> None:
    """Others' notifications of what the person did open with their name ("Sam Okoye released
    a review..."): they keep the news, under "Former member"."""
    name = user.display_name
    db.session.execute(
        update(Notification)
        .where(
            Notification.actor_id == user.id,
            Notification.user_id != user.id,
            Notification.text.startswith(f"{name} ", autoescape=True),
        )
        .values(
            text=literal(FORMER_MEMBER, String).concat(
                func.substr(Notification.text, len(name) + 1, type_=String)
            )
        )
        .execution_options(synchronize_session=False)
    )


def _remove_what_is_only_theirs(user: User) -> dict[str, int]:
    email = user.email
    removed = {
        "second_factor": _delete(TotpCredential, TotpCredential.user_id == user.id),
        "recovery_codes": _delete(RecoveryCode, RecoveryCode.user_id == user.id),
        "credentials": _delete(Credential, Credential.user_id == user.id),
        "notification_preferences": _delete(
            NotificationPreference, NotificationPreference.user_id == user.id
        ),
        "notifications": _delete(Notification, Notification.user_id == user.id),
        "reminders": _delete(ReminderDelivery, ReminderDelivery.user_id == user.id),
        "login_sessions": _delete(LoginSession, LoginSession.user_id == user.id),
        "password_reset_tokens": _delete(PasswordResetToken, PasswordResetToken.user_id == user.id),
        "invitations": _delete(Invitation, func.lower(Invitation.email) == email.lower()),
        "mail": _delete(OutboxMessage, func.lower(OutboxMessage.recipient) == email.lower()),
        "memberships": _delete(Membership, Membership.user_id == user.id),
        "thread_reads": _delete(ThreadRead, ThreadRead.user_id == user.id),
        "growth_shares": _delete(
            GrowthShare,
            or_(GrowthShare.supervisee_id == user.id, GrowthShare.supervisor_id == user.id),
        ),
        "check_ins": _delete(RelationshipCheck, RelationshipCheck.supervisee_id == user.id),
        # Nobody else ever read these: a draft review, a private annotation.
        "draft_reviews": _delete(
            Review, Review.reviewer_id == user.id, Review.status == ReviewStatus.DRAFT
        ),
        "private_annotations": _delete(
            Annotation,
            Annotation.author_id == user.id,
            Annotation.visibility == AnnotationVisibility.PRIVATE,
        ),
    }
    db.session.execute(
        update(Review)
        .where(Review.reviewer_id == user.id, Review.private_notes != "")
        .values(private_notes="")
        .execution_options(synchronize_session=False)
    )
    return removed


def _anonymize(user: User) -> None:
    user.email = f"deleted-{user.id}@invalid"
    user.display_name = FORMER_MEMBER
    user.password_hash = UNUSABLE_PASSWORD
    user.is_disabled = True
    user.is_site_admin = False
    user.must_change_password = False
    user.collapse_level_descriptors = False
    user.session_token = new_session_token()  # every session that used the old one ends
    user.last_login_at = None
    user.deleted_at = utcnow()


def check_deletion(user: User, password: str, code: str, confirmation: str) -> None:
    """Raise ``ReauthError`` (naming the field) or ``HandOverFirst`` unless the account may go."""
    confirm_identity(user, password, code)
    if (confirmation or "").strip() != CONFIRMATION_WORD:
        raise ReauthError(
            f"Type {CONFIRMATION_WORD} in capital letters to confirm.", field="confirmation"
        )
    groups = groups_to_hand_over(user)
    if groups:
        raise HandOverFirst(groups)


def delete_account(user: User, password: str, code: str, confirmation: str) -> dict[str, int]:
    """Check, then delete the account by the rule above; what was removed, by kind."""
    check_deletion(user, password, code, confirmation)
    cases = db.session.scalars(select(Case).where(Case.author_id == user.id)).all()
    for case in cases:
        withdraw_case(case)
    _sign_as_former_member(user)
    _unname_in_others_notifications(user)
    removed = {"cases": len(cases), **_remove_what_is_only_theirs(user)}
    _anonymize(user)
    db.session.flush()
    forget_roles()
    record(
        "account_deleted",
        "users",
        user.id,
        subject_id=user.id,
        detail={k: v for k, v in removed.items() if v},
    )
    db.session.expire_all()  # the bulk statements changed rows the session may hold
    return removed
