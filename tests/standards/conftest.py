import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from portal.choices import OrganisationKind
from standards.files import minimal_pdf
from tests.factories import (
    ExpertFactory,
    GroupProfileFactory,
    GroupStandardFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    member_of,
)


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted in English, the source language, whatever the catalogue holds."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded files land in a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_upload(name: str = "standard.pdf", *lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf(*(lines or ("Test document",))), content_type="application/pdf")


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def zip_bomb() -> bytes:
    """A real ZIP bomb posing as a workbook: 256 MiB of zeros in one deflated member, about 250 KB packed."""
    buffer = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        for _ in range(256):  # in chunks, so the test never holds the 256 MiB
            member.write(chunk)
    return buffer.getvalue()


@pytest.fixture
def cntac(db):
    """CNTAC's registry profile (no staff account of its own, as in the demo)."""
    organisation = SocialGroupFactory(code="CNTAC", name="中国纺织工业联合会", kind=OrganisationKind.SOCIAL_GROUP)
    return GroupProfileFactory(organisation=organisation)


@pytest.fixture
def group(db):
    return GroupProfileFactory()


@pytest.fixture
def group_staff(group):
    return member_of(group.organisation)


@pytest.fixture
def other_staff(db):
    return member_of(GroupProfileFactory().organisation)


@pytest.fixture
def secretariat(db):
    return member_of(MinistryFactory())


@pytest.fixture
def standard(group):
    """A standard of `group`, whose staff is `group_staff`."""
    return GroupStandardFactory(issuer=group, number_as_typed=f"T/{group.code} 1—2020", title_zh="旧名称")


@pytest.fixture
def users(group_staff, other_staff, secretariat):
    return {
        "anonymous": None,
        "staff": group_staff,
        "other_staff": other_staff,
        "recommender": member_of(ProvincialDepartmentFactory()),
        "expert": ExpertFactory().user,
        "secretariat": secretariat,
    }
