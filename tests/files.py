"""Real files for the upload tests: a minimal one of each kind the portal recognises, a real-size Word document,
and ZIP bombs. Every one is built with the standard library, byte by byte as the format says."""

import functools
import io
import random
import struct
import zipfile
import zlib

from standards.files import minimal_pdf

MB = 1024 * 1024
# The parts that make a ZIP container a Word document (portal.uploads recognises it by word/document.xml).
DOCX_PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
    "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
    "word/document.xml": b'<?xml version="1.0"?><w:document/>',
}


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
    return zip_bytes(DOCX_PARTS)


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


@functools.cache
def real_docx() -> bytes:
    """A Word document the size of a real 申报书 attachment: some 150 pages of text, twelve photos, ~100 parts.

    The text is drawn from common characters (compressing about as real prose does, a few times over); the
    photos are random bytes, which no compressor shrinks, as with real JPEGs.
    """
    rng = random.Random(324)
    characters = "团体标准应用示范项目申报书实施效果技术水平市场竞争力社会影响力企业产品检测指标国家行业国际先进创新"
    paragraphs = (
        f"<w:p><w:r><w:t>{''.join(rng.choices(characters, k=rng.randint(80, 300)))}</w:t></w:r></w:p>"
        for _ in range(3000)
    )
    document = f'<?xml version="1.0"?><w:document><w:body>{"".join(paragraphs)}</w:body></w:document>'
    members = {**DOCX_PARTS, "word/document.xml": document.encode()}
    members |= {f"word/media/image{n}.jpeg": rng.randbytes(400 * 1024) for n in range(1, 13)}
    members |= {f"customXml/item{n}.xml": f"<item n='{n}'/>".encode() for n in range(90)}
    return zip_bytes(members)


@functools.cache
def zip_bomb(unpacked_mb: int = 900) -> bytes:
    """A Word document under 1 MB whose one picture unpacks to `unpacked_mb` MB of zeros.

    Written a megabyte at a time, so building it never holds the unpacked picture in memory.
    """
    buffer = io.BytesIO()
    zeros = bytes(MB)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in DOCX_PARTS.items():
            archive.writestr(name, content)
        with archive.open("word/media/image1.png", "w", force_zip64=True) as member:
            for _ in range(unpacked_mb):
                member.write(zeros)
    return buffer.getvalue()


@functools.cache
def many_members_zip(count: int = 10_000) -> bytes:
    """A Word document of `count` tiny parts: nothing large, but every reader walks each one."""
    return zip_bytes({**DOCX_PARTS, **{f"word/parts/part{n}.xml": b"<p/>" for n in range(count - len(DOCX_PARTS))}})
