"""Importing experts: CSV in UTF-8 or GB18030, XLSX, Chinese or English headers, all or nothing, idempotent."""

import io

import pytest
from django.core import mail
from django.utils import translation
from openpyxl import Workbook

from portal.models import AuditEvent, User
from reviews.importing import import_experts
from reviews.models import Expert
from standards.importing import ImportFileError
from tests.factories import SocialGroupFactory

pytestmark = pytest.mark.django_db

CHINESE = ["姓名", "电子邮箱", "手机", "工作单位", "职称", "专业领域", "省份", "回避单位"]
ENGLISH = ["name", "e-mail", "phone", "affiliation", "title", "fields", "province", "kept away from"]
ROWS = [
    ["张伟", "zhang.wei@example.cn", "138 0013 8000", "清华大学", "教授", "装备制造、电子信息", "北京", ""],
    [
        "陈静",
        "chen.jing@example.cn",
        "",
        "CSAX",
        "研究员",
        "raw_materials; safety",
        "浙江省",
        "CNTAC|原单位|2027-06-30",
    ],
]


def _csv(header: list[str], rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    lines = [",".join(header), *(",".join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _xlsx(header: list[str], rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in [header, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def groups():
    return SocialGroupFactory(code="CSAX", name="中国示例标准化协会"), SocialGroupFactory(code="CNTAC")


def _pool() -> list[tuple]:
    return sorted(
        (
            e.user.name,
            e.user.email,
            e.user.phone,
            e.affiliation,
            e.organisation.code if e.organisation else None,
            e.title,
            tuple(e.field_codes),
            e.province,
            tuple((k.organisation.code, k.reason, str(k.until)) for k in e.kept_away_rows.all()),
        )
        for e in Expert.objects.select_related("user", "organisation").prefetch_related("expertise", "kept_away_rows")
    )


EXPECTED = [
    (
        "张伟",
        "zhang.wei@example.cn",
        "13800138000",
        "清华大学",
        None,
        "教授",
        ("equipment", "electronics"),
        "110000",
        (),
    ),
    (
        "陈静",
        "chen.jing@example.cn",
        "",
        "CSAX",
        "CSAX",
        "研究员",
        ("raw_materials", "safety"),
        "330000",
        (("CNTAC", "former_employer", "2027-06-30"),),
    ),
]


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (_csv(CHINESE, ROWS), "experts.csv"),
        (_csv(CHINESE, ROWS, encoding="gb18030"), "experts.csv"),
        (_csv(ENGLISH, ROWS), "experts.csv"),
        (_xlsx(CHINESE, ROWS), "experts.xlsx"),
        (_xlsx(ENGLISH, ROWS), "experts.xlsx"),
    ],
    ids=["utf-8 chinese", "gb18030 chinese", "utf-8 english", "xlsx chinese", "xlsx english"],
)
def test_import_adds_every_row(groups, data, filename, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = import_experts(data, filename=filename)

    assert (report.ok, len(report.created), report.errors) == (True, 2, [])
    assert _pool() == EXPECTED
    assert sorted(message.to[0] for message in mail.outbox) == ["chen.jing@example.cn", "zhang.wei@example.cn"]
    assert [User.objects.get(email=e).has_usable_password() for e in ("chen.jing@example.cn",)] == [False]


def test_a_bad_row_refuses_the_whole_file_with_its_message(groups, django_capture_on_commit_callbacks):
    rows = [*ROWS, ["王芳", "wang.fang@example.cn", "", "北京大学", "", "航天", "北京", ""]]
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        report = import_experts(_csv(CHINESE, rows))

    assert (report.ok, [error.row for error in report.errors]) == (False, [4])
    assert report.errors[0].message.startswith("专业领域: Not an industry field: 航天.")
    assert (Expert.objects.count(), User.objects.count(), mail.outbox) == (0, 0, [])


def test_an_address_twice_in_the_file_is_refused(groups):
    rows = [ROWS[0], [*ROWS[0][:1], "ZHANG.WEI@example.cn", *ROWS[0][2:]]]
    report = import_experts(_csv(CHINESE, rows))
    assert ([error.row for error in report.errors], Expert.objects.count()) == ([3], 0)


def test_a_missing_required_column_refuses_the_file(groups):
    with pytest.raises(ImportFileError, match="专业领域"):
        import_experts(_csv(CHINESE[:5], [row[:5] for row in ROWS]))


def test_the_same_file_again_changes_nothing(groups, django_capture_on_commit_callbacks):
    data = _csv(CHINESE, ROWS)
    import_experts(data)
    events = AuditEvent.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        report = import_experts(data)

    assert (report.created, report.updated, len(report.unchanged)) == ([], [], 2)
    assert (AuditEvent.objects.count(), _pool(), mail.outbox) == (events, EXPECTED, [])


def test_a_changed_row_updates_the_expert(groups):
    import_experts(_csv(CHINESE, ROWS))
    changed = [[*ROWS[0][:4], "院士", *ROWS[0][5:]], ROWS[1]]

    report = import_experts(_csv(CHINESE, changed))

    assert (report.updated, len(report.unchanged)) == (["张伟 <zhang.wei@example.cn>"], 1)
    assert Expert.objects.get(user__email="zhang.wei@example.cn").title == "院士"


def test_a_dry_run_writes_and_mails_nothing(groups, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = import_experts(_csv(CHINESE, ROWS), dry_run=True)
    assert (report.ok, len(report.created), Expert.objects.count(), mail.outbox) == (True, 2, 0, [])


def test_a_bad_rows_message_reads_in_chinese_with_a_full_width_colon(groups):
    rows = [*ROWS, ["王芳", "wang.fang@example.cn", "", "北京大学", "", "航天", "北京", ""]]

    report = import_experts(_csv(CHINESE, rows))

    assert report.errors[0].message.startswith("专业领域：航天")
