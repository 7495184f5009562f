"""Who may do what in the standards registry.

The registry is public: everyone may see every group, standard, adoption and evaluation. A group's staff
maintain their own group's record through the object permission `standards.change_socialgroup` that its
organisation's Django group holds on the profile (granted when the profile is created); the secretariat
maintains every group. Nobody else edits.
"""

from django.contrib.auth.models import AnonymousUser

from portal.models import User
from portal.permissions import is_secretariat
from standards.models import GroupStandard, SocialGroup

CHANGE_GROUP = "standards.change_socialgroup"

AnyUser = User | AnonymousUser


def can_edit_group(user: AnyUser, group: SocialGroup) -> bool:
    """The group's record, documents and standards: its own staff, or the secretariat."""
    if not user.is_authenticated:
        return False
    return is_secretariat(user) or user.has_perm(CHANGE_GROUP, group)


def can_register_group(user: AnyUser) -> bool:
    """Adding a social group to the registry (and the portal) is the secretariat's."""
    return user.is_authenticated and is_secretariat(user)


def can_edit_standard(user: AnyUser, standard: GroupStandard) -> bool:
    """A standard, its adoptions and its evaluations are maintained by whoever maintains its issuer."""
    return can_edit_group(user, standard.issuer)


def can_see_full_text(user: AnyUser, standard: GroupStandard) -> bool:
    """A full text marked public is for everyone; otherwise only for those who maintain the standard."""
    return bool(standard.full_text) and (standard.full_text_public or can_edit_standard(user, standard))


def can_import(user: AnyUser) -> bool:
    return user.is_authenticated and is_secretariat(user)
