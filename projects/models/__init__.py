from projects.models.applications import (
    Application,
    ApplicationStatus,
    Attachment,
    AttachmentSlot,
    ImplementingEnterprise,
    IndicatorComparison,
    IndustryField,
    SubmissionSnapshot,
)
from projects.models.calls import (
    Call,
    CallAttachment,
    CallPhase,
    DeadlineExtension,
    QuotaOverride,
    RecommenderExtension,
)
from projects.models.object_permissions import ApplicationGroupObjectPermission, ApplicationUserObjectPermission

__all__ = [
    "Application",
    "ApplicationGroupObjectPermission",
    "ApplicationStatus",
    "ApplicationUserObjectPermission",
    "Attachment",
    "AttachmentSlot",
    "Call",
    "CallAttachment",
    "CallPhase",
    "DeadlineExtension",
    "ImplementingEnterprise",
    "IndicatorComparison",
    "IndustryField",
    "QuotaOverride",
    "RecommenderExtension",
    "SubmissionSnapshot",
]
