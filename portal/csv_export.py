"""CSV files the secretariat opens in Excel: UTF-8 with a byte-order mark, and no cell Excel takes for a formula."""

import csv
from collections.abc import Iterable, Iterator

# The byte-order mark tells Excel the file is UTF-8; without it Chinese text opens garbled.
BOM = "\ufeff"
# A cell starting with one of these is a formula to Excel; a leading apostrophe keeps it text (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object that hands back what the csv writer writes, so each row can be streamed."""

    def write(self, value: str) -> str:
        return value


def safe(values: Iterable[object]) -> list[object]:
    """The row's values, each text cell that Excel would read as a formula prefixed with an apostrophe."""
    return [f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value for value in values]


def lines(headers: Iterable[object], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The file line by line: the byte-order mark and the headers, then each row made safe."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(safe(headers))
    for row in rows:
        yield writer.writerow(safe(row))
