"""A ZIP bomb named .docx is refused on the attachments page, with the message, and nothing is stored."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import Attachment
from tests.factories import SocialGroupFactory, make_application, member_of
from tests.files import zip_bomb

pytestmark = pytest.mark.django_db
# The pages speak Chinese; the message is compared with its English msgid.
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def applicant():
    return member_of(SocialGroupFactory())


@pytest.fixture
def application(applicant):
    return make_application(group=applicant.memberships.get().organisation, by=applicant)


def page_url(application) -> str:
    return reverse("projects:attachment_upload", kwargs={"pk": application.pk})


def errors(response) -> list[str]:
    """The messages of the page's error lists."""
    lists = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), flags=re.S)
    items = (item for found in lists for item in re.findall(r"<li>(.*?)</li>", found, flags=re.S))
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def test_upload_of_a_zip_bomb_named_docx_is_refused_on_the_page_and_nothing_is_stored(client, application, applicant):
    client.force_login(applicant)

    response = client.post(
        page_url(application), {"slot": "other", "file": SimpleUploadedFile("实施证明.docx", zip_bomb())}, **ENGLISH
    )

    assert (response.status_code, errors(response)) == (
        400,
        [
            "“实施证明.docx” cannot be accepted. It would unpack to 900.0 MB; at most 200.0 MB is accepted. "
            "Accepted: PDF, OFD, DOCX, XLSX, JPG, PNG, at most 20.0 MB each."
        ],
    )
    assert Attachment.objects.filter(application=application).count() == 0
