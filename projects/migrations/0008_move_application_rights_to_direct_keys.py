"""Move the rights on applications from guardian's generic tables into the tables with a foreign key (0007).

Backwards, the rows go back to the generic tables, so 0007 can be unapplied without losing a grant.
"""

from django.db import migrations

GENERIC = {"user": "guardian.UserObjectPermission", "group": "guardian.GroupObjectPermission"}
DIRECT = {"user": "projects.ApplicationUserObjectPermission", "group": "projects.ApplicationGroupObjectPermission"}
BATCH = 2000


def _content_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.filter(app_label="projects", model="application").first()


def to_foreign_keys(apps, schema_editor):
    content_type = _content_type(apps)
    if content_type is None:  # a new database: nothing was ever granted
        return
    Application = apps.get_model("projects", "Application")
    existing = set(Application.objects.values_list("pk", flat=True))
    for holder, generic_label in GENERIC.items():
        generic = apps.get_model(generic_label).objects.filter(content_type=content_type)
        direct = apps.get_model(DIRECT[holder])
        rows = [
            direct(
                **{f"{holder}_id": getattr(row, f"{holder}_id")},
                permission_id=row.permission_id,
                content_object_id=int(row.object_pk),
            )
            # A grant on an application deleted since pointed at nothing: it is dropped with the generic row.
            for row in generic.iterator(chunk_size=BATCH)
            if row.object_pk.isdigit() and int(row.object_pk) in existing
        ]
        direct.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
        generic.delete()


def to_generic(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="projects", model="application")
    for holder, generic_label in GENERIC.items():
        generic = apps.get_model(generic_label)
        direct = apps.get_model(DIRECT[holder]).objects.all()
        rows = [
            generic(
                **{f"{holder}_id": getattr(row, f"{holder}_id")},
                permission_id=row.permission_id,
                content_type=content_type,
                object_pk=str(row.content_object_id),
            )
            for row in direct.iterator(chunk_size=BATCH)
        ]
        generic.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
        direct.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0007_application_object_permissions_with_direct_keys"),
        ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(to_foreign_keys, to_generic)]
