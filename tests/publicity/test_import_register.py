"""Importing earlier programmes' announced lists: encodings, header languages, all or nothing, idempotent, XLSX."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from portal.choices import Province
from portal.models import AuditEvent
from publicity.importing import import_register
from publicity.models import AnnouncedProject, Announcement
from tests.factories import GroupProfileFactory, GroupStandardFactory, MinistryFactory, SocialGroupFactory, member_of
from tests.publicity.register_factories import published_announcement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted in English, the source language, whatever the catalogue holds."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


CHINESE = ["年度", "公告文号", "标准编号", "标准名称", "社会团体", "推荐单位", "省份", "行业领域", "示范类型"]
ENGLISH = ["year", "announcement number", "standard number", "title", "group", "recommender", "province",
           "industry field", "types"]  # fmt: skip
A2019, A2020 = "工信部科函〔2019〕321号", "工信部科函〔2020〕150号"
ROWS = [
    ["2019", A2019, "T/CAS 115-2018", "示例产品技术规范", "中国标准化协会", "", "北京", "装备制造", "创新性、先进性"],
    ["2019", A2019, "T/CNTAC 8—2018", "针织运动服装", "中国纺织工业联合会", "", "", "消费品", "先进性"],
    ["2020", A2020, "T/CPIA 0028.2—2024", "光伏组件", "中国光伏行业协会", "江苏省工信厅", "江苏省", "", "国际性"],
]  # fmt: skip


def _csv(header, rows, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def _xlsx(header, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([int(row[0]), *row[1:]])  # a year typed as a number, as Excel stores it
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _register() -> list[tuple]:
    return list(
        AnnouncedProject.objects.order_by("announcement__number", "position").values_list(
            "announcement__number", "position", "year", "standard_number", "group_name", "province"
        )
    )


EXPECTED = [
    ("工信部科函〔2019〕321号", 1, 2019, "T/CAS 115—2018", "中国标准化协会", Province.BEIJING),
    ("工信部科函〔2019〕321号", 2, 2019, "T/CNTAC 8—2018", "中国纺织工业联合会", ""),
    ("工信部科函〔2020〕150号", 1, 2020, "T/CPIA 28.2—2024", "中国光伏行业协会", Province.JIANGSU),
]


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (_csv(CHINESE, ROWS), "lists.csv"),
        (_csv(ENGLISH, ROWS, encoding="gb18030"), "lists.csv"),
        (_csv(CHINESE, ROWS, encoding="gb18030"), "lists.csv"),
        (_xlsx(ENGLISH, ROWS), "lists.xlsx"),
    ],
    ids=["utf-8 chinese", "gb18030 english", "gb18030 chinese", "xlsx"],
)
def test_import_writes_one_announcement_per_number_with_its_list(data, filename):
    report = import_register(data, filename=filename)

    assert (report.errors, len(report.created)) == ([], 2)
    assert _register() == EXPECTED
    imported = Announcement.objects.get(number="工信部科函〔2019〕321号")
    document = json.loads(bytes(imported.lists.get().content))
    assert (imported.imported, imported.year, imported.published_at is not None) == (True, 2019, True)
    assert [entry["standards"][0]["number"] for entry in document["projects"]] == ["T/CAS 115-2018", "T/CNTAC 8—2018"]
    assert document["projects"][0]["types"] == ["创新性", "先进性"]


def test_importing_the_same_file_twice_changes_nothing():
    data = _csv(CHINESE, ROWS)
    import_register(data, filename="lists.csv")
    events, versions = AuditEvent.objects.count(), list(Announcement.objects.values_list("lists__sha256", flat=True))

    report = import_register(data, filename="lists.csv")

    assert (report.created, report.updated, len(report.unchanged)) == ([], [], 2)
    assert AuditEvent.objects.count() == events
    assert list(Announcement.objects.values_list("lists__sha256", flat=True)) == versions
    assert _register() == EXPECTED


def test_a_changed_list_is_imported_as_its_next_version():
    import_register(_csv(CHINESE, ROWS), filename="lists.csv")
    changed = [ROWS[0], [*ROWS[1][:3], "针织运动服装 吸湿速干", *ROWS[1][4:]], ROWS[2]]

    report = import_register(_csv(CHINESE, changed), filename="lists-corrected.csv")

    announcement = Announcement.objects.get(number="工信部科函〔2019〕321号")
    assert (len(report.updated), len(report.unchanged)) == (1, 1)
    assert list(announcement.lists.values_list("version", "reason")) == [(2, "lists-corrected.csv"), (1, "")]
    assert announcement.projects.get(position=2).standard_title == "针织运动服装 吸湿速干"


def test_one_refused_row_refuses_the_whole_file_with_a_report_per_row():
    rows = [*ROWS, ["2019", "工信部科函〔2019〕400号", "GB 18401—2010", "纺织品", "某协会", "", "", "", "先进"],
            ["20x9", "工信部科函〔2019〕401号", "T/CAS 1—2019", "标题", "某协会", "", "火星", "", ""]]  # fmt: skip

    report = import_register(_csv(CHINESE, rows), filename="lists.csv")

    assert [error.row for error in report.errors] == [5, 6]
    assert "标准编号" in report.errors[0].message
    assert "年度" in report.errors[1].message or "省份" in report.errors[1].message
    assert (Announcement.objects.count(), AnnouncedProject.objects.count()) == (0, 0)


def test_rows_of_one_number_must_agree_on_the_year_and_not_repeat_a_standard():
    rows = [ROWS[0], ["2020", *ROWS[0][1:]], [ROWS[1][0], ROWS[1][1], "T/CAS 115—2018", *ROWS[1][3:]]]

    report = import_register(_csv(CHINESE, rows), filename="lists.csv")

    assert [error.row for error in report.errors] == [3, 4]
    assert "2019" in report.errors[0].message
    assert "row 2" in report.errors[1].message
    assert Announcement.objects.count() == 0


def test_an_announcement_published_through_the_portal_is_never_overwritten_by_an_import():
    announcement = published_announcement(count=1)
    rows = [[str(announcement.year), announcement.number, *ROWS[0][2:]]]

    report = import_register(_csv(CHINESE, rows), filename="lists.csv")

    assert [error.row for error in report.errors] == [2]
    assert announcement.lists.count() == 1


def test_imported_rows_are_linked_to_the_registrys_standard_and_group():
    group = SocialGroupFactory(code="CAS", name="中国标准化协会", province=Province.SHANGHAI)
    standard = GroupStandardFactory(issuer=GroupProfileFactory(organisation=group), number_as_typed="T/CAS 115—2018")
    rows = [[*ROWS[0][:6], "", *ROWS[0][7:]], ["2019", ROWS[0][1], "T/CAS 116-2018", "另一项", "CAS", "", "", "", ""]]

    import_register(_csv(CHINESE, rows), filename="lists.csv")

    first, second = AnnouncedProject.objects.order_by("position")
    assert (first.standard_id, first.group_id, first.province) == (standard.pk, group.pk, Province.SHANGHAI)
    assert (second.standard_id, second.group_id, second.group_name) == (None, group.pk, "中国标准化协会")


def test_a_check_only_import_writes_nothing():
    report = import_register(_csv(CHINESE, ROWS), filename="lists.csv", dry_run=True)

    assert (report.ok, len(report.created), Announcement.objects.count()) == (True, 2, 0)


def test_import_page_reports_and_the_template_is_readable_by_the_import(client):
    client.force_login(member_of(MinistryFactory()))
    template = client.get(reverse("publicity:register_import_template")).content

    upload = SimpleUploadedFile("template.csv", template, content_type="text/csv")
    response = client.post(reverse("publicity:register_import"), {"file": upload})

    assert response.status_code == 200
    assert "The file is imported." in response.content.decode()
    assert AnnouncedProject.objects.get().standard_number == "T/CAS 115—2018"


def test_import_page_shows_the_refused_rows_with_a_400(client):
    client.force_login(member_of(MinistryFactory()))
    data = _csv(CHINESE, [["1900", *ROWS[0][1:]]])

    response = client.post(
        reverse("publicity:register_import"), {"file": SimpleUploadedFile("a.csv", data, content_type="text/csv")}
    )

    assert response.status_code == 400
    assert "row 2" in response.content.decode()
    assert Announcement.objects.count() == 0
