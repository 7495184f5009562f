import datetime
import re

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from portal.models import AuditEvent
from standards.importing import ImportFileError, RowError, import_standards
from standards.importing.columns import STANDARD_COLUMNS, CellError, read_cell
from standards.models import GroupStandard, StandardStatus
from tests.factories import GroupProfileFactory, GroupStandardFactory, SocialGroupFactory
from tests.standards.conftest import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER_ZH = [
    "标准编号",
    "标准名称",
    "英文名称",
    "标准状态",
    "发布日期",
    "实施日期",
    "ICS",
    "CCS",
    "是否涉及专利",
    "严于的标准",
]
HEADER_EN = [
    "Number",
    "Title",
    "English title",
    "Status",
    "Publication date",
    "Implementation date",
    "ICS",
    "CCS",
    "Patents",
    "Stricter than",
]
ROW_8 = ["T/CNTAC 8-2018", "针织运动服装 吸湿速干性能要求", "Knitted sportswear", "现行", "2018-06-01", "2018-07-01"]
ROW_5 = ["T/CNTAC 5—2018", "纺织品 生态安全技术要求", "", "现行", "2018/4/16", "2018年5月1日"]


@pytest.fixture
def groups(cntac):
    return {"CNTAC": cntac, "CTES": GroupProfileFactory(organisation=SocialGroupFactory(code="CTES"))}


def _numbers() -> list[str]:
    return list(GroupStandard.objects.order_by("number").values_list("number", flat=True))


def test_import_csv_with_chinese_headers_creates_standards(groups):
    data = csv_bytes([HEADER_ZH[:6], ROW_8, ROW_5])

    report = import_standards(data, filename="standards.csv")

    assert (report.created, report.errors) == (["T/CNTAC 8—2018", "T/CNTAC 5—2018"], [])
    standard = GroupStandard.objects.get(number="T/CNTAC 5—2018")
    assert (standard.issuer, standard.publication_date, standard.implementation_date) == (
        groups["CNTAC"],
        datetime.date(2018, 4, 16),
        datetime.date(2018, 5, 1),
    )
    assert GroupStandard.objects.get(number="T/CNTAC 8—2018").number_as_typed == "T/CNTAC 8-2018"


def test_import_csv_with_english_headers_in_any_case_and_order(groups):
    header = ["implementation DATE", "title", "NUMBER", "publication date", "status"]
    row = ["2018-07-01", "针织运动服装", "T/CNTAC 8—2018", "2018-06-01", "current"]

    report = import_standards(csv_bytes([header, row]))

    assert report.created == ["T/CNTAC 8—2018"]
    assert GroupStandard.objects.get().title_zh == "针织运动服装"


def test_import_gb18030_csv(groups):
    data = csv_bytes([HEADER_ZH[:6], ROW_5], encoding="gb18030")

    report = import_standards(data, filename="standards.csv")

    assert report.created == ["T/CNTAC 5—2018"]
    assert GroupStandard.objects.get().title_zh == "纺织品 生态安全技术要求"


def test_import_xlsx_with_date_cells(groups):
    published = datetime.datetime(2021, 9, 28)  # noqa: DTZ001 — a spreadsheet's date cell is naive
    rows = [HEADER_EN[:6], ["T/CTES 1046—2021", "智能纺织品", "", "现行", published, "2021-10-28"]]

    report = import_standards(xlsx_bytes(rows), filename="standards.xlsx")

    standard = GroupStandard.objects.get()
    assert report.created == ["T/CTES 1046—2021"]
    assert (standard.issuer, standard.publication_date) == (groups["CTES"], datetime.date(2021, 9, 28))


def test_import_reads_every_column_of_the_template(groups):
    header = [column.chinese for column in STANDARD_COLUMNS]
    values = {
        "标准编号": "T/CTES 1046—2021",
        "标准名称": "智能纺织品 心电监测服装",
        "英文名称": "Smart textiles",
        "团体代号": "CTES",
        "联合发布团体代号": "CNTAC",
        "标准状态": "现行",
        "ICS": "59.080.80",
        "CCS": "W59",
        "国民经济行业分类": "C1819",
        "发布日期": "2021-09-28",
        "实施日期": "2021-10-28",
        "起草人": "张三、李四",
        "起草单位": "中国纺织工程学会",
        "范围": "适用于心电监测服装。",
        "主要技术内容": "电极阻抗、信号质量。",
        "是否涉及专利": "是",
        "专利声明": "涉及一项发明专利。",
        "填补空白": "是",
        "严于的标准": "",
        "对应国际标准": "IEC 60601-2-47",
        "国际领先": "否",
    }

    report = import_standards(csv_bytes([header, [values.get(name, "") for name in header]]))

    standard = GroupStandard.objects.get()
    assert report.errors == []
    assert (standard.issuer, list(standard.co_issuers.all())) == (groups["CTES"], [groups["CNTAC"]])
    assert (standard.has_patents, standard.fills_gap, standard.internationally_leading) == (True, True, False)
    assert standard.eligible_types == ["innovative", "international"]


def test_import_reports_each_bad_row_and_imports_nothing(groups):
    rows = [
        HEADER_ZH[:6],
        ROW_8,
        ["T/CNTAC 9—2018", "甲", "", "现行", "2018-06-01", "2018-05-01"],
        ["not a number", "乙", "", "现行", "2018-06-01", "2018-07-01"],
        ["T/XYZ 1—2018", "丙", "", "现行", "2018-06-01", "2018-07-01"],
        ["T/CNTAC 10—2018", "丁", "", "有效", "2018-06-01", "2018-07-01"],
        ["T/CNTAC 11—2018", "戊", "", "现行", "2018-13-01", "2018-07-01"],
    ]

    report = import_standards(csv_bytes(rows))

    assert [str(error) for error in report.errors] == [
        "row 3: The implementation date is before the publication date.",
        "row 4: “not a number” is not a group-standard number; expected e.g. T/CNTAC 8—2018 or T/CPIA 0028.2—2024.",
        "row 5: No social group with the code XYZ is in the registry.",
        "row 6: 标准状态: “有效” is not 现行, 废止 or 被代替.",
        "row 7: 发布日期: “2018-13-01” is not a date such as 2018-06-01.",
    ]
    assert (_numbers(), AuditEvent.objects.filter(action__startswith="standard.").count()) == ([], 0)


def test_import_reports_a_number_twice_in_the_file(groups):
    rows = [HEADER_ZH[:6], ROW_8, ["T/CNTAC 008—2018", "重复", "", "现行", "2018-06-01", "2018-07-01"]]

    report = import_standards(csv_bytes(rows))

    assert report.errors == [RowError(3, "T/CNTAC 8—2018 already appears in row 2.")]
    assert _numbers() == []


def test_import_reports_a_field_error_under_its_column(groups):
    rows = [HEADER_ZH[:8], [*ROW_8, "59.08", "W64"]]

    report = import_standards(csv_bytes(rows))

    assert [str(error) for error in report.errors] == ["row 2: ICS: An ICS code looks like 59.080.01."]


def test_import_updates_by_normalised_number_and_keeps_columns_left_out(groups):
    standard = GroupStandardFactory(issuer=groups["CNTAC"], number_as_typed="T/CNTAC 8—2018", ics="59.080.30")
    rows = [HEADER_ZH[:6], ["T/CNTAC 0008-2018", "新标题", "", "现行", "2018-06-01", "2018-07-01"]]

    report = import_standards(csv_bytes(rows))

    standard.refresh_from_db()
    assert (report.created, report.updated) == ([], ["T/CNTAC 8—2018"])
    assert (standard.title_zh, standard.ics, standard.number_as_typed) == ("新标题", "59.080.30", "T/CNTAC 0008-2018")


def test_reimporting_the_same_file_changes_nothing(groups):
    rows = [HEADER_ZH, [*ROW_8, "59.080.30", "W64", "否", "GB/T 21655.1—2008"], [*ROW_5, "", "", "否", ""]]
    data = csv_bytes(rows)
    import_standards(data)
    events = AuditEvent.objects.count()
    before = list(GroupStandard.objects.order_by("pk").values())

    report = import_standards(data)

    assert (report.created, report.updated, report.unchanged) == ([], [], ["T/CNTAC 8—2018", "T/CNTAC 5—2018"])
    assert list(GroupStandard.objects.order_by("pk").values()) == before
    assert AuditEvent.objects.count() == events


def test_import_links_a_replaced_standard_to_its_successor_later_in_the_file(groups):
    header = [*HEADER_ZH[:6], "废止日期", "替代标准编号"]
    rows = [
        header,
        ["T/CNTAC 5—2016", "旧版", "", "被代替", "2016-01-01", "2016-02-01", "2018-05-01", "T/CNTAC 5-2018"],
        [*ROW_5, "", ""],
    ]

    first = import_standards(csv_bytes(rows))
    second = import_standards(csv_bytes(rows))

    old = GroupStandard.objects.get(number="T/CNTAC 5—2016")
    assert (old.status, old.replaced_by.number) == (StandardStatus.REPLACED, "T/CNTAC 5—2018")
    assert (first.errors, second.unchanged) == ([], ["T/CNTAC 5—2016", "T/CNTAC 5—2018"])


def test_import_refuses_an_unknown_successor(groups):
    header = [*HEADER_ZH[:6], "废止日期", "替代标准编号"]
    rows = [
        header,
        ["T/CNTAC 5—2016", "旧版", "", "被代替", "2016-01-01", "2016-02-01", "2018-05-01", "T/CNTAC 99—2020"],
    ]

    report = import_standards(csv_bytes(rows))

    assert [str(error) for error in report.errors] == [
        "row 2: 替代标准编号: T/CNTAC 99—2020 is not in the registry or the file."
    ]
    assert _numbers() == []


def test_import_dry_run_reports_but_saves_nothing(groups):
    report = import_standards(csv_bytes([HEADER_ZH[:6], ROW_8]), dry_run=True)

    assert (report.ok, report.saved, report.created, _numbers()) == (True, False, ["T/CNTAC 8—2018"], [])


def test_import_skips_empty_rows_and_counts_rows_as_the_spreadsheet_does(groups):
    rows = [
        HEADER_ZH[:6],
        ["", "", "", "", "", ""],
        ROW_8,
        ["T/CNTAC 9—2018", "", "", "现行", "2018-06-01", "2018-07-01"],
    ]

    report = import_standards(csv_bytes(rows))

    assert [str(error) for error in report.errors] == ["row 4: 标准名称: This field cannot be blank."]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.csv", "The file is empty"),
        ("标准编号,发布日期\n".encode(), "a.csv", "Required columns are missing: 标准名称 (title), 实施日期"),
        ("标准编号,Number,标准名称,发布日期,实施日期\n".encode(), "a.csv", "These columns appear twice: 标准编号."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old.xls", "old Excel file (.xls)"),
        (b"PK\x03\x04not really a zip", "a.xlsx", "not a readable XLSX workbook"),
        (b"\xff\xfe\x00\x00\x80\x81", "a.csv", "neither UTF-8 nor GB18030"),
    ],
)
def test_import_refuses_a_malformed_file_with_a_clear_error(data, filename, message):
    with pytest.raises(ImportFileError, match=re.escape(message)):
        import_standards(data, filename=filename)


def test_import_refuses_a_zip_bomb_before_unpacking_it(zip_bomb):
    with pytest.raises(ImportFileError) as refused:
        import_standards(zip_bomb, filename="standards.xlsx")

    assert str(refused.value) == (
        "This workbook cannot be read safely. It would unpack to 256.0\xa0MB; at most 200.0\xa0MB is accepted."
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [("是", True), ("否", False), ("YES", True), ("no", False), ("1", True), ("", False), ("涉及", True)],
)
def test_read_cell_reads_yes_and_no(text, value):
    column = next(c for c in STANDARD_COLUMNS if c.key == "has_patents")

    assert read_cell(column, text) is value


@given(st.dates(min_value=datetime.date(1980, 1, 1), max_value=datetime.date(2099, 12, 31)))
def test_read_cell_reads_every_date_format_to_the_same_date(day):
    column = next(c for c in STANDARD_COLUMNS if c.key == "publication_date")
    forms = [day, f"{day:%Y-%m-%d}", f"{day:%Y/%m/%d}", f"{day.year}年{day.month}月{day.day}日", f"{day:%Y%m%d}"]

    assert {read_cell(column, form) for form in forms} == {day}


def test_read_cell_refuses_a_non_date():
    column = next(c for c in STANDARD_COLUMNS if c.key == "publication_date")

    with pytest.raises(CellError, match="“soon” is not a date"):
        read_cell(column, "soon")


def test_import_standards_command_imports_and_reports(groups, tmp_path, capsys):
    path = tmp_path / "standards.csv"
    path.write_bytes(csv_bytes([HEADER_ZH[:6], ROW_8]))

    call_command("import_standards", str(path))

    assert "standards.csv: 1 new, 0 updated, 0 unchanged." in capsys.readouterr().out
    assert _numbers() == ["T/CNTAC 8—2018"]


def test_import_standards_command_fails_with_the_row_errors(groups, tmp_path):
    path = tmp_path / "standards.csv"
    path.write_bytes(csv_bytes([HEADER_ZH[:6], ["T/CNTAC 9—2018", "甲", "", "现行", "2018-06-01", "2018-05-01"]]))

    with pytest.raises(CommandError, match=re.escape("row 2: The implementation date is before the publication date.")):
        call_command("import_standards", str(path))


def test_import_standards_command_refuses_a_malformed_file(tmp_path):
    path = tmp_path / "standards.csv"
    path.write_bytes("标准编号\n".encode())

    with pytest.raises(CommandError, match="Required columns are missing"):
        call_command("import_standards", str(path))
