from standards.models.groups import (
    GroupDocument,
    SocialGroup,
    SocialGroupGroupObjectPermission,
    SocialGroupUserObjectPermission,
)
from standards.models.records import Adoption, Evaluation, Rating
from standards.models.registry import ApplicationType, GroupStandard, StandardStatus

__all__ = [
    "Adoption",
    "ApplicationType",
    "Evaluation",
    "GroupDocument",
    "GroupStandard",
    "Rating",
    "SocialGroup",
    "SocialGroupGroupObjectPermission",
    "SocialGroupUserObjectPermission",
    "StandardStatus",
]
