"""Seed the working-day calendar with the holidays and make-up days the chinese-calendar package knows.

Data, not schema: later years are entered by the secretariat when the State Council publishes them.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from portal.holiday_source import seed_calendar

    seed_calendar(apps.get_model("portal", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_audit_append_only_guard")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
