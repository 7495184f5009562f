import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from standards.files import minimal_pdf, safe_filename, validate_pdf


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("标准全文.pdf", "标准全文.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\Users\\me\\report final.PDF", "report_final.pdf"),
        ("<script>.pdf", "script.pdf"),
        ("..", "document.pdf"),
        ("", "document.pdf"),
        ("a" * 300 + ".pdf", "a" * 90 + ".pdf"),
    ],
)
def test_safe_filename_keeps_only_a_safe_base_name(name, safe):
    assert safe_filename(name) == safe


def test_validate_pdf_accepts_a_pdf():
    validate_pdf(SimpleUploadedFile("a.pdf", minimal_pdf("ok")))


def test_validate_pdf_refuses_a_renamed_file():
    upload = SimpleUploadedFile("report.pdf", b"PK\x03\x04 this is a zip")

    with pytest.raises(ValidationError, match="not a PDF"):
        validate_pdf(upload)


def test_validate_pdf_refuses_a_file_over_the_limit(settings):
    settings.STANDARDS_MAX_UPLOAD_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024 - 5))

    with pytest.raises(ValidationError) as raised:
        validate_pdf(upload)

    assert raised.value.messages == ["This file is 2.0\xa0MB; the limit is 1.0\xa0MB."]


def test_validate_pdf_leaves_the_file_at_its_start():
    upload = SimpleUploadedFile("a.pdf", minimal_pdf("ok"))

    validate_pdf(upload)

    assert upload.read(5) == b"%PDF-"


def test_minimal_pdf_is_a_complete_pdf():
    pdf = minimal_pdf("T/CNTAC 8-2018", "(brackets)")

    assert pdf.startswith(b"%PDF-1.4")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert b"(\\(brackets\\)) Tj" in pdf
