"""Imports into the registry from a CSV or XLSX file: group standards (`registry`) and social groups (`groups`).

Both read the file with `reading.read_rows`, each under its own column set (`columns`), and answer with the
same report (`report`): all rows or none, a message per refused row, nothing written for an unchanged one.
"""

from standards.importing.columns import GROUP_COLUMNS, STANDARD_COLUMNS
from standards.importing.groups import import_groups
from standards.importing.reading import ImportFileError
from standards.importing.registry import import_standards
from standards.importing.report import ImportReport, RowError, RowNote

__all__ = [
    "GROUP_COLUMNS",
    "STANDARD_COLUMNS",
    "ImportFileError",
    "ImportReport",
    "RowError",
    "RowNote",
    "import_groups",
    "import_standards",
]
