"""Move the rights on social groups from guardian's generic tables into the tables with a foreign key (0002)."""

from django.db import migrations

GENERIC = {"guardian.UserObjectPermission": "user", "guardian.GroupObjectPermission": "group"}
DIRECT = {"user": "standards.SocialGroupUserObjectPermission", "group": "standards.SocialGroupGroupObjectPermission"}


def _content_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.filter(app_label="standards", model="socialgroup").first()


def to_foreign_keys(apps, schema_editor):
    content_type = _content_type(apps)
    if content_type is None:  # a new database: nothing was ever granted
        return
    SocialGroup = apps.get_model("standards", "SocialGroup")
    existing = set(SocialGroup.objects.values_list("pk", flat=True))
    for generic_label, holder in GENERIC.items():
        generic = apps.get_model(generic_label).objects.filter(content_type=content_type)
        direct = apps.get_model(DIRECT[holder])
        rows = [
            direct(
                **{f"{holder}_id": getattr(row, f"{holder}_id")},
                permission_id=row.permission_id,
                content_object_id=int(row.object_pk),
            )
            for row in generic
            if row.object_pk.isdigit() and int(row.object_pk) in existing
        ]
        direct.objects.bulk_create(rows, ignore_conflicts=True)
        generic.delete()


def to_generic(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="standards", model="socialgroup")
    for generic_label, holder in GENERIC.items():
        generic = apps.get_model(generic_label)
        direct = apps.get_model(DIRECT[holder]).objects.all()
        generic.objects.bulk_create(
            [
                generic(
                    **{f"{holder}_id": getattr(row, f"{holder}_id")},
                    permission_id=row.permission_id,
                    content_type=content_type,
                    object_pk=str(row.content_object_id),
                )
                for row in direct
            ],
            ignore_conflicts=True,
        )
        direct.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0002_social_group_rights_by_foreign_key"),
        ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(to_foreign_keys, to_generic)]
