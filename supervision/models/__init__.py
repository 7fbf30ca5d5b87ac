"""All models, imported together so relationships resolve and Alembic sees every table."""

from supervision.models.case import (
    Case,
    CaseFlag,
    CaseRevision,
    CaseStatus,
    FindingResolution,
    Redaction,
)
from supervision.models.group import ROLES_BY_KIND, Group, GroupKind, Invitation, Membership, Role
from supervision.models.mail import OutboxMessage
from supervision.models.user import PasswordResetToken, ServerSession, User

__all__ = [
    "Case",
    "CaseFlag",
    "CaseRevision",
    "CaseStatus",
    "FindingResolution",
    "Redaction",
    "ROLES_BY_KIND",
    "Group",
    "GroupKind",
    "Invitation",
    "Membership",
    "OutboxMessage",
    "PasswordResetToken",
    "Role",
    "ServerSession",
    "User",
]
