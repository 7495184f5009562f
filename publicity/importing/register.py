"""Importing earlier programmes' announced lists: one imported announcement per document number, all or nothing.

Rows with the same announcement number are one list, in the order of the file. Each row is linked to the
registry's group standard (by the number's normal form) and social group (by name, short name or code) when
the registry knows them. A list equal to what is imported changes nothing, so importing the same file twice is
harmless; a list that differs is published as the next version (publicity.services.register.record_imported).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from portal.choices import OrganisationKind
from portal.models import Organisation, User
from publicity.importing.columns import REGISTER_COLUMNS, read_industry_field, read_types, read_year
from publicity.models import Announcement
from publicity.services.register import Row, record_imported
from standards.importing.columns import CellError, read_cell
from standards.importing.groups import _read_province  # the registry's reading of a province, not repeated here
from standards.importing.reading import read_rows
from standards.importing.report import ImportReport, RowError, describe
from standards.models import GroupStandard
from standards.numbers import InvalidNumberError, normalise_number

_LABELS = {column.key: column.chinese for column in REGISTER_COLUMNS}


@dataclass
class _Read:
    """A row as read, before the registry is asked about it."""

    number: int
    text: dict[str, str]
    normal: str
    types: set[str]
    industry_field: str
    province: str
    year: int


@dataclass
class _List:
    year: int
    rows: list[_Read] = field(default_factory=list)


def import_register(data: bytes, *, filename: str = "", by: User | None = None, dry_run: bool = False) -> ImportReport:
    """Write every list of the file, or none. Raises ImportFileError when the file itself is unreadable."""
    columns, rows = read_rows(data, filename, columns=REGISTER_COLUMNS)
    report = ImportReport(dry_run=dry_run)
    lists = _lists(columns, rows, report)
    with transaction.atomic():
        if report.ok:
            _write(lists, by=by, report=report, source=filename.strip()[:200] or _("an imported file"))
        if not report.saved:
            transaction.set_rollback(True)
    return report


def _lists(columns, rows, report: ImportReport) -> dict[str, _List]:
    """The file's lists by announcement number, each row checked on its own and against its list."""
    lists: dict[str, _List] = {}
    seen: dict[tuple[str, str], int] = {}
    for number, cells in rows:
        try:
            read = _read(columns, number, cells)
            announcement = read.text["announcement"]
            found = lists.setdefault(announcement, _List(year=read.year))
            if found.year != read.year:
                message = _("%(number)s is of %(year)d in an earlier row.") % {
                    "number": announcement,
                    "year": found.year,
                }
                raise ValidationError({"year": message})
            earlier = seen.setdefault((announcement, read.normal), number)
            if earlier != number:
                message = _("%(standard)s is already listed in row %(row)d of the same announcement.")
                raise ValidationError({"standard_number": message % {"standard": read.normal, "row": earlier}})
        except (ValidationError, CellError) as error:
            report.errors.append(RowError(number, describe(error, _LABELS)))
            continue
        found.rows.append(read)
    # Announcements published through the portal are corrected on their own page, never by an import.
    published = Announcement.objects.filter(number__in=list(lists), imported=False).values_list("number", flat=True)
    for announcement in published:
        for read in lists[announcement].rows:
            message = _("%(number)s was published through the portal: correct it on its own page.")
            report.errors.append(RowError(read.number, message % {"number": announcement}))
    report.errors.sort(key=lambda error: error.row)
    return lists


def _read(columns, number: int, cells: dict[str, object]) -> _Read:
    text = {column.key: read_cell(column, cells.get(column.key)) for column in columns}
    text = {key: text.get(key, "") for key in (column.key for column in REGISTER_COLUMNS)}
    blank = {c.key: _("This field cannot be blank.") for c in REGISTER_COLUMNS if c.required and not text[c.key]}
    if blank:
        raise ValidationError(blank)
    try:
        normal = normalise_number(text["standard_number"])
    except InvalidNumberError as error:
        raise ValidationError({"standard_number": str(error)}) from error
    return _Read(
        number=number,
        text=text,
        normal=normal,
        types=read_types(text["types"]),
        industry_field=read_industry_field(text["industry_field"]),
        province=_read_province(text["province"]),
        year=read_year(text["year"]),
    )


class _Registry:
    """What the registry knows of the file's standards and groups: three look-ups for the whole file."""

    def __init__(self, lists: dict[str, _List]) -> None:
        reads = [read for found in lists.values() for read in found.rows]
        self.standards = {
            standard.number: standard
            for standard in GroupStandard.objects.filter(number__in={read.normal for read in reads}).select_related(
                "issuer__organisation"
            )
        }
        names = {read.text["group"] for read in reads}
        groups = Organisation.objects.filter(kind=OrganisationKind.SOCIAL_GROUP).filter(
            Q(name__in=names) | Q(short_name__in=names) | Q(code__in={name.upper() for name in names})
        )
        self.groups: dict[str, Organisation] = {}
        for group in groups:
            for key in (group.code, group.short_name, group.name):  # the full name wins over a short one
                if key:
                    self.groups[key] = group
        recommenders = {read.text["recommender"] for read in reads if read.text["recommender"]}
        self.recommenders = {
            organisation.name: organisation
            for organisation in Organisation.objects.filter(name__in=recommenders).exclude(
                kind=OrganisationKind.SOCIAL_GROUP
            )
        }

    def row(self, read: _Read, position: int) -> Row:
        standard = self.standards.get(read.normal)
        text = read.text["group"]
        group = self.groups.get(text) or self.groups.get(text.upper())
        if group is None and standard is not None:
            group = standard.issuer.organisation
        # A group given by its code reads by its name, as the lists name groups.
        group_name = group.name if group is not None and text.upper() == group.code else text
        recommender = self.recommenders.get(read.text["recommender"])
        return Row(
            position=position,
            year=read.year,
            name=read.text["name"] or f"《{read.text['title']}》团体标准应用示范项目",
            standard_number=read.text["standard_number"],
            standard_title=read.text["title"],
            group_name=group_name,
            recommender_name=read.text["recommender"],
            province=read.province or (group.province if group is not None else ""),
            industry_field=read.industry_field,
            innovative="innovative" in read.types,
            advanced="advanced" in read.types,
            international="international" in read.types,
            standard_id=standard.pk if standard is not None else None,
            group_id=group.pk if group is not None else None,
            recommender_id=recommender.pk if recommender is not None else None,
        )


def _write(lists: dict[str, _List], *, by: User | None, report: ImportReport, source: str) -> None:
    registry = _Registry(lists)
    for number, found in lists.items():
        rows = [registry.row(read, position) for position, read in enumerate(found.rows, start=1)]
        outcome = record_imported(number=number, year=found.year, rows=rows, by=by, source=source)
        label = _("%(number)s (%(count)d projects)") % {"number": number, "count": len(rows)}
        {"created": report.created, "updated": report.updated, "unchanged": report.unchanged}[outcome].append(label)
