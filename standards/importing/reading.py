"""Reading an uploaded table (CSV in UTF-8 or GB18030, or XLSX) into rows keyed by the columns of one column set."""

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from portal.archives import ArchiveRefused, check_archive
from standards.importing.columns import Column, columns_by_header, header_key

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the binary .xls of Excel 97–2003


class ImportFileError(ValueError):
    """The file as a whole cannot be read: wrong format, wrong encoding, missing columns."""


def read_rows(
    data: bytes, filename: str = "", *, columns: Sequence[Column]
) -> tuple[list[Column], Iterator[tuple[int, dict[str, object]]]]:
    """The file's columns among `columns`, and its non-empty rows as (spreadsheet row number, {column key: cell})."""
    if data.startswith(_OLE_MAGIC) or filename.lower().endswith(".xls"):
        raise ImportFileError(_("This is an old Excel file (.xls); save it as .xlsx or as CSV and upload it again."))
    table = _xlsx_rows(data) if data.startswith(_ZIP_MAGIC) else _csv_rows(data)
    header = next(table, None)
    if header is None:
        raise ImportFileError(_("The file is empty: the first row must name the columns."))
    found = _columns(header, columns)
    return [c for c in found if c is not None], _keyed(table, found)


def _keyed(table: Iterator[tuple], columns: list[Column | None]) -> Iterator[tuple[int, dict[str, object]]]:
    # Row 1 is the header, as the spreadsheet counts; a short CSV row leaves its last cells empty.
    for row_number, cells in enumerate(table, start=2):
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        yield row_number, {column.key: cell for column, cell in zip(columns, cells, strict=False) if column is not None}


def _columns(header: tuple, column_set: Sequence[Column]) -> list[Column | None]:
    by_header = columns_by_header(column_set)
    columns = [by_header.get(header_key(name)) for name in header]
    known = [c for c in columns if c is not None]
    duplicated = sorted({c.chinese for c in known if known.count(c) > 1})
    if duplicated:
        raise ImportFileError(_("These columns appear twice: %(columns)s.") % {"columns": ", ".join(duplicated)})
    missing = [c for c in column_set if c.required and c not in known]
    if missing:
        names = ", ".join(f"{c.chinese} ({c.english})" for c in missing)
        raise ImportFileError(_("Required columns are missing: %(columns)s.") % {"columns": names})
    return columns


def _csv_rows(data: bytes) -> Iterator[tuple]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    return (tuple(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _decode(data: bytes) -> str:
    # Excel saves "CSV UTF-8" with a byte-order mark, and plain "CSV" in the system code page (GB18030 family).
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file is neither UTF-8 nor GB18030 text; save it as CSV (UTF-8) or XLSX."))


def _xlsx_rows(data: bytes) -> Iterator[tuple]:
    handle = io.BytesIO(data)
    try:
        # Before openpyxl inflates anything: a small workbook may unpack to gigabytes (a ZIP bomb).
        check_archive(handle)
    except ArchiveRefused as error:
        raise ImportFileError(_("This workbook cannot be read safely. %(reason)s") % {"reason": error}) from error
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from error
    sheet = workbook.worksheets[0]
    return sheet.iter_rows(values_only=True)
