"""Uploaded files: how a file's content is recognised, what each page accepts, and how names are made safe.

A file is accepted by what its bytes are (magic numbers; for OFD, DOCX and XLSX, the ZIP container's
directory), and only when that agrees with its extension and is one of the kinds the caller accepts; a ZIP
container must also stay within the limits of `portal.archives` (no ZIP bomb). It is stored under a random
name in private storage; the user's name is kept, sanitised, for the download.
Stages name what they accept (`projects.files` for attachments, the registration certificate in `portal`).
"""

import posixpath
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from portal.archives import ArchiveRefused, check_archive

MAX_STEM_LENGTH = 100
FALLBACK_STEM = "attachment"


@dataclass(frozen=True)
class Kind:
    """One accepted kind of file: its name for people, the extensions it may carry, its media type."""

    label: str
    extensions: tuple[str, ...]
    content_type: str


PDF = Kind("PDF", ("pdf",), "application/pdf")
OFD = Kind("OFD", ("ofd",), "application/ofd")
DOCX = Kind("DOCX", ("docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = Kind("XLSX", ("xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
JPEG = Kind("JPG", ("jpg", "jpeg"), "image/jpeg")
PNG = Kind("PNG", ("png",), "image/png")
ALL_KINDS = (PDF, OFD, DOCX, XLSX, JPEG, PNG)
KIND_BY_EXTENSION = {extension: kind for kind in ALL_KINDS for extension in kind.extensions}

_MAGIC = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
_ZIP_MAGIC = b"PK\x03\x04"
# The member that makes a ZIP container an OFD (GB/T 33190), a Word or an Excel document.
_ZIP_MEMBERS = (("OFD.xml", OFD), ("word/document.xml", DOCX), ("xl/workbook.xml", XLSX))
ZIP_KINDS = frozenset(kind for _member, kind in _ZIP_MEMBERS)


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks: what it is and the names to keep and to store it under."""

    kind: Kind
    original_name: str
    stored_name: str
    size: int


def accept_attribute(kinds: tuple[Kind, ...]) -> str:
    """The file input's `accept`, so the browser's picker offers only these kinds."""
    return ",".join(f".{extension}" for kind in kinds for extension in kind.extensions)


def accepted_summary(kinds: tuple[Kind, ...], max_bytes: int) -> str:
    """The sentence every refusal ends with: the accepted types and the size limit."""
    return _("Accepted: %(types)s, at most %(limit)s each.") % {
        "types": ", ".join(kind.label for kind in kinds),
        "limit": filesizeformat(max_bytes),
    }


def extension_of(name: str) -> str:
    base = posixpath.basename(name.replace("\\", "/"))
    _stem, dot, extension = base.rpartition(".")
    return "".join(char for char in extension.lower() if char.isascii() and char.isalnum())[:10] if dot else ""


def safe_name(name: str) -> str:
    """The base name only: letters (CJK included), digits and a little punctuation, at most 100 long + extension.

    Paths and control characters go; the extension is kept, in lower case.
    """
    base = posixpath.basename(unicodedata.normalize("NFC", name).replace("\\", "/"))
    extension = extension_of(base)
    stem = base.rpartition(".")[0] if "." in base else base
    kept = re.sub(r"_{2,}", "_", "".join(_safe_char(char) for char in stem))
    kept = kept.strip("._-")[:MAX_STEM_LENGTH].rstrip("._-")
    return f"{kept or FALLBACK_STEM}.{extension}" if extension else kept or FALLBACK_STEM


def _safe_char(char: str) -> str:
    if char.isalnum() or char in "-_.()（）【】《》、":
        return char
    if unicodedata.category(char).startswith("C"):  # control, format, unassigned: dropped outright
        return ""
    return "_"


def stored_name(kind: Kind) -> str:
    """A random name, so stored files never collide and say nothing of what they hold."""
    return f"{uuid.uuid4().hex}.{kind.extensions[0]}"


def sniff(upload: File) -> Kind | None:
    """What the content is, by its first bytes and, for a ZIP container, by its members; None if none of ours."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(_ZIP_MAGIC):
        return _sniff_zip(upload)
    return None


def _sniff_zip(upload: File) -> Kind | None:
    try:
        # Only the central directory is read: nothing is extracted, so a ZIP bomb costs nothing here.
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return next((kind for member, kind in _ZIP_MEMBERS if member in names), None)


def check_upload(upload: File, *, kinds: tuple[Kind, ...], max_bytes: int) -> CheckedFile:
    """Accept the upload or raise ValidationError naming the file, what is wrong and what is accepted."""
    name = safe_name(upload.name or "")
    params = {"name": name, "accepted": accepted_summary(kinds, max_bytes)}
    expected = KIND_BY_EXTENSION.get(extension_of(upload.name or ""))
    if expected is None or expected not in kinds:
        raise ValidationError(
            _("“%(name)s” is not an accepted type of file. %(accepted)s"), params=params, code="file_type"
        )
    if not upload.size:
        raise ValidationError(_("“%(name)s” is empty. %(accepted)s"), params=params, code="file_empty")
    if upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s, over the limit. %(accepted)s"),
            params={**params, "size": filesizeformat(upload.size)},
            code="file_too_large",
        )
    actual = sniff(upload)
    if actual != expected:
        raise _mismatch(actual, {**params, "expected": expected.label})
    if actual in ZIP_KINDS:
        # Before anyone opens it (openpyxl, a scanner, the reviewer's word processor): a ZIP bomb is refused here.
        try:
            check_archive(upload)
        except ArchiveRefused as refusal:
            raise ValidationError(
                _("“%(name)s” cannot be accepted. %(reason)s %(accepted)s"),
                params={**params, "reason": str(refusal)},
                code="file_archive",
            ) from refusal
    return CheckedFile(kind=actual, original_name=name, stored_name=stored_name(actual), size=upload.size)


def _mismatch(actual: Kind | None, params: dict[str, str]) -> ValidationError:
    if actual is None:
        message = _("“%(name)s” is named as %(expected)s, but its content is none of the accepted types. %(accepted)s")
    else:
        message = _("“%(name)s” is named as %(expected)s, but its content is %(actual)s. %(accepted)s")
        params = {**params, "actual": actual.label}
    return ValidationError(message, params=params, code="file_content")
