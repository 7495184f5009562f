"""Writes on the standards registry. Callers check the right first (standards.permissions)."""

from standards.services.groups import (
    create_group_profile,
    publish_group_document,
    register_social_group,
    rename_social_group,
    update_group_profile,
    withdraw_group_document,
)
from standards.services.registry import (
    add_adoption,
    add_evaluation,
    create_standard,
    remove_adoption,
    remove_evaluation,
    update_standard,
)
from standards.services.seed import seed_demo_standards

__all__ = [
    "add_adoption",
    "add_evaluation",
    "create_group_profile",
    "create_standard",
    "publish_group_document",
    "register_social_group",
    "remove_adoption",
    "remove_evaluation",
    "rename_social_group",
    "seed_demo_standards",
    "update_group_profile",
    "update_standard",
    "withdraw_group_document",
]
