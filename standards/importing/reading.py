"""Reading an uploaded table (CSV in UTF-8 or GB18030, or XLSX) into rows keyed by column."""

import csv
import io
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from standards.importing.columns import COLUMN_BY_HEADER, COLUMNS, Column, header_key

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the binary .xls of Excel 97–2003


class ImportFileError(ValueError):
    """The file as a whole cannot be read: wrong format, wrong encoding, missing columns."""


def read_rows(data: bytes, filename: str = "") -> tuple[list[Column], Iterator[tuple[int, dict[str, object]]]]:
    """The file's columns, and its non-empty rows as (spreadsheet row number, {column key: cell})."""
    if data.startswith(_OLE_MAGIC) or filename.lower().endswith(".xls"):
        raise ImportFileError(_("This is an old Excel file (.xls); save it as .xlsx or as CSV and upload it again."))
    table = _xlsx_rows(data) if data.startswith(_ZIP_MAGIC) else _csv_rows(data)
    header = next(table, None)
    if header is None:
        raise ImportFileError(_("The file is empty: the first row must name the columns."))
    columns = _columns(header)
    return [c for c in columns if c is not None], _keyed(table, columns)


def _keyed(table: Iterator[tuple], columns: list[Column | None]) -> Iterator[tuple[int, dict[str, object]]]:
    # Row 1 is the header, as the spreadsheet counts; a short CSV row leaves its last cells empty.
    for row_number, cells in enumerate(table, start=2):
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        yield row_number, {column.key: cell for column, cell in zip(columns, cells, strict=False) if column is not None}


def _columns(header: tuple) -> list[Column | None]:
    columns = [COLUMN_BY_HEADER.get(header_key(name)) for name in header]
    known = [c for c in columns if c is not None]
    duplicated = sorted({c.chinese for c in known if known.count(c) > 1})
    if duplicated:
        raise ImportFileError(_("These columns appear twice: %(columns)s.") % {"columns": ", ".join(duplicated)})
    missing = [c for c in COLUMNS if c.required and c not in known]
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
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from error
    sheet = workbook.worksheets[0]
    return sheet.iter_rows(values_only=True)
