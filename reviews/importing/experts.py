"""Importing experts from a CSV or XLSX file: upsert by e-mail address, all or nothing.

The file is read as the registry's imports read theirs (UTF-8 or GB18030 CSV, or XLSX; Chinese or English
headers) and every row goes through the pool's services, so a row is accepted exactly when the add page would
accept it. One bad row and nothing is written (no account, no mail); the report names each bad row and why.
A row equal to what the pool holds changes nothing, so importing the same file twice is harmless. A column
left out keeps what the pool holds.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import User
from reviews.models import Expert
from reviews.services import experts as services
from standards.importing.columns import CellError, Column, read_cell
from standards.importing.groups import _read_province  # the registry's reading of a province, not repeated here
from standards.importing.reading import read_rows
from standards.importing.report import ImportReport, RowError, describe

EXPERT_COLUMNS = (
    Column("name", "name", "姓名", gettext_lazy("The expert's full name."), required=True, aliases=("专家姓名",)),
    Column(
        "email",
        "e-mail",
        "电子邮箱",
        gettext_lazy("Identifies the expert: a row with an address in the pool updates that expert."),
        required=True,
        aliases=("email", "邮箱", "电子邮件"),
    ),
    Column("phone", "phone", "手机", gettext_lazy("Mobile or landline."), aliases=("电话", "联系电话", "mobile")),
    Column(
        "affiliation",
        "affiliation",
        "工作单位",
        gettext_lazy("Name, code or credit code of an organisation of the registry, or any other name."),
        required=True,
        aliases=("单位", "所在单位"),
    ),
    Column("title", "title", "职称", gettext_lazy("e.g. 教授, 研究员, 高级工程师."), aliases=("professional title",)),
    Column(
        "fields",
        "fields",
        "专业领域",
        gettext_lazy("Industry fields separated by 、 , or ; e.g. 装备制造、电子信息."),
        required=True,
        aliases=("领域", "fields of expertise"),
    ),
    Column("province", "province", "省份", gettext_lazy("Name or GB/T 2260 code."), aliases=("所在省份",)),
    Column(
        "kept_away",
        "kept away from",
        "回避单位",
        gettext_lazy(
            "Organisations of the registry (code, credit code or name) separated by 、 , or ; each optionally "
            "followed by |原单位, |顾问 or |其他 and |an end date, e.g. CSAX|原单位|2027-06-30."
        ),
        aliases=("回避", "kept away"),
    ),
)

_LABELS = {column.key: column.chinese for column in EXPERT_COLUMNS}


def import_experts(data: bytes, *, filename: str = "", by: User | None = None, dry_run: bool = False) -> ImportReport:
    """Upsert every row of the file, or none. Raises ImportFileError when the file itself is unreadable."""
    columns, rows = read_rows(data, filename, columns=EXPERT_COLUMNS)
    run = _ExpertImport(columns, by=by, report=ImportReport(dry_run=dry_run))
    with transaction.atomic():
        for row_number, cells in rows:
            run.row(row_number, cells)
        if not run.report.saved:
            # Rolled back: the accounts made and the set-password mails registered for after commit go too.
            transaction.set_rollback(True)
    return run.report


class _ExpertImport:
    def __init__(self, columns: list[Column], *, by: User | None, report: ImportReport) -> None:
        self.columns, self.by, self.report = columns, by, report
        self.keys = {column.key for column in columns}
        self.seen: dict[str, int] = {}

    def row(self, row_number: int, cells: dict[str, object]) -> None:
        try:
            with transaction.atomic():  # a savepoint: a refused row leaves nothing behind
                self._upsert(row_number, cells)
        except (ValidationError, CellError) as error:
            self.report.errors.append(RowError(row_number, describe(error, _LABELS)))

    def _upsert(self, row_number: int, cells: dict[str, object]) -> None:
        text = {column.key: read_cell(column, cells.get(column.key)) for column in self.columns}
        blank = {c.key: _("This field cannot be blank.") for c in self.columns if c.required and not text[c.key]}
        if blank:
            raise ValidationError(blank)
        email = text["email"].lower()
        if email in self.seen:
            raise ValidationError(
                {"email": _("%(email)s already appears in row %(row)d.") % {"email": email, "row": self.seen[email]}}
            )
        self.seen[email] = row_number
        values = self._values(text)
        expert = Expert.objects.select_related("user").filter(user__email__iexact=email).first()
        if expert is None:
            expert = services.add_expert(email=text["email"], by=self.by, **values)
            self.report.created.append(_label(expert))
            return
        changed = services.update_expert(expert=expert, by=self.by, **values)
        (self.report.updated if changed else self.report.unchanged).append(_label(expert))

    def _values(self, text: dict[str, str]) -> dict[str, object]:
        """What the row gives, in the services' terms; a column left out is not given (the pool's stays)."""
        values: dict[str, object] = {"name": text["name"]}
        errors: dict[str, list[str]] = {}
        readers = {
            "fields": services.parse_fields,
            "kept_away": services.parse_kept_away,
            "province": _read_province,
        }
        for key in ("phone", "title"):
            if key in self.keys:
                values[key] = text[key]
        if "affiliation" in self.keys:
            values["affiliation"] = text["affiliation"]
            values["organisation"] = services.find_organisation(text["affiliation"])
        for key, read in readers.items():
            if key not in self.keys:
                continue
            try:
                values[key] = read(text[key])
            except ValidationError as error:
                errors[key] = error.messages
        if errors:
            raise ValidationError(errors)
        return values


def _label(expert: Expert) -> str:
    return f"{expert.user.get_full_name()} <{expert.user.email}>"
