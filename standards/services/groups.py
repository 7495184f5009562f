"""Writes on social groups and their published documents."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from portal import audit
from portal import services as portal_services
from portal.choices import OrganisationKind
from portal.models import Organisation, User
from standards.models import GroupDocument, GroupStandard, SocialGroup
from standards.permissions import CHANGE_GROUP
from standards.services.common import apply_fields, changed_fields, schedule_file_removal


@transaction.atomic
def create_group_profile(*, organisation: Organisation, by: User | None = None, **fields) -> SocialGroup:
    """Give a social-group organisation its registry profile, and its staff the right to maintain it.

    Grants the organisation's Django group `standards.change_socialgroup` on the profile; audited.
    """
    if organisation.kind != OrganisationKind.SOCIAL_GROUP:
        raise ValidationError(_("Only a social group has a profile in the standards registry."))
    group = SocialGroup(organisation=organisation, **fields)
    group.full_clean()
    group.save()
    assign_perm(CHANGE_GROUP, organisation.group, group)
    audit.record(action="socialgroup.create", target=group, actor=by)
    return group


@transaction.atomic
def register_social_group(
    *, organisation: dict[str, object], profile: dict[str, object], by: User | None = None
) -> SocialGroup:
    """Add a social group to the portal (organisation, permission group) and to the registry at once."""
    created = portal_services.create_organisation(kind=OrganisationKind.SOCIAL_GROUP, by=by, **organisation)
    return create_group_profile(organisation=created, by=by, **profile)


@transaction.atomic
def update_group_profile(*, group: SocialGroup, by: User | None = None, **fields) -> list[str]:
    """Change the profile's fields; return the names of those that changed (audited when any did)."""
    current = SocialGroup.objects.select_for_update().select_related("organisation").get(pk=group.pk)
    changed = changed_fields(current, fields)
    if not changed:
        return []
    apply_fields(current, fields, changed)
    current.full_clean()
    current.save(update_fields=[*changed, "updated_at"])
    audit.record(action="socialgroup.update", target=current, actor=by, note=", ".join(changed))
    return changed


@transaction.atomic
def rename_social_group(
    *, organisation: Organisation, name: str | None = None, code: str | None = None, by: User | None = None
) -> list[str]:
    """Change a social group's name, or the code its standard numbers use (None keeps it); return what changed.

    Refuses a new code once the group has issued or co-issued a standard: the registered numbers carry the
    code, and a standards import matches groups by it. Audited by `portal.services.rename_organisation`.
    """
    if code is not None and code != organisation.code and _has_standards(organisation):
        raise ValidationError(
            {
                "code": _("%(group)s already has standards numbered with its code %(code)s; the code cannot change.")
                % {"group": organisation.name, "code": organisation.code}
            }
        )
    return portal_services.rename_organisation(organisation=organisation, name=name, code=code, by=by)


def _has_standards(organisation: Organisation) -> bool:
    issued = Q(issuer__organisation=organisation) | Q(co_issuers__organisation=organisation)
    return GroupStandard.objects.filter(issued).exists()


@transaction.atomic
def publish_group_document(
    *,
    group: SocialGroup,
    kind: GroupDocument.Kind,
    version_date: date,
    file: File,
    title: str = "",
    by: User | None = None,
) -> GroupDocument:
    """Publish a new version of the group's procedure or patent policy; earlier versions stay listed."""
    document = GroupDocument(group=group, kind=kind, version_date=version_date, file=file, title=title, uploaded_by=by)
    document.full_clean()
    document.save()
    audit.record(action="groupdocument.publish", target=group, actor=by, note=str(document))
    return document


@transaction.atomic
def withdraw_group_document(*, document: GroupDocument, by: User | None = None) -> None:
    """Remove a version published by mistake, and its file once the deletion has committed."""
    group, label, name = document.group, str(document), document.file.name
    document.delete()
    schedule_file_removal(name)
    audit.record(action="groupdocument.withdraw", target=group, actor=by, note=label)
