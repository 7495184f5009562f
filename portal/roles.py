"""Which roles a user holds, derived from memberships and the expert register; never stored."""

from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from portal.choices import OrganisationKind, Role
from portal.models import Membership, Organisation, User

_ROLE_OF_KIND = {
    OrganisationKind.SOCIAL_GROUP: Role.APPLICANT,
    OrganisationKind.PROVINCIAL_DEPARTMENT: Role.RECOMMENDER,
    OrganisationKind.INDUSTRY_DELEGATE: Role.RECOMMENDER,
    OrganisationKind.MINISTRY: Role.SECRETARIAT,
}


def roles_for(user: User | AnonymousUser) -> frozenset[Role]:
    """The user's roles, computed once per user object (so once per request)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        kinds = Membership.objects.filter(user=user, organisation__is_active=True).values_list(
            "organisation__kind", flat=True
        )
        roles = {_ROLE_OF_KIND[kind] for kind in kinds}
        # The expert register belongs to the review stage; looked up by name to keep imports one-way.
        expert_model = apps.get_model("reviews", "Expert")
        if expert_model.objects.filter(user=user, is_active=True).exists():
            roles.add(Role.EXPERT)
        cached = user._portal_roles = frozenset(roles)
    return cached


def has_role(user: User | AnonymousUser, role: Role) -> bool:
    return role in roles_for(user)


def organisations_of(user: User, *kinds: OrganisationKind) -> list[Organisation]:
    """The active organisations the user acts for, optionally of the given kinds."""
    qs = Organisation.objects.filter(memberships__user=user, is_active=True)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return list(qs.order_by("name"))
