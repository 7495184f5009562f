"""The columns of an earlier programme's announced list, under their Chinese or English headers."""

import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.models import IndustryField
from standards.importing.columns import CellError, Column

REGISTER_COLUMNS = (
    Column(
        "year",
        "year",
        "年度",
        gettext_lazy("The year of the announcement, e.g. 2019."),
        required=True,
        aliases=("年份", "批次"),
    ),
    Column(
        "announcement",
        "announcement number",
        "公告文号",
        gettext_lazy(
            "The document number of the announcement, such as 工信部科函〔2019〕321号 for the list of 2019. Rows "
            "with the same number are one list, in the order of the file."
        ),
        required=True,
        aliases=("文号", "公告编号", "announcement"),
    ),
    Column(
        "standard_number",
        "standard number",
        "标准编号",
        gettext_lazy("T/CAS 115—2018; any written form."),
        required=True,
        aliases=("number",),
    ),
    Column(
        "title",
        "title",
        "标准名称",
        gettext_lazy("The title of the group standard."),
        required=True,
        aliases=("standard title",),
    ),
    Column(
        "group",
        "group",
        "社会团体",
        gettext_lazy("Name (or code) of the social group that applied."),
        required=True,
        aliases=("团体名称", "申报单位", "社会团体名称", "group name"),
    ),
    Column(
        "name",
        "project",
        "项目名称",
        gettext_lazy(
            "When blank: 《the standard's title》 followed by 团体标准应用示范项目 as the lists name projects."
        ),
        aliases=("project name",),
    ),
    Column("recommender", "recommender", "推荐单位", gettext_lazy("Blank for a group managed by the ministry.")),
    Column(
        "province",
        "province",
        "省份",
        gettext_lazy("Name or GB/T 2260 code; blank: the group's, when known."),
        aliases=("所在省份",),
    ),
    Column(
        "industry_field",
        "industry field",
        "行业领域",
        gettext_lazy("A field of the application form, such as 装备制造 or 消费品 in Chinese."),
        aliases=("领域", "field"),
    ),
    Column(
        "types",
        "types",
        "示范类型",
        gettext_lazy("Any of 创新性、先进性 and 国际性 separated by 、 or commas (the English words are read too)."),
        aliases=("类型", "申报类型", "type"),
    ),
)

_SEPARATORS = re.compile(r"[\s,，、;；/]+")
_TYPES = {
    "创新性": "innovative",
    "创新": "innovative",
    "innovative": "innovative",
    "先进性": "advanced",
    "先进": "advanced",
    "advanced": "advanced",
    "国际性": "international",
    "国际": "international",
    "international": "international",
}


def read_year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) == 4) or not 1980 <= int(text) <= 2099:
        raise CellError(_("%(column)s: “%(text)s” is not a year such as 2019.") % {"column": "年度", "text": text})
    return int(text)


def _field_names() -> dict[str, str]:
    names = {value: value for value in IndustryField.values}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.update({str(label).lower(): value for value, label in IndustryField.choices})
    return names


def read_industry_field(text: str) -> str:
    if not text:
        return ""
    field = _field_names().get(text.strip().lower())
    if field is None:
        labels = "、".join(str(label) for label in IndustryField.labels)
        raise CellError(
            _("%(column)s: “%(text)s” is none of %(labels)s.") % {"column": "行业领域", "text": text, "labels": labels}
        )
    return field


def read_types(text: str) -> set[str]:
    kinds = set()
    for word in _SEPARATORS.split(text):
        if not word:
            continue
        kind = _TYPES.get(word.lower())
        if kind is None:
            raise CellError(
                _("%(column)s: “%(text)s” is not 创新性, 先进性 or 国际性.") % {"column": "示范类型", "text": word}
            )
        kinds.add(kind)
    return kinds
