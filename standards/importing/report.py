"""What an import reports, whichever table it reads: rows added, updated, unchanged, refused, and notes."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from standards.importing.columns import CellError


@dataclass(frozen=True)
class RowNote:
    """Something the importer decided for a row that the person importing should know (a provisional code)."""

    row: int
    message: str

    def __str__(self) -> str:
        return _("row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


class RowError(RowNote):
    """A refused row: with one of them, nothing of the file is imported."""


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[RowNote] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def saved(self) -> bool:
        return self.ok and not self.dry_run


def describe(error: ValidationError | CellError, labels: Mapping[str, str]) -> str:
    """The refusal in one line, a field's message led by its column's header (`labels`: field → header)."""
    if isinstance(error, CellError):
        return str(error)
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    parts = []
    for name, messages in error.message_dict.items():
        text = " ".join(messages)
        # The colon after a Chinese header is full-width, as every label on a Chinese page.
        label = labels.get(name, name)
        labelled = pgettext("label and value", "%(label)s: %(value)s") % {"label": label, "value": text}
        parts.append(text if name == "__all__" else labelled)
    return " ".join(parts)
