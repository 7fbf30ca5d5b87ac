"""All models, imported together so relationships resolve and Alembic sees every table."""

# -- Supervision agreements --
from supervision.models.agreement import (
    AGREEMENT_SECTION_KEYS,
    Agreement,
    AgreementTemplate,
    AgreementVersion,
)
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
from supervision.models.audit import AuditChain, AuditEntry
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
from supervision.models.emergency import EmergencyGrant
from supervision.models.evaluation import (
    Evaluation,
    EvaluationKind,
    EvaluationScore,
    SupervisorEvaluation,
)
from supervision.models.group import ROLES_BY_KIND, Group, GroupKind, Invitation, Membership, Role
from supervision.models.growth import GrowthShare
from supervision.models.mail import OutboxMessage
from supervision.models.meeting import (
    Meeting,
    MeetingAttendee,
    MeetingCase,
    MeetingFormat,
    MeetingModality,
    ReviewedWork,
)
from supervision.models.notification import (
    Channel,
    Notification,
    NotificationEvent,
    NotificationPreference,
)
from supervision.models.relationship import RelationshipCheck
from supervision.models.reminder import ReminderDelivery  # exports: reminders delivered once
from supervision.models.review import (
    ConsensusScore,
    ReconciliationNote,
    Review,
    ReviewDiscrepancy,
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
    "AGREEMENT_SECTION_KEYS",
    "LEVELS",
    "ROLES_BY_KIND",
    "Agreement",
    "AgreementTemplate",
    "AgreementVersion",
    "AnchorStatus",
    "Annotation",
    "AnnotationAnchor",
    "AnnotationReply",
    "AnnotationResponse",
    "AnnotationVisibility",
    "AuditChain",
    "AuditEntry",
    "Case",
    "CaseFlag",
    "CaseRevision",
    "CaseStatus",
    "Channel",
    "ConsensusScore",
    "Credential",
    "EmergencyGrant",
    "Evaluation",
    "EvaluationKind",
    "EvaluationScore",
    "FindingResolution",
    "GoldLevel",
    "Group",
    "GroupKind",
    "GrowthShare",
    "Invitation",
    "LoginSession",
    "Meeting",
    "MeetingAttendee",
    "MeetingCase",
    "MeetingFormat",
    "MeetingModality",
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
    "ReminderDelivery",  # exports
    "ResponseKind",
    "Review",
    "ReviewDiscrepancy",
    "ReviewScore",
    "ReviewStatus",
    "ReviewUnblinding",
    "ReviewedWork",
    "Role",
    "Rubric",
    "RubricCriterion",
    "RubricVersion",
    "ScoreEvidence",
    "SelfAssessment",
    "SelfAssessmentScore",
    "SelfAssessmentStatus",
    "ServerSession",
    "SupervisorEvaluation",
    "Thread",
    "ThreadRead",
    "TotpCredential",
    "User",
    "VersionStatus",
]
