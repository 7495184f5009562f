"""Importing social groups from a CSV or XLSX file with the national group-standard platform's fields.

Upsert by unified social credit code (登记证号), all or nothing, through the registry's services: a new group is
registered (organisation, permission group and profile, audited); a registered one is renamed, or its profile
updated. A row equal to what is registered writes nothing, so importing the same file twice is harmless.

The platform gives no group code, type or province, which the portal needs. Optional columns give them; blank:
- code: a new group gets PROVISIONAL_PREFIX and characters 9–17 of its credit code (the organisation-code
  part, one per organisation), shown in the report; a registered group keeps its code. A later import may set
  the real code until the group has standards (`rename_social_group` refuses after), so a standards file naming
  the real code matches once the code is corrected.
- type: told from the name's ending (学会, 协会, 商会, 联合会, 联盟); a name that does not tell refuses the row.
- province: characters 3–8 of the credit code, the division of the authority the group registered with.
Type and province are set for a new group only: a registered group keeps its own, and a difference is noted.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from portal.choices import OrganisationKind, Province, SocialGroupType
from portal.models import Organisation, User
from portal.validators import validate_credit_code
from standards.importing.columns import GROUP_COLUMNS, CellError, Column, read_cell
from standards.importing.reading import read_rows
from standards.importing.report import ImportReport, RowError, RowNote, describe
from standards.services import create_group_profile, register_social_group, rename_social_group, update_group_profile
from standards.services.common import changed_fields

# Not a code any group uses in its numbers; the rest is the credit code's organisation-code part.
PROVISIONAL_PREFIX = "TMP"
# Characters 3–8 of a credit code issued by the Ministry of Civil Affairs: a national group, in no province.
NATIONAL_DIVISION = "100000"

_LABELS = {column.key: column.chinese for column in GROUP_COLUMNS} | {"registration_number": "登记证号"}
_PROFILE_KEYS = (
    "registration_authority",
    "business_scope",
    "legal_representative",
    "supporting_unit",
    "address",
    "postcode",
)

_TYPE_ENDINGS = (
    ("学会", SocialGroupType.SOCIETY),
    ("协会", SocialGroupType.ASSOCIATION),
    ("商会", SocialGroupType.CHAMBER),
    ("联合会", SocialGroupType.FEDERATION),
    ("联盟", SocialGroupType.ALLIANCE),  # 产业技术联盟, 产业技术创新战略联盟…
)
_TYPE_NAMES = (
    dict(_TYPE_ENDINGS)
    | {value: SocialGroupType(value) for value in SocialGroupType.values}
    | {
        "产业技术联盟": SocialGroupType.ALLIANCE,
        "chamber of commerce": SocialGroupType.CHAMBER,
        "industrial technology alliance": SocialGroupType.ALLIANCE,
    }
)

# The cities specifically designated in the state plan (计划单列市) have recommenders of their own.
_PLAN_CITIES = {
    "2102": Province.DALIAN,
    "3302": Province.NINGBO,
    "3502": Province.XIAMEN,
    "3702": Province.QINGDAO,
    "4403": Province.SHENZHEN,
}
_PROVINCE_NAMES = {
    "北京": Province.BEIJING,
    "天津": Province.TIANJIN,
    "河北": Province.HEBEI,
    "山西": Province.SHANXI,
    "内蒙古": Province.INNER_MONGOLIA,
    "辽宁": Province.LIAONING,
    "大连": Province.DALIAN,
    "吉林": Province.JILIN,
    "黑龙江": Province.HEILONGJIANG,
    "上海": Province.SHANGHAI,
    "江苏": Province.JIANGSU,
    "浙江": Province.ZHEJIANG,
    "宁波": Province.NINGBO,
    "安徽": Province.ANHUI,
    "福建": Province.FUJIAN,
    "厦门": Province.XIAMEN,
    "江西": Province.JIANGXI,
    "山东": Province.SHANDONG,
    "青岛": Province.QINGDAO,
    "河南": Province.HENAN,
    "湖北": Province.HUBEI,
    "湖南": Province.HUNAN,
    "广东": Province.GUANGDONG,
    "深圳": Province.SHENZHEN,
    "广西": Province.GUANGXI,
    "海南": Province.HAINAN,
    "重庆": Province.CHONGQING,
    "四川": Province.SICHUAN,
    "贵州": Province.GUIZHOU,
    "云南": Province.YUNNAN,
    "西藏": Province.TIBET,
    "陕西": Province.SHAANXI,
    "甘肃": Province.GANSU,
    "青海": Province.QINGHAI,
    "宁夏": Province.NINGXIA,
    "新疆": Province.XINJIANG,
    "新疆生产建设兵团": Province.XPCC,
    "兵团": Province.XPCC,
}
_PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市")


def provisional_code(credit_code: str) -> str:
    """A new group's code until its real one is imported: TMP and characters 9–17 of its credit code."""
    return PROVISIONAL_PREFIX + credit_code[8:17]


def province_from_credit_code(credit_code: str) -> str:
    """The province (or plan city) of the authority that registered the group; "" for a national group."""
    division = credit_code[2:8]
    if division == NATIONAL_DIVISION:
        return ""
    if division[:4] in _PLAN_CITIES:
        return _PLAN_CITIES[division[:4]]
    province = division[:2] + "0000"
    return province if province in Province.values else ""


def group_type_from_name(name: str) -> str:
    """The type a social group's name ends with, or "" when it ends otherwise (促进会, 研究会…)."""
    return next((group_type for ending, group_type in _TYPE_ENDINGS if name.endswith(ending)), "")


def import_groups(data: bytes, *, filename: str = "", by: User | None = None, dry_run: bool = False) -> ImportReport:
    """Upsert every row of the file, or none. Raises ImportFileError when the file itself is unreadable."""
    columns, rows = read_rows(data, filename, columns=GROUP_COLUMNS)
    run = _GroupImport(columns, by=by, report=ImportReport(dry_run=dry_run))
    with transaction.atomic():
        run.run(rows)
        if not run.report.saved:
            transaction.set_rollback(True)
    return run.report


@dataclass
class _Row:
    number: int
    fields: dict[str, str]
    notes: list[str] = field(default_factory=list)

    @property
    def credit_code(self) -> str:
        return self.fields["credit_code"]

    def given(self, key: str) -> str:
        """The cell of an optional column; "" when the column is left out or the cell is blank."""
        return self.fields.get(key, "")


class _GroupImport:
    """One file's import: the organisations it names by credit code, and who holds each code it wants."""

    def __init__(self, columns: list[Column], *, by: User | None, report: ImportReport) -> None:
        self.columns, self.by, self.report = columns, by, report
        self.keys = {column.key for column in columns}
        self.seen: dict[str, int] = {}

    def run(self, rows) -> None:
        read = [row for row in (self._read(number, cells) for number, cells in rows) if row is not None]
        # Two look-ups for the whole file rather than one per row: the organisations it names, the codes it wants.
        registered = Organisation.objects.filter(credit_code__in=[row.credit_code for row in read])
        self.registered = {o.credit_code: o for o in registered.select_related("standards_profile")}
        wanted = {row.given("code") or provisional_code(row.credit_code) for row in read}
        holders = Organisation.objects.filter(code__in=wanted).values_list("code", "credit_code", "name")
        self.holders = {code: (credit_code, name) for code, credit_code, name in holders}
        for row in read:
            try:
                organisation = self.registered.get(row.credit_code)
                if organisation is None:
                    self._create(row)
                else:
                    self._update(row, organisation)
            except ValidationError as error:
                self.report.errors.append(RowError(row.number, describe(error, _LABELS)))
                continue
            self.report.notes.extend(RowNote(row.number, note) for note in row.notes)

    def _read(self, number: int, cells: dict[str, object]) -> _Row | None:
        try:
            fields = {column.key: read_cell(column, cells.get(column.key)) for column in self.columns}
            blank = {c.key: _("This field cannot be blank.") for c in self.columns if c.required and not fields[c.key]}
            if blank:
                raise ValidationError(blank)
            credit_code = fields["credit_code"]
            try:
                validate_credit_code(credit_code)
            except ValidationError as error:
                raise ValidationError({"credit_code": error.messages}) from error
            if credit_code in self.seen:
                raise ValidationError(
                    _("The credit code %(code)s already appears in row %(row)d.")
                    % {"code": credit_code, "row": self.seen[credit_code]}
                )
            self.seen[credit_code] = number
        except (ValidationError, CellError) as error:
            self.report.errors.append(RowError(number, describe(error, _LABELS)))
            return None
        return _Row(number, fields)

    def _create(self, row: _Row) -> None:
        code = row.given("code")
        if not code:
            code = provisional_code(row.credit_code)
            row.notes.append(
                _(
                    "%(group)s gets the provisional code %(code)s; import it again with its 团体代号 "
                    "before importing its standards."
                )
                % {"group": row.fields["name"], "code": code}
            )
        self._check_code(code, row)
        organisation = {
            "name": row.fields["name"],
            "code": code,
            "credit_code": row.credit_code,
            "social_group_type": self._group_type(row),
            "province": self._province(row),
        }
        # The service's own transaction is a savepoint here: a refused row leaves no organisation behind.
        group = register_social_group(organisation=organisation, profile=self._profile(row), by=self.by)
        self.holders[code] = (row.credit_code, row.fields["name"])
        self.report.created.append(_label(group.organisation))

    def _update(self, row: _Row, organisation: Organisation) -> None:
        if organisation.kind != OrganisationKind.SOCIAL_GROUP:
            message = _("This credit code is that of %(name)s, which is not a social group.")
            raise ValidationError({"credit_code": message % {"name": organisation.name}})
        renamed = {"name": row.fields["name"]} if row.fields["name"] != organisation.name else {}
        code = row.given("code")
        if code and code != organisation.code:
            self._check_code(code, row)
            renamed["code"] = code
        self._note_kept(row, organisation)
        profile = getattr(organisation, "standards_profile", None)
        fields = self._profile(row)
        if not renamed and profile is not None and not changed_fields(profile, fields):
            self.report.unchanged.append(_label(organisation))
            return
        with transaction.atomic():  # a savepoint: a refused row leaves nothing behind
            if renamed:
                rename_social_group(organisation=organisation, by=self.by, **renamed)
                for name, value in renamed.items():
                    setattr(organisation, name, value)
            if profile is None:  # an organisation of the portal's, new to the registry
                create_group_profile(organisation=organisation, by=self.by, **fields)
            else:
                update_group_profile(group=profile, by=self.by, **fields)
        if "code" in renamed:
            self.holders[code] = (row.credit_code, organisation.name)
        (self.report.created if profile is None else self.report.updated).append(_label(organisation))

    def _check_code(self, code: str, row: _Row) -> None:
        if not code.isascii() or not code.isalnum():
            raise ValidationError({"code": _("Use upper-case letters and digits only, e.g. CNTAC.")})
        credit_code, name = self.holders.get(code, (row.credit_code, ""))
        if credit_code != row.credit_code:
            message = _("%(code)s is already the code of %(group)s.") % {"code": code, "group": name}
            raise ValidationError({"code": message})

    def _profile(self, row: _Row) -> dict[str, str]:
        # Since 2016 the registration certificate's number is the unified social credit code (国发〔2015〕33号).
        return {key: row.fields[key] for key in _PROFILE_KEYS if key in self.keys} | {
            "registration_number": row.credit_code
        }

    def _group_type(self, row: _Row) -> str:
        group_type = _read_group_type(row.given("social_group_type")) or group_type_from_name(row.fields["name"])
        if not group_type:
            message = _("The name “%(name)s” does not tell the type: give 学会, 协会, 商会, 联合会 or 产业技术联盟.")
            raise ValidationError({"social_group_type": message % {"name": row.fields["name"]}})
        return group_type

    def _province(self, row: _Row) -> str:
        province = _read_province(row.given("province")) or province_from_credit_code(row.credit_code)
        division = row.credit_code[2:8]
        if not province and division != NATIONAL_DIVISION:
            row.notes.append(
                _("Characters 3–8 of the credit code (%(division)s) name no province; the province is left blank.")
                % {"division": division}
            )
        return province

    def _note_kept(self, row: _Row, organisation: Organisation) -> None:
        """A registered group keeps its type and province; say so when the file gives others."""
        given = {
            "social_group_type": _read_group_type(row.given("social_group_type")),
            "province": _read_province(row.given("province")),
        }
        for key, value in given.items():
            if value and value != getattr(organisation, key):
                row.notes.append(
                    _(
                        "%(column)s: %(group)s keeps its registered value (%(value)s); an import sets it only "
                        "for a new group."
                    )
                    % {
                        "column": _LABELS[key],
                        "group": organisation.name,
                        "value": getattr(organisation, f"get_{key}_display")() or "—",
                    }
                )


def _read_group_type(text: str) -> str:
    if not text:
        return ""
    group_type = _TYPE_NAMES.get(text.strip().lower())
    if group_type is None:
        message = _("“%(text)s” is not 学会, 协会, 商会, 联合会 or 产业技术联盟.") % {"text": text}
        raise ValidationError({"social_group_type": message})
    return group_type


def _read_province(text: str) -> str:
    if not text:
        return ""
    if text in Province.values:
        return text
    name = text.strip()
    short = next((name.removesuffix(suffix) for suffix in _PROVINCE_SUFFIXES if name.endswith(suffix)), name)
    with translation.override("en"):
        english = {str(label).lower(): value for value, label in Province.choices}
    province = _PROVINCE_NAMES.get(short) or english.get(name.lower())
    if province is None:
        message = _("“%(text)s” is not a province or a city specifically designated in the state plan.")
        raise ValidationError({"province": message % {"text": text}})
    return province


def _label(organisation: Organisation) -> str:
    return f"{organisation.name} ({organisation.code})"
