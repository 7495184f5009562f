"""Writes on organisations and memberships that are not lifecycle transitions."""

from django.contrib.auth.models import Group
from django.db import transaction

from portal import audit
from portal.choices import OrganisationKind
from portal.models import Membership, Organisation, User


@transaction.atomic
def create_organisation(
    *,
    name: str,
    code: str,
    kind: OrganisationKind,
    credit_code: str,
    province: str = "",
    social_group_type: str = "",
    ministry_managed: bool = False,
    short_name: str = "",
    by: User | None = None,
) -> Organisation:
    """Create an organisation with the Django group that carries its object permissions; audited."""
    group = Group.objects.create(name=f"org:{code}")
    organisation = Organisation(
        name=name,
        short_name=short_name,
        code=code,
        kind=kind,
        credit_code=credit_code,
        province=province,
        social_group_type=social_group_type,
        ministry_managed=ministry_managed,
        group=group,
    )
    organisation.full_clean()
    organisation.save()
    audit.record(action="organisation.create", target=organisation, actor=by)
    return organisation


@transaction.atomic
def add_member(*, user: User, organisation: Organisation, title: str = "", by: User | None = None) -> Membership:
    """Make the user act for the organisation: a membership, and the organisation's permission group."""
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"title": title}
    )
    user.groups.add(organisation.group)
    if created:
        audit.record(action="membership.add", target=organisation, actor=by, note=user.username)
    return membership


@transaction.atomic
def remove_member(*, user: User, organisation: Organisation, by: User | None = None) -> None:
    """End the membership and withdraw every object permission it carried through the group."""
    deleted, _ = Membership.objects.filter(user=user, organisation=organisation).delete()
    user.groups.remove(organisation.group)
    if deleted:
        audit.record(action="membership.remove", target=organisation, actor=by, note=user.username)
