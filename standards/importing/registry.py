"""Importing group standards from a CSV or XLSX file: upsert by normalised number, all or nothing.

Every row goes through the same services as the pages, so a row is accepted exactly when the form would
accept it. One bad row and nothing is written; the report names each bad row and why. A row equal to what
is registered changes nothing (no save, no audit row), so importing the same file twice is harmless.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import User
from standards.importing.columns import STANDARD_COLUMNS, CellError, Column, read_cell
from standards.importing.reading import read_rows
from standards.importing.report import ImportReport, RowError, describe
from standards.models import GroupStandard, SocialGroup
from standards.numbers import InvalidNumberError, normalise_number, parse_number
from standards.services import create_standard, update_standard

_LABELS = {column.key: column.chinese for column in STANDARD_COLUMNS} | {
    "number_as_typed": "标准编号",
    "issuer": "团体代号",
}


def import_standards(data: bytes, *, filename: str = "", by: User | None = None, dry_run: bool = False) -> ImportReport:
    """Upsert every row of the file, or none. Raises ImportFileError when the file itself is unreadable."""
    columns, rows = read_rows(data, filename, columns=STANDARD_COLUMNS)
    run = _Import(columns, by=by, report=ImportReport(dry_run=dry_run))
    with transaction.atomic():
        for row_number, cells in rows:
            run.row(row_number, cells)
        run.link_replacements()
        if not run.report.saved:
            transaction.set_rollback(True)
    return run.report


@dataclass
class _Replacement:
    row: int
    standard: GroupStandard
    successor: str


class _Import:
    """One file's import: the groups by code, the numbers seen so far, the replacements to link at the end."""

    def __init__(self, columns: list[Column], *, by: User | None, report: ImportReport) -> None:
        self.columns, self.by, self.report = columns, by, report
        self.keys = {column.key for column in columns}
        self.groups = {group.code: group for group in SocialGroup.objects.select_related("organisation")}
        self.seen: dict[str, int] = {}
        self.replacements: list[_Replacement] = []

    def row(self, row_number: int, cells: dict[str, object]) -> None:
        try:
            with transaction.atomic():  # a savepoint: a refused row leaves nothing behind
                self._upsert(row_number, cells)
        except (ValidationError, CellError) as error:
            self.report.errors.append(RowError(row_number, describe(error, _LABELS)))

    def _upsert(self, row_number: int, cells: dict[str, object]) -> None:
        fields = {column.key: read_cell(column, cells.get(column.key)) for column in self.columns}
        number = self._number(fields["number"], row_number)
        issuer = self._group(fields.pop("group", "") or parse_number(number).code)
        co_issuers = [self._group(code) for code in fields.pop("co_issuers")] if "co_issuers" in self.keys else None
        successor = fields.pop("replaced_by", "")
        fields["number_as_typed"] = fields.pop("number")
        standard = GroupStandard.objects.filter(number=number).first()
        if standard is None:
            standard = create_standard(issuer=issuer, co_issuers=co_issuers or (), by=self.by, **fields)
            self.report.created.append(standard.number)
        else:
            if "replaced_by" in self.keys:  # a successor later in the file is linked by the second pass
                fields["replaced_by"] = _registered(successor)
            changed = update_standard(
                standard=standard, issuer=issuer, co_issuers=co_issuers, by=self.by, action="standard.import", **fields
            )
            (self.report.updated if changed else self.report.unchanged).append(standard.number)
        if successor:
            self.replacements.append(_Replacement(row_number, standard, successor))

    def _number(self, text: str, row_number: int) -> str:
        try:
            number = normalise_number(text)
        except InvalidNumberError as error:
            raise ValidationError(str(error)) from error
        if number in self.seen:
            raise ValidationError(
                _("%(number)s already appears in row %(row)d.") % {"number": number, "row": self.seen[number]}
            )
        self.seen[number] = row_number
        return number

    def _group(self, code: str) -> SocialGroup:
        code = code.strip().upper()
        if code not in self.groups:
            raise ValidationError(_("No social group with the code %(code)s is in the registry.") % {"code": code})
        return self.groups[code]

    def link_replacements(self) -> None:
        """Second pass: a replacing standard may come later in the file than the one it replaces."""
        for replacement in self.replacements:
            try:
                with transaction.atomic():
                    changed = self._link(replacement)
            except ValidationError as error:
                self.report.errors.append(RowError(replacement.row, describe(error, _LABELS)))
                continue
            number = replacement.standard.number
            if changed and number in self.report.unchanged:
                self.report.unchanged.remove(number)
                self.report.updated.append(number)

    def _link(self, replacement: _Replacement) -> list[str]:
        successor = _registered(replacement.successor)
        if successor is None:
            message = _("%(number)s is not in the registry or the file.") % {"number": replacement.successor}
            raise ValidationError({"replaced_by": message})
        return update_standard(
            standard=replacement.standard, replaced_by=successor, by=self.by, action="standard.import"
        )


def _registered(number: str) -> GroupStandard | None:
    """The registered standard a replaced-by cell names; None when blank or not registered (yet)."""
    if not number:
        return None
    try:
        return GroupStandard.objects.filter(number=normalise_number(number)).first()
    except InvalidNumberError as error:
        raise ValidationError({"replaced_by": str(error)}) from error
