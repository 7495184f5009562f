"""The columns an import file may have, under their English or Chinese headers, and how cells are read.

Each import reads one column set: STANDARD_COLUMNS (group standards) or GROUP_COLUMNS (social groups).
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _

from standards.models import StandardStatus


class CellError(ValueError):
    """A cell that cannot be read; the message says what is expected."""


@dataclass(frozen=True)
class Column:
    key: str
    english: str
    chinese: str
    description: str
    kind: str = "text"  # text, date, bool, status, codes, identifier, postcode
    required: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.english, self.chinese, *self.aliases)


STANDARD_COLUMNS = (
    Column("number", "number", "标准编号", _("T/CNTAC 8—2018; any written form."), required=True),
    Column("title_zh", "title", "标准名称", _("Chinese title."), required=True, aliases=("中文名称",)),
    Column("title_en", "english title", "英文名称", _("English title."), aliases=("英文标准名称",)),
    Column(
        "group",
        "group code",
        "团体代号",
        _("Code of the issuing group; by default the one in the number."),
        aliases=("发布团体代号",),
    ),
    Column(
        "co_issuers",
        "co-issuers",
        "联合发布团体代号",
        _("Codes of co-issuing groups, separated by commas."),
        kind="codes",
    ),
    Column("status", "status", "标准状态", _("现行, 废止 or 被代替 (or current, abolished, replaced)."), kind="status"),
    Column("replaced_by", "replaced by", "替代标准编号", _("For a replaced standard: the number replacing it.")),
    Column(
        "ics", "ics", "ICS", _("ICS code, e.g. 59.080.01 (format the column as text)."), aliases=("国际标准分类号",)
    ),
    Column("ccs", "ccs", "CCS", _("CCS code, e.g. W04."), aliases=("中国标准分类号",)),
    Column("industry_class", "industry class", "国民经济行业分类", _("GB/T 4754 class, e.g. C1711.")),
    Column("publication_date", "publication date", "发布日期", _("e.g. 2018-06-01."), kind="date", required=True),
    Column(
        "implementation_date",
        "implementation date",
        "实施日期",
        _("Not before the publication date."),
        kind="date",
        required=True,
    ),
    Column("repeal_date", "repeal date", "废止日期", _("Only for a standard no longer current."), kind="date"),
    Column("drafters", "drafters", "起草人", _("Names of the drafters.")),
    Column("drafting_units", "drafting units", "起草单位", _("Names of the drafting units.")),
    Column("scope", "scope", "范围", _("Scope."), aliases=("适用范围",)),
    Column("technical_content", "technical content", "主要技术内容", _("Main technical content.")),
    Column("has_patents", "patents", "是否涉及专利", _("是 or 否 (yes or no)."), kind="bool"),
    Column("patent_declaration", "patent declaration", "专利声明", _("Required when patents are involved.")),
    Column("fills_gap", "fills a gap", "填补空白", _("是 when no national or industry standard exists."), kind="bool"),
    Column("stricter_than", "stricter than", "严于的标准", _("Numbers of the GB or industry standards it exceeds.")),
    Column(
        "international_standard", "international standard", "对应国际标准", _("International standard in parallel.")
    ),
    Column("internationally_leading", "internationally leading", "国际领先", _("是 or 否."), kind="bool"),
)

# The national group-standard platform's fields, then three the portal needs and the platform does not give
# (code, type, province): blank, these are derived for a new group and kept for a registered one
# (standards.importing.groups, where the rules live).
GROUP_COLUMNS = (
    Column(
        "name",
        "name",
        "团体名称",
        _("Full registered name; a new group's type is told from its ending (学会, 协会, 商会, 联合会, 联盟)."),
        required=True,
        aliases=("社会团体名称", "group name"),
    ),
    Column(
        "credit_code",
        "credit code",
        "登记证号",
        _(
            "The 18-character unified social credit code on the registration certificate (format the column as "
            "text). It identifies the group: a row with a registered code updates that group."
        ),
        kind="identifier",
        required=True,
        aliases=("统一社会信用代码", "unified social credit code", "registration number"),
    ),
    Column(
        "registration_authority",
        "registration authority",
        "发证机关",
        _("e.g. 中华人民共和国民政部 or 浙江省民政厅."),
        aliases=("登记管理机关", "issuing authority"),
    ),
    Column("business_scope", "business scope", "业务范围", _("Business scope")),
    Column("legal_representative", "legal representative", "法定代表人", _("Legal representative")),
    Column("supporting_unit", "supporting unit", "依托单位", _("The unit supporting the group, if any.")),
    Column("address", "address", "通讯地址", _("Postal address."), aliases=("地址",)),
    Column("postcode", "postcode", "邮编", _("Six digits."), kind="postcode", aliases=("邮政编码", "postal code")),
    Column(
        "code",
        "group code",
        "团体代号",
        # The provisional prefix is PROVISIONAL_PREFIX in standards.importing.groups.
        _(
            "The code in the group's standard numbers (T/CODE …), upper-case letters and digits. Blank: a "
            "registered group keeps its code; a new one gets the provisional code TMP followed by characters "
            "9–17 of its credit code, to be corrected here before its standards are imported. Once the group "
            "has standards, its code cannot change."
        ),
        kind="identifier",
        aliases=("code",),
    ),
    Column(
        "social_group_type",
        "type",
        "团体类型",
        _("学会, 协会, 商会, 联合会 or 产业技术联盟. Blank: told from the name. Read only for a new group."),
        aliases=("group type", "社会团体类型"),
    ),
    Column(
        "province",
        "province",
        "省份",
        _(
            "Name or GB/T 2260 code of the province or city specifically designated in the state plan. Blank: "
            "from characters 3–8 of the credit code, the registering authority's division (100000, the "
            "Ministry of Civil Affairs, gives none). Read only for a new group."
        ),
        aliases=("所在省份",),
    ),
)

_TRUE = {"是", "有", "涉及", "yes", "y", "true", "1", "√", "✓"}
_FALSE = {"否", "无", "不涉及", "no", "n", "false", "0", ""}
_STATUS = {
    "现行": StandardStatus.CURRENT,
    "current": StandardStatus.CURRENT,
    "": StandardStatus.CURRENT,
    "废止": StandardStatus.ABOLISHED,
    "abolished": StandardStatus.ABOLISHED,
    "被代替": StandardStatus.REPLACED,
    "被替代": StandardStatus.REPLACED,
    "replaced": StandardStatus.REPLACED,
}
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
_CODE_SEPARATORS = re.compile(r"[\s,，、;；]+")


def header_key(header: object) -> str:
    """A header compared loosely: full-width folded, case and spacing ignored, a required-mark '*' dropped."""
    text = unicodedata.normalize("NFKC", str(header or "")).strip().lower().rstrip("*").strip()
    return re.sub(r"\s+", " ", text)


def columns_by_header(columns: Sequence[Column]) -> dict[str, Column]:
    return {header_key(header): column for column in columns for header in column.headers}


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet stores 2018 as 2018.0
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def read_cell(column: Column, value: object) -> object:
    """The cell as the model wants it: str, date or None, bool, a status, or a list of codes."""
    if column.kind == "date":
        return _read_date(column, value)
    if column.kind == "postcode" and isinstance(value, int | float) and float(value).is_integer():
        return f"{int(value):06d}"  # a number cell drops the leading zero of 010000 (Hohhot)
    text = cell_text(value)
    if column.kind == "bool":
        folded = text.lower()
        if folded in _TRUE or folded in _FALSE:
            return folded in _TRUE
        raise CellError(_("%(column)s: “%(text)s” is neither 是 nor 否.") % _cell(column, text))
    if column.kind == "status":
        if text.lower() in _STATUS:
            return _STATUS[text.lower()]
        raise CellError(_("%(column)s: “%(text)s” is not 现行, 废止 or 被代替.") % _cell(column, text))
    if column.kind == "codes":
        return [code.upper() for code in _CODE_SEPARATORS.split(text) if code]
    if column.kind == "identifier":  # a credit code or group code: full-width folded, no spaces, upper case
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()
    if column.kind == "postcode":
        return unicodedata.normalize("NFKC", text).replace(" ", "")
    return text


def _read_date(column: Column, value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", cell_text(value))
    if not text:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 — a calendar date, no time zone
        except ValueError:
            continue
    raise CellError(_("%(column)s: “%(text)s” is not a date such as 2018-06-01.") % _cell(column, text))


def _cell(column: Column, text: str) -> dict[str, str]:
    return {"column": column.chinese, "text": text}
