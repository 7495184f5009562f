import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

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
