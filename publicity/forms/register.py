"""The secretariat's import of earlier programmes' announced lists: the registry's upload form."""

from standards.forms import ImportForm


class RegisterImportForm(ImportForm):
    """A CSV or XLSX file, and whether only to check it (the registry's limits on size and kind)."""
