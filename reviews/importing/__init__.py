"""Importing experts into the pool from a CSV or XLSX file, with the registry's import machinery
(`standards.importing`: reading, columns, report)."""

from reviews.importing.experts import EXPERT_COLUMNS, import_experts

__all__ = ["EXPERT_COLUMNS", "import_experts"]
