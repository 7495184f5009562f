"""What an application accepts as an attachment (projects.files): every kind the portal recognises, up to 20 MB.

The content checks themselves are portal.uploads', tested in tests/portal/test_uploads.py; the files are
built in tests/files.py (the builders are named here too, for the view tests that import them from here).
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from projects import files
from tests.files import docx_bytes, jpeg_bytes, ofd_bytes, pdf_bytes, png_bytes, xlsx_bytes, zip_bomb

__all__ = ["docx_bytes", "jpeg_bytes", "pdf_bytes", "png_bytes"]

ACCEPTED = "Accepted: PDF, OFD, DOCX, XLSX, JPG, PNG, at most 20.0\xa0MB each."


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as raised:
        files.check_upload(SimpleUploadedFile(name, content))
    [message] = raised.value.messages
    return message


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("营业执照.pdf", pdf_bytes),
        ("发布文件.ofd", ofd_bytes),
        ("实施证明.docx", docx_bytes),
        ("企业名单.xlsx", xlsx_bytes),
        ("现场照片.jpg", jpeg_bytes),
        ("证书.png", png_bytes),
    ],
)
def test_check_upload_accepts_every_kind_as_an_attachment(name, build):
    assert files.check_upload(SimpleUploadedFile(name, build())).original_name == name


def test_accepted_summary_names_every_kind_and_the_limit():
    assert (files.accepted_summary(), files.ACCEPT_ATTRIBUTE) == (
        ACCEPTED,
        ".pdf,.ofd,.docx,.xlsx,.jpg,.jpeg,.png",
    )


def test_check_upload_refuses_an_attachment_over_the_setting(settings):
    settings.PROJECTS_MAX_UPLOAD_BYTES = 1024
    content = pdf_bytes() + b"%" * 1024

    message = refusal("big.pdf", content)

    assert message == f"“big.pdf” is {len(content) / 1024:.1f}\xa0KB, over the limit. " + (
        "Accepted: PDF, OFD, DOCX, XLSX, JPG, PNG, at most 1.0\xa0KB each."
    )


def test_check_upload_accepts_an_attachment_at_the_setting(settings):
    content = pdf_bytes()
    settings.PROJECTS_MAX_UPLOAD_BYTES = len(content)

    assert files.check_upload(SimpleUploadedFile("exact.pdf", content)).size == len(content)


def test_check_upload_refuses_a_zip_bomb_as_an_attachment():
    assert refusal("实施证明.docx", zip_bomb()) == (
        "“实施证明.docx” cannot be accepted. It would unpack to 900.0\xa0MB; at most 200.0\xa0MB is accepted. "
        + ACCEPTED
    )


def test_max_upload_bytes_defaults_to_20_mb(settings):
    del settings.PROJECTS_MAX_UPLOAD_BYTES

    assert files.max_upload_bytes() == 20 * 1024 * 1024
