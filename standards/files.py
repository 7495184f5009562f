"""Uploaded PDFs: where they are stored, what is accepted, and how they are served.

Files go to the default storage, which is private (no MEDIA_URL): every download passes through a view that
checks the right first. A file is accepted by its content (`%PDF-`), never by its extension alone.
"""

import posixpath
import uuid

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

PDF_MAGIC = b"%PDF-"
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def max_upload_bytes() -> int:
    return getattr(settings, "STANDARDS_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def safe_filename(name: str, *, suffix: str = ".pdf") -> str:
    """The base name only, stripped to safe characters (CJK kept), with the expected suffix, at most 100 long."""
    base = posixpath.basename(name.replace("\\", "/"))
    stem = base[: -len(suffix)] if base.lower().endswith(suffix) else base
    try:
        stem = get_valid_filename(stem)[:90]
    except SuspiciousFileOperation:  # nothing usable left, e.g. ".."
        stem = ""
    return f"{stem or 'document'}{suffix}"


def validate_pdf(upload: File) -> None:
    """Refuse a file over the size limit or whose content does not start as a PDF does."""
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(_("This file is not a PDF."), code="not_pdf")


def _upload_path(folder: str, filename: str) -> str:
    # A random folder per upload: names never collide and cannot be guessed from the standard.
    return f"standards/{folder}/{uuid.uuid4().hex}/{safe_filename(filename)}"


def full_text_path(instance, filename: str) -> str:
    return _upload_path("full-texts", filename)


def group_document_path(instance, filename: str) -> str:
    return _upload_path("group-documents", filename)


def evaluation_report_path(instance, filename: str) -> str:
    return _upload_path("evaluation-reports", filename)


def pdf_response(field: FieldFile, *, download_name: str) -> FileResponse:
    """Serve a stored PDF as an attachment (never rendered in the portal's origin); 404 when it is missing.

    `download_name` may be a standard number: its slashes become hyphens rather than folders.
    """
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=safe_filename(download_name.replace("/", "-")),
        content_type="application/pdf",
    )


def minimal_pdf(*lines: str) -> bytes:
    """A small valid one-page PDF showing `lines` (ASCII; other characters print as '?'): demo and test data."""

    def escape(line: str) -> str:
        line = line.encode("ascii", "replace").decode()
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = " ".join(f"({escape(line)}) Tj 0 -22 Td" for line in lines)
    stream = f"BT /F1 14 Tf 72 760 Td {text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
