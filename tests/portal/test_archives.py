"""ZIP containers' limits (portal.archives), read from the central directory before anything is unpacked."""

import io
import zipfile

import pytest
from django.utils import translation

from portal.archives import ArchiveRefused, check_archive
from tests.files import DOCX_PARTS, docx_bytes, many_members_zip, real_docx, zip_bomb, zip_bytes


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def refusal(content: bytes) -> str:
    with pytest.raises(ArchiveRefused) as raised:
        check_archive(io.BytesIO(content))
    return str(raised.value)


def test_check_archive_refuses_a_bomb_of_900_mb_under_1_mb():
    bomb = zip_bomb()

    assert (len(bomb) < 1024 * 1024, refusal(bomb)) == (
        True,
        "It would unpack to 900.0\xa0MB; at most 200.0\xa0MB is accepted.",
    )


def test_check_archive_refuses_ten_thousand_members():
    assert refusal(many_members_zip()) == "It holds 10000 files inside; at most 5000 are accepted."


def test_check_archive_refuses_a_ratio_no_document_has():
    content = zip_bytes({**DOCX_PARTS, "word/media/blank.bmp": bytes(20 * 1024 * 1024)})
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = archive.infolist()
    ratio = sum(m.file_size for m in members) // sum(m.compress_size for m in members)

    assert (ratio > 200, refusal(content)) == (
        True,
        f"Its contents are compressed {ratio} times, more than any real document; it is refused as unsafe.",
    )


def test_check_archive_lets_a_small_file_compress_as_much_as_it_likes():
    # Under a megabyte unpacked, a high ratio harms no one (an empty template compresses well).
    content = zip_bytes({**DOCX_PARTS, "word/blank.xml": bytes(512 * 1024)})

    assert check_archive(io.BytesIO(content)) is None


@pytest.mark.parametrize("build", [docx_bytes, real_docx])
def test_check_archive_accepts_a_real_document_and_leaves_it_at_its_start(build):
    content = build()
    handle = io.BytesIO(content)
    handle.seek(100)

    result = check_archive(handle)

    assert (result, handle.tell(), handle.read() == content) == (None, 0, True)


def test_check_archive_leaves_an_unreadable_directory_to_the_content_check():
    assert check_archive(io.BytesIO(b"PK\x03\x04" + b"\x00" * 40)) is None


def test_check_archive_limits_come_from_the_settings(settings):
    settings.ARCHIVE_MAX_MEMBERS = 3
    settings.ARCHIVE_MAX_UNPACKED_BYTES = 1024

    members = refusal(zip_bytes({**DOCX_PARTS, "word/styles.xml": b"<w:styles/>"}))
    size = refusal(zip_bytes({"word/document.xml": bytes(2048)}))

    assert (members, size) == (
        "It holds 4 files inside; at most 3 are accepted.",
        "It would unpack to 2.0\xa0KB; at most 1.0\xa0KB is accepted.",
    )
