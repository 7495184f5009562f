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

__all__ = [
    "Application",
    "ApplicationStatus",
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
