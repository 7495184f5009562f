"""What an application or a call accepts as an attachment: every kind the portal recognises, up to a size limit.

The content checks themselves are the portal's (`portal.uploads`); this module names the kinds and the limit.
"""

from django.conf import settings
from django.core.files import File

from portal.uploads import (
    ALL_KINDS,
    DOCX,
    KIND_BY_EXTENSION,
    OFD,
    PDF,
    XLSX,
    CheckedFile,
    Kind,
    accept_attribute,
    extension_of,
    safe_name,
)
from portal.uploads import accepted_summary as _accepted_summary
from portal.uploads import check_upload as _check_upload

__all__ = [
    "ACCEPT_ATTRIBUTE",
    "DOCX",
    "KINDS",
    "KIND_BY_EXTENSION",
    "OFD",
    "PDF",
    "XLSX",
    "CheckedFile",
    "accepted_summary",
    "check_upload",
    "extension_of",
    "safe_name",
]

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
KINDS: tuple[Kind, ...] = ALL_KINDS
ACCEPT_ATTRIBUTE = accept_attribute(KINDS)


def max_upload_bytes() -> int:
    return getattr(settings, "PROJECTS_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def accepted_summary() -> str:
    return _accepted_summary(KINDS, max_upload_bytes())


def check_upload(upload: File) -> CheckedFile:
    """Accept an attachment or raise ValidationError naming the file, what is wrong and what is accepted."""
    return _check_upload(upload, kinds=KINDS, max_bytes=max_upload_bytes())
