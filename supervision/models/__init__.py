"""All models, imported together so relationships resolve and Alembic sees every table."""

from supervision.models.annotation import (
    AnchorStatus,
    Annotation,
    AnnotationAnchor,
    AnnotationReply,
    AnnotationResponse,
    AnnotationVisibility,
    ResponseKind,
    ScoreEvidence,
)
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
from supervision.models.review import (
    ConsensusScore,
    ReconciliationNote,
    Review,
    ReviewScore,
    ReviewStatus,
)
from supervision.models.rubric import LEVELS, Rubric, RubricCriterion, RubricVersion, VersionStatus
from supervision.models.user import PasswordResetToken, ServerSession, User

__all__ = [
    "LEVELS",
    "ROLES_BY_KIND",
    "AnchorStatus",
    "Annotation",
    "AnnotationAnchor",
    "AnnotationReply",
    "AnnotationResponse",
    "AnnotationVisibility",
    "Case",
    "CaseFlag",
    "CaseRevision",
    "CaseStatus",
    "ConsensusScore",
    "FindingResolution",
    "Group",
    "GroupKind",
    "Invitation",
    "Membership",
    "OutboxMessage",
    "PasswordResetToken",
    "ReconciliationNote",
    "Redaction",
    "ResponseKind",
    "Review",
    "ReviewScore",
    "ReviewStatus",
    "Role",
    "Rubric",
    "RubricCriterion",
    "RubricVersion",
    "ScoreEvidence",
    "ServerSession",
    "User",
    "VersionStatus",
]
