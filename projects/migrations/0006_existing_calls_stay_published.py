"""Calls made before publishing existed were public from the moment they were saved: they stay published, as of
their creation, so that nothing the public reads today disappears."""

from django.db import migrations
from django.db.models import F


def publish_existing_calls(apps, schema_editor):
    Call = apps.get_model("projects", "Call")
    Call.objects.filter(published_at__isnull=True).update(published_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("projects", "0005_calls_start_unpublished")]

    # Reversed, the schema migration drops the column: nothing to undo here.
    operations = [migrations.RunPython(publish_existing_calls, migrations.RunPython.noop)]
