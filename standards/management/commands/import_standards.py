"""`manage.py import_standards FILE [--dry-run]`: the secretariat's import of group standards, from the command line."""

from standards.importing import import_standards
from standards.management.commands._import import ImportCommand


class Command(ImportCommand):
    help = (
        "Import group standards from a CSV (UTF-8 or GB18030) or XLSX file with one header row: upsert by "
        "normalised number, all rows or none."
    )
    importer = staticmethod(import_standards)
