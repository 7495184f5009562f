"""Attachment files: recognised by content, refused with a message naming the file, names made safe.

The builders below make real, minimal files of each accepted kind; the view tests use them too.
"""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from portal import uploads
from projects import files
from standards.files import minimal_pdf

ACCEPTED = "Accepted: PDF, OFD, DOCX, XLSX, JPG, PNG, at most 20.0\xa0MB each."


@pytest.fixture(autouse=True)
def _english():
    # The messages are compared with their English msgids; pages show them in Chinese by default.
    with translation.override("en"):
        yield


def png_bytes() -> bytes:
    """A 1×1 white PNG: signature, IHDR, one IDAT, IEND, each chunk with its CRC."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1×1, 8-bit greyscale
    pixels = zlib.compress(b"\x00\xff")  # filter byte 0, one white pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    """A 1×1 baseline greyscale JPEG: one 8×8 block whose coefficients are all zero."""

    def segment(marker: int, data: bytes) -> bytes:
        return struct.pack(">BBH", 0xFF, marker, len(data) + 2) + data

    jfif = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    quantisation = b"\x00" + bytes([1] * 64)
    frame = struct.pack(">BHHB", 8, 1, 1, 1) + b"\x01\x11\x00"
    # One code of length 1 in each table: DC category 0, and AC end-of-block.
    huffman = b"\x00" + bytes([1] + [0] * 15) + b"\x00" + b"\x10" + bytes([1] + [0] * 15) + b"\x00"
    scan = b"\x01\x01\x00\x00\x3f\x00"
    data = b"\x3f"  # DC "0", EOB "0", padded with ones
    return (
        b"\xff\xd8"
        + segment(0xE0, jfif)
        + segment(0xDB, quantisation)
        + segment(0xC0, frame)
        + segment(0xC4, huffman)
        + segment(0xDA, scan)
        + data
        + b"\xff\xd9"
    )


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
            "word/document.xml": b'<?xml version="1.0"?><w:document/>',
        }
    )


def xlsx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
            "xl/workbook.xml": b'<?xml version="1.0"?><workbook/>',
        }
    )


def ofd_bytes() -> bytes:
    return zip_bytes({"OFD.xml": b'<?xml version="1.0"?><ofd:OFD/>', "Doc_0/Document.xml": b"<ofd:Document/>"})


def pdf_bytes() -> bytes:
    return minimal_pdf("proof of implementation")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


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

    checked = files.check_upload(upload(name, content))

    assert (checked.kind.label, checked.kind.content_type, checked.size) == (label, content_type, len(content))


def test_check_upload_keeps_the_safe_original_name_and_stores_under_a_random_one():
    first = files.check_upload(upload("../标准 文本.PDF", pdf_bytes()))
    second = files.check_upload(upload("../标准 文本.PDF", pdf_bytes()))

    assert first.original_name == "标准_文本.pdf"
    assert first.stored_name.endswith(".pdf")
    assert len(first.stored_name) == len("0" * 32 + ".pdf")
    assert first.stored_name != second.stored_name


def test_check_upload_leaves_the_file_at_its_start():
    content = docx_bytes()
    uploaded = upload("a.docx", content)

    files.check_upload(uploaded)

    assert uploaded.read() == content


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as raised:
        files.check_upload(upload(name, content))
    [message] = raised.value.messages
    return message


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


def test_check_upload_refuses_an_empty_file():
    assert refusal("空文件.pdf", b"") == "“空文件.pdf” is empty. " + ACCEPTED


def test_check_upload_refuses_a_file_over_the_limit(settings):
    settings.PROJECTS_MAX_UPLOAD_BYTES = 1024
    content = pdf_bytes() + b"%" * 1024

    message = refusal("big.pdf", content)

    assert message == f"“big.pdf” is {len(content) / 1024:.1f}\xa0KB, over the limit. " + (
        "Accepted: PDF, OFD, DOCX, XLSX, JPG, PNG, at most 1.0\xa0KB each."
    )


def test_check_upload_accepts_a_file_at_the_limit(settings):
    content = pdf_bytes()
    settings.PROJECTS_MAX_UPLOAD_BYTES = len(content)

    assert files.check_upload(upload("exact.pdf", content)).size == len(content)


def test_max_upload_bytes_defaults_to_20_mb(settings):
    del settings.PROJECTS_MAX_UPLOAD_BYTES

    assert files.max_upload_bytes() == 20 * 1024 * 1024


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
        ("file.tar.gz", "file.tar.gz"),
    ],
)
def test_safe_name_keeps_a_safe_base_name_and_its_extension(name, safe):
    assert files.safe_name(name) == safe


def test_sniff_recognises_nothing_in_plain_text():
    assert uploads.sniff(upload("a.pdf", b"just text, not a PDF")) is None
