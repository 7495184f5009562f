import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import AuditEvent, Organisation
from portal.validators import credit_code_check_character
from standards.importing import GROUP_COLUMNS, import_groups
from tests.standards.conftest import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = ["团体名称", "登记证号", "邮编"]
ZHEJIANG = "51330000MJ1234567" + credit_code_check_character("51330000MJ1234567")
ROW = ["浙江省示例智能制造学会", ZHEJIANG, "310012"]


def upload(rows, name="groups.csv", encoding="utf-8-sig") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(rows, encoding), content_type="text/csv")


@pytest.mark.parametrize("name", ["standards:group_import", "standards:group_import_template"])
def test_group_import_pages_are_the_secretariats(client, group_staff, name):
    url = reverse(name)

    anonymous = client.get(url)
    client.force_login(group_staff)
    staff = client.get(url)

    assert anonymous["Location"] == f"{reverse('login')}?next={url}"
    assert (staff.status_code, Organisation.objects.filter(name=ROW[0]).exists()) == (403, False)


def test_group_import_page_documents_every_column(client, secretariat):
    client.force_login(secretariat)

    content = client.get(reverse("standards:group_import")).content.decode()

    assert [column.chinese for column in GROUP_COLUMNS if f"<td>{column.chinese}</td>" in content] == [
        column.chinese for column in GROUP_COLUMNS
    ]
    assert reverse("standards:group_import_template") in content
    assert "<h1>Import social groups</h1>" in content


def test_group_import_template_is_a_utf8_csv_the_importer_accepts(client, secretariat):
    client.force_login(secretariat)

    response = client.get(reverse("standards:group_import_template"))

    assert response["Content-Disposition"] == 'attachment; filename="social-groups-template.csv"'
    assert response.content.startswith("\ufeff团体名称,登记证号,发证机关".encode())
    report = import_groups(response.content, filename="template.csv")
    assert (report.errors, report.created) == ([], ["中国示例标准化协会 (CSAX)"])


def test_secretariat_imports_groups_and_reads_the_provisional_code(client, secretariat):
    client.force_login(secretariat)

    response = client.post(reverse("standards:group_import"), {"file": upload([HEADER, ROW])})

    content = response.content.decode()
    assert "The file is imported." in content
    assert (
        "<li>row 2: 浙江省示例智能制造学会 gets the provisional code TMPMJ1234567; import it again with its 团体代号 "
        "before importing its standards.</li>"
    ) in content
    assert Organisation.objects.get(credit_code=ZHEJIANG).code == "TMPMJ1234567"
    assert list(AuditEvent.objects.filter(action__endswith=".create").values_list("action", "actor")) == [
        ("organisation.create", secretariat.pk),
        ("socialgroup.create", secretariat.pk),
    ]


def test_secretariat_imports_an_xlsx_file(client, secretariat):
    client.force_login(secretariat)
    workbook = SimpleUploadedFile("groups.xlsx", xlsx_bytes([HEADER, ROW]))

    response = client.post(reverse("standards:group_import"), {"file": workbook})

    assert "The file is imported." in response.content.decode()
    assert Organisation.objects.get(credit_code=ZHEJIANG).name == "浙江省示例智能制造学会"


def test_group_import_page_lists_the_bad_rows_and_imports_nothing(client, secretariat):
    client.force_login(secretariat)
    rows = [HEADER, ROW, ["浙江省品牌建设促进会", ZHEJIANG[:17] + "0", "310012"]]

    response = client.post(reverse("standards:group_import"), {"file": upload(rows, encoding="gb18030")})

    content = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported: 1 row was refused." in content
    assert (
        f"<li>row 3: 登记证号: The check character of this unified social credit code is wrong: it should be "
        f"{ZHEJIANG[17]}.</li>"
    ) in content
    assert Organisation.objects.filter(credit_code=ZHEJIANG).exists() is False


def test_group_import_page_check_only_saves_nothing(client, secretariat):
    client.force_login(secretariat)

    response = client.post(reverse("standards:group_import"), {"file": upload([HEADER, ROW]), "dry_run": "on"})

    assert "The file is valid; nothing was imported (check only)." in response.content.decode()
    assert Organisation.objects.filter(credit_code=ZHEJIANG).exists() is False


def test_group_import_page_refuses_a_zip_bomb_on_the_field(client, secretariat, zip_bomb):
    client.force_login(secretariat)

    response = client.post(reverse("standards:group_import"), {"file": SimpleUploadedFile("groups.xlsx", zip_bomb)})

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "This workbook cannot be read safely. It would unpack to 256.0\xa0MB; at most 200.0\xa0MB is accepted."
    ]


def test_group_list_links_the_import_for_the_secretariat_only(client, group_staff, secretariat):
    url, link = reverse("standards:group_list"), reverse("standards:group_import")

    anonymous = client.get(url).content.decode()
    client.force_login(group_staff)
    staff = client.get(url).content.decode()
    client.force_login(secretariat)
    secretariat_page = client.get(url).content.decode()

    assert (link in anonymous, link in staff, link in secretariat_page) == (False, False, True)
