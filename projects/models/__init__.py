from projects.models.applications import (
    Application,
    ApplicationStatus,
    Attachment,
    AttachmentSlot,
    ImplementingEnterprise,
    IndicatorComparison,
    IndustryField,
)
from projects.models.calls import Call, CallAttachment, CallPhase, DeadlineExtension, QuotaOverride

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
]
