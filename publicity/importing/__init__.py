"""Importing earlier programmes' announced lists into the public register, from a CSV or XLSX file.

The file is read as the registry's imports read theirs (standards.importing.reading: UTF-8 or GB18030 CSV, or
XLSX; Chinese or English headers) and answered with the same report: all rows or none, a message per refused
row, nothing written for an unchanged list.
"""

from publicity.importing.columns import REGISTER_COLUMNS
from publicity.importing.register import import_register

__all__ = ["REGISTER_COLUMNS", "import_register"]
