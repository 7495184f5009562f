import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import AuditEvent
from standards.importing import STANDARD_COLUMNS, import_standards
from standards.models import GroupStandard

pytestmark = pytest.mark.django_db

HEADER = ["标准编号", "标准名称", "发布日期", "实施日期"]


def upload(rows, name="standards.csv", encoding="utf-8-sig") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


@pytest.mark.parametrize("name", ["standards:standard_import", "standards:import_template"])
def test_import_pages_are_the_secretariats(client, group_staff, name):
    url = reverse(name)

    anonymous = client.get(url)
    client.force_login(group_staff)
    staff = client.get(url)

    assert anonymous["Location"] == f"{reverse('login')}?next={url}"
    assert staff.status_code == 403


def test_import_page_documents_every_column(client, secretariat):
    client.force_login(secretariat)

    content = client.get(reverse("standards:standard_import")).content.decode()

    for column in STANDARD_COLUMNS:
        assert f"<td>{column.chinese}</td>" in content
    assert reverse("standards:import_template") in content


def test_import_template_is_a_utf8_csv_the_importer_accepts(client, secretariat, cntac):
    client.force_login(secretariat)

    response = client.get(reverse("standards:import_template"))

    assert response["Content-Disposition"] == 'attachment; filename="group-standards-template.csv"'
    assert response.content.startswith("\ufeff标准编号,标准名称".encode())
    report = import_standards(response.content, filename="template.csv")
    assert (report.errors, report.created) == ([], ["T/CNTAC 8—2018"])


def test_secretariat_imports_a_file(client, secretariat, cntac):
    client.force_login(secretariat)

    response = client.post(
        reverse("standards:standard_import"),
        {"file": upload([HEADER, ["T/CNTAC 8-2018", "针织", "2018-06-01", "2018-07-01"]])},
    )

    assert "The file is imported." in response.content.decode()
    assert GroupStandard.objects.get().number == "T/CNTAC 8—2018"
    assert AuditEvent.objects.filter(action="standard.create").get().actor == secretariat


def test_import_page_lists_the_bad_rows_and_imports_nothing(client, secretariat, cntac):
    client.force_login(secretariat)
    rows = [
        HEADER,
        ["T/CNTAC 8-2018", "针织", "2018-06-01", "2018-07-01"],
        ["T/CNTAC 9-2018", "甲", "2018-06-01", "2018-05-01"],
    ]

    response = client.post(reverse("standards:standard_import"), {"file": upload(rows)})

    content = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported: 1 row was refused." in content
    assert "<li>row 3: The implementation date is before the publication date.</li>" in content
    assert GroupStandard.objects.count() == 0


def test_import_page_check_only_saves_nothing(client, secretariat, cntac):
    client.force_login(secretariat)

    response = client.post(
        reverse("standards:standard_import"),
        {"file": upload([HEADER, ["T/CNTAC 8-2018", "针织", "2018-06-01", "2018-07-01"]]), "dry_run": "on"},
    )

    assert "The file is valid; nothing was imported (check only)." in response.content.decode()
    assert GroupStandard.objects.count() == 0


def test_import_page_shows_a_malformed_file_error_on_the_field(client, secretariat):
    client.force_login(secretariat)

    response = client.post(reverse("standards:standard_import"), {"file": upload([["标准编号", "备注"]])})

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "Required columns are missing: 标准名称 (title), 发布日期 (publication date), 实施日期 (implementation date)."
    ]


def test_import_page_refuses_a_file_over_the_limit(client, secretariat, settings):
    settings.STANDARDS_MAX_UPLOAD_BYTES = 10
    client.force_login(secretariat)

    response = client.post(reverse("standards:standard_import"), {"file": upload([HEADER])})

    assert response.context["form"].errors["file"] == ["This file is larger than 10\xa0bytes."]
