"""The register's `?q=` on PostgreSQL: a trigram GIN index over `search_text`, which ILIKE '%…%' uses.

Only on PostgreSQL (SQLite scans, as a demo database may); pg_trgm ships with PostgreSQL's contrib and needs
a role allowed to create the extension the first time (a superuser, or the database owner since PostgreSQL 13,
as pg_trgm is a trusted extension).
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS announced_project_search_trgm "
    "ON publicity_announcedproject USING gin (search_text gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS announced_project_search_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("publicity", "0001_notices_objections_register")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
