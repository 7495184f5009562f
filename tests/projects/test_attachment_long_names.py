"""A file name of 1,000 bytes and more posted to the attachments page: taken in under its shortened name, or,
past what the server reads of a part's headers, answered with the portal's 400 page; never a bare 400."""

import io
import re

import pytest
from django.urls import reverse

from tests.factories import SocialGroupFactory, make_application, member_of
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db
# The pages speak Chinese; the 400 page's text is compared with its English msgids.
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
BOUNDARY = "----WebKitFormBoundaryq7Ej2YhP0cVqWZmx"


@pytest.fixture
def applicant():
    return member_of(SocialGroupFactory())


@pytest.fixture
def application(applicant):
    return make_application(group=applicant.memberships.get().organisation, by=applicant)


def page_url(application) -> str:
    return reverse("projects:attachment_upload", kwargs={"pk": application.pk})


def stored(application) -> list[str]:
    return list(application.attachments.filter(slot="other").values_list("original_name", flat=True))


def named_file(name: str, content: bytes) -> io.BytesIO:
    # Not a SimpleUploadedFile: that cuts its name to 255 characters, which a browser does not.
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def browser_body(fields: dict[str, str], *, file_name: str, content: bytes) -> bytes:
    """A multipart body as Chromium writes it: the file name in raw UTF-8 in the part's Content-Disposition."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    header = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    return b"".join([*parts, header.encode(), content, f"\r\n--{BOUNDARY}--\r\n".encode()])


def test_upload_named_with_400_chinese_characters_is_stored_under_the_shortened_name(client, application, applicant):
    client.force_login(applicant)

    response = client.post(
        page_url(application), {"slot": "other", "file": named_file("名" * 400 + ".pdf", pdf_bytes())}
    )

    assert (response.status_code, response["Location"]) == (302, page_url(application))
    assert stored(application) == ["名" * 100 + ".pdf"]


def test_upload_named_long_in_a_browsers_multipart_body_is_stored_under_the_shortened_name(
    client, application, applicant
):
    client.force_login(applicant)
    body = browser_body({"slot": "other"}, file_name="实施证明材料" * 70 + ".pdf", content=pdf_bytes())

    response = client.generic(
        "POST", page_url(application), body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )

    assert (len(("实施证明材料" * 70).encode()), response.status_code) == (1260, 302)
    assert stored(application) == [("实施证明材料" * 70)[:100] + ".pdf"]


def test_upload_named_past_what_the_server_reads_gets_the_portals_page_and_stores_nothing(
    client, application, applicant
):
    client.force_login(applicant)
    body = browser_body({"slot": "other"}, file_name="名" * 3000 + ".pdf", content=pdf_bytes())

    response = client.generic(
        "POST", page_url(application), body, content_type=f"multipart/form-data; boundary={BOUNDARY}", **ENGLISH
    )

    page = re.sub(r"\s+", " ", response.content.decode())
    assert (response.status_code, [t.name for t in response.templates][:2]) == (400, ["400.html", "base.html"])
    assert re.findall(r"<h1>(.*?)</h1>", page) == ["The request could not be read"]
    assert "If you were uploading a file, give it a shorter name and try again" in page
    assert stored(application) == []
