"""Organisations made before administrators existed get one: their earliest member, so none is left unmanaged."""

from django.db import migrations


def name_first_members(apps, schema_editor):
    Membership = apps.get_model("portal", "Membership")
    Organisation = apps.get_model("portal", "Organisation")
    for organisation in Organisation.objects.all():
        memberships = Membership.objects.filter(organisation=organisation)
        if memberships.filter(is_admin=True).exists():
            continue
        first = memberships.order_by("created_at", "id").first()
        if first is not None:
            Membership.objects.filter(pk=first.pk).update(is_admin=True)


class Migration(migrations.Migration):
    dependencies = [("portal", "0005_registration_requests_invitations_and_administrators")]

    operations = [migrations.RunPython(name_first_members, migrations.RunPython.noop)]
