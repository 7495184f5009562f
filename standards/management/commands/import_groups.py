"""`manage.py import_groups FILE [--dry-run]`: the secretariat's import of social groups, from the command line."""

from standards.importing import import_groups
from standards.management.commands._import import ImportCommand


class Command(ImportCommand):
    help = (
        "Import social groups from a CSV (UTF-8 or GB18030) or XLSX file with one header row and the national "
        "group-standard platform's fields: upsert by unified social credit code, all rows or none."
    )
    importer = staticmethod(import_groups)
