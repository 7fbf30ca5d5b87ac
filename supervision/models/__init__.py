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
from supervision.models.calibration import GoldLevel
from supervision.models.case import (
    Case,
    CaseFlag,
    CaseRevision,
    CaseStatus,
    FindingResolution,
    Redaction,
)
from supervision.models.credential import Credential
from supervision.models.discussion import Post, PostEdit, Thread, ThreadRead
from supervision.models.group import ROLES_BY_KIND, Group, GroupKind, Invitation, Membership, Role
from supervision.models.growth import GrowthShare
from supervision.models.mail import OutboxMessage
from supervision.models.notification import (
    Channel,
    Notification,
    NotificationEvent,
    NotificationPreference,
)
from supervision.models.relationship import RelationshipCheck
from supervision.models.review import (
    ConsensusScore,
    ReconciliationNote,
    Review,
    ReviewScore,
    ReviewStatus,
    ReviewUnblinding,
)
from supervision.models.rubric import LEVELS, Rubric, RubricCriterion, RubricVersion, VersionStatus
from supervision.models.second_factor import RecoveryCode, TotpCredential
from supervision.models.self_assessment import (
    SelfAssessment,
    SelfAssessmentScore,
    SelfAssessmentStatus,
)
from supervision.models.user import LoginSession, PasswordResetToken, ServerSession, User

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
    "Channel",
    "ConsensusScore",
    "Credential",
    "FindingResolution",
    "GoldLevel",
    "Group",
    "GroupKind",
    "GrowthShare",
    "Invitation",
    "LoginSession",
    "Membership",
    "Notification",
    "NotificationEvent",
    "NotificationPreference",
    "OutboxMessage",
    "PasswordResetToken",
    "Post",
    "PostEdit",
    "ReconciliationNote",
    "RecoveryCode",
    "Redaction",
    "RelationshipCheck",
    "ResponseKind",
    "Review",
    "ReviewScore",
    "ReviewStatus",
    "ReviewUnblinding",
    "Role",
    "Rubric",
    "RubricCriterion",
    "RubricVersion",
    "ScoreEvidence",
    "SelfAssessment",
    "SelfAssessmentScore",
    "SelfAssessmentStatus",
    "ServerSession",
    "Thread",
    "ThreadRead",
    "TotpCredential",
    "User",
    "VersionStatus",
]
