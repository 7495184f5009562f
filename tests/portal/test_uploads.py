"""Uploaded files (portal.uploads): recognised by content, refused with a message naming the file, names made safe.

The kinds and the limit are the caller's; these tests give their own. The attachments' (every kind, 20 MB)
are tested in tests/projects/test_files.py.
"""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from portal import uploads
from tests.files import (
    docx_bytes,
    jpeg_bytes,
    many_members_zip,
    ofd_bytes,
    pdf_bytes,
    png_bytes,
    real_docx,
    xlsx_bytes,
    zip_bomb,
    zip_bytes,
)

KINDS = uploads.ALL_KINDS
LIMIT = 20 * 1024 * 1024
ACCEPTED = "Accepted: PDF, OFD, DOCX, XLSX, JPG, PNG, at most 20.0\xa0MB each."


@pytest.fixture(autouse=True)
def _english():
    # The messages are compared with their English msgids; pages show them in Chinese by default.
    with translation.override("en"):
        yield


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def check(name: str, content: bytes, *, kinds=KINDS, max_bytes: int = LIMIT) -> uploads.CheckedFile:
    return uploads.check_upload(upload(name, content), kinds=kinds, max_bytes=max_bytes)


def refusal(name: str, content: bytes, *, kinds=KINDS, max_bytes: int = LIMIT) -> str:
    with pytest.raises(ValidationError) as raised:
        check(name, content, kinds=kinds, max_bytes=max_bytes)
    [message] = raised.value.messages
    return message


@pytest.mark.parametrize(
    ("name", "build", "label", "content_type"),
    [
        ("营业执照.pdf", pdf_bytes, "PDF", "application/pdf"),
        ("发布文件.ofd", ofd_bytes, "OFD", "application/ofd"),
        (
            "实施证明.docx",
            docx_bytes,
            "DOCX",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("企业名单.xlsx", xlsx_bytes, "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("现场照片.jpg", jpeg_bytes, "JPG", "image/jpeg"),
        ("现场照片.JPEG", jpeg_bytes, "JPG", "image/jpeg"),
        ("证书.png", png_bytes, "PNG", "image/png"),
    ],
)
def test_check_upload_accepts_each_kind_by_its_content(name, build, label, content_type):
    content = build()

    checked = check(name, content)

    assert (checked.kind.label, checked.kind.content_type, checked.size) == (label, content_type, len(content))


def test_check_upload_keeps_the_safe_original_name_and_stores_under_a_random_one():
    first = check("../标准 文本.PDF", pdf_bytes())
    second = check("../标准 文本.PDF", pdf_bytes())

    assert first.original_name == "标准_文本.pdf"
    assert first.stored_name.endswith(".pdf")
    assert len(first.stored_name) == len("0" * 32 + ".pdf")
    assert first.stored_name != second.stored_name


def test_check_upload_leaves_the_file_at_its_start():
    content = docx_bytes()
    uploaded = upload("a.docx", content)

    uploads.check_upload(uploaded, kinds=KINDS, max_bytes=LIMIT)

    assert uploaded.read() == content


@pytest.mark.parametrize(
    ("name", "build", "expected"),
    [
        ("截图.pdf", png_bytes, "“截图.pdf” is named as PDF, but its content is PNG. "),
        ("scan.png", jpeg_bytes, "“scan.png” is named as PNG, but its content is JPG. "),
        ("table.docx", xlsx_bytes, "“table.docx” is named as DOCX, but its content is XLSX. "),
        ("letter.ofd", docx_bytes, "“letter.ofd” is named as OFD, but its content is DOCX. "),
        ("report.xlsx", pdf_bytes, "“report.xlsx” is named as XLSX, but its content is PDF. "),
    ],
)
def test_check_upload_refuses_content_that_does_not_match_the_extension(name, build, expected):
    assert refusal(name, build()) == expected + ACCEPTED


def test_check_upload_refuses_an_exe_renamed_pdf():
    exe = (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
        + b"\x00" * 48
        + b"This program cannot be run in DOS mode."
    )

    message = refusal("setup.pdf", exe)

    assert message == "“setup.pdf” is named as PDF, but its content is none of the accepted types. " + ACCEPTED


def test_check_upload_refuses_a_zip_that_is_no_office_document():
    message = refusal("archive.docx", zip_bytes({"readme.txt": b"hello"}))

    assert message == "“archive.docx” is named as DOCX, but its content is none of the accepted types. " + ACCEPTED


def test_check_upload_refuses_a_broken_zip():
    message = refusal("broken.xlsx", b"PK\x03\x04" + b"\x00" * 40)

    assert message == "“broken.xlsx” is named as XLSX, but its content is none of the accepted types. " + ACCEPTED


@pytest.mark.parametrize("name", ["setup.exe", "notes.txt", "no-extension", "archive.zip"])
def test_check_upload_refuses_a_type_not_accepted(name):
    message = refusal(name, pdf_bytes())

    assert message == f"“{name}” is not an accepted type of file. " + ACCEPTED


def test_check_upload_refuses_a_kind_the_caller_does_not_accept():
    message = refusal("营业执照.docx", docx_bytes(), kinds=(uploads.PDF, uploads.JPEG, uploads.PNG))

    assert message == (
        "“营业执照.docx” is not an accepted type of file. Accepted: PDF, JPG, PNG, at most 20.0\xa0MB each."
    )


def test_check_upload_refuses_an_empty_file():
    assert refusal("空文件.pdf", b"") == "“空文件.pdf” is empty. " + ACCEPTED


def test_check_upload_refuses_a_file_over_the_limit():
    content = pdf_bytes() + b"%" * 1024

    message = refusal("big.pdf", content, max_bytes=1024)

    assert message == f"“big.pdf” is {len(content) / 1024:.1f}\xa0KB, over the limit. " + (
        "Accepted: PDF, OFD, DOCX, XLSX, JPG, PNG, at most 1.0\xa0KB each."
    )


def test_check_upload_accepts_a_file_at_the_limit():
    content = pdf_bytes()

    assert check("exact.pdf", content, max_bytes=len(content)).size == len(content)


# --- ZIP containers: the limits of portal.archives ---------------------------------------------------
def test_check_upload_refuses_a_zip_bomb_named_docx():
    bomb = zip_bomb()

    message = refusal("实施证明.docx", bomb)

    assert (len(bomb) < 1024 * 1024, message) == (
        True,
        "“实施证明.docx” cannot be accepted. It would unpack to 900.0\xa0MB; at most 200.0\xa0MB is accepted. "
        + ACCEPTED,
    )


def test_check_upload_refuses_a_docx_of_ten_thousand_parts():
    message = refusal("企业名单.docx", many_members_zip())

    assert message == (
        "“企业名单.docx” cannot be accepted. It holds 10000 files inside; at most 5000 are accepted. " + ACCEPTED
    )


@pytest.mark.parametrize(("name", "marker"), [("report.xlsx", "xl/workbook.xml"), ("发布文件.ofd", "OFD.xml")])
def test_check_upload_refuses_an_overcompressed_spreadsheet_or_ofd(name, marker):
    # 50 MB of zeros: within the unpacked size, far past the ratio of any real document.
    content = zip_bytes({marker: b"<x/>", "data.bin": bytes(50 * 1024 * 1024)})
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = archive.infolist()
    ratio = sum(m.file_size for m in members) // sum(m.compress_size for m in members)

    message = refusal(name, content)

    assert message == (
        f"“{name}” cannot be accepted. Its contents are compressed {ratio} times, more than any real document; "
        "it is refused as unsafe. " + ACCEPTED
    )


def test_check_upload_accepts_a_real_size_word_document():
    content = real_docx()

    checked = check("申报书附件.docx", content)

    assert (checked.kind, checked.size, len(content) > 4 * 1024 * 1024) == (uploads.DOCX, len(content), True)


def test_check_upload_does_not_open_a_pdf_as_an_archive(settings):
    # The limits are the ZIP containers'; a PDF is never read as one, whatever its size.
    settings.ARCHIVE_MAX_UNPACKED_BYTES = 1

    assert check("标准文本.pdf", pdf_bytes()).kind == uploads.PDF


# --- names --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("营业执照（副本）.pdf", "营业执照（副本）.pdf"),
        ("《标准》发布文件.OFD", "《标准》发布文件.ofd"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\system32\\证明.docx", "证明.docx"),
        ("C:\\Users\\王\\Desktop\\实施 证明 材料.jpg", "实施_证明_材料.jpg"),
        ("report\x00\x1f\u202ename.pdf", "reportname.pdf"),
        ("<script>alert(1)</script>.png", "script.png"),
        ('a<b>|c?"d*.pdf', "a_b_c_d.pdf"),
        ("..", "attachment"),
        ("", "attachment"),
        (".pdf", "attachment.pdf"),
        ("...hidden.xlsx", "hidden.xlsx"),
        ("a" * 300 + ".pdf", "a" * 100 + ".pdf"),
        ("名" * 150 + ".docx", "名" * 100 + ".docx"),
        ("名" * 400 + ".pdf", "名" * 100 + ".pdf"),
        ("file.tar.gz", "file.tar.gz"),
    ],
)
def test_safe_name_keeps_a_safe_base_name_and_its_extension(name, safe):
    assert uploads.safe_name(name) == safe


def test_sniff_recognises_nothing_in_plain_text():
    assert uploads.sniff(upload("a.pdf", b"just text, not a PDF")) is None
