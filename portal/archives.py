"""Limits on ZIP containers (DOCX, XLSX, OFD) read from the central directory, before anything is unpacked.

A ZIP bomb is a small file whose members unpack to gigabytes: refused here by the declared sizes, the number
of members and the compression ratio, so no reader (openpyxl, a virus scanner, a user's word processor) is
handed one. The directory is all that is read; nothing is extracted.
"""

import zipfile
from typing import BinaryIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Generous for real documents: a 300-page 申报书 with photos unpacks to some tens of MB in a few hundred parts;
# Office itself compresses XML about 10:1, rarely beyond 100:1.
DEFAULT_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_MEMBERS = 5000
DEFAULT_MAX_RATIO = 200


class ArchiveRefused(ValueError):
    """The archive would unpack to too much; the message says which limit and is meant for the user."""


def check_archive(handle: BinaryIO) -> None:
    """Raise ArchiveRefused when the ZIP in `handle` passes a limit; leave `handle` at the start either way.

    An unreadable directory is not this function's business (the caller's content check reports it).
    """
    limits = _limits()
    try:
        handle.seek(0)
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    finally:
        handle.seek(0)
    if len(members) > limits["members"]:
        raise ArchiveRefused(
            _("It holds %(count)d files inside; at most %(limit)d are accepted.")
            % {"count": len(members), "limit": limits["members"]}
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits["bytes"]:
        raise ArchiveRefused(
            _("It would unpack to %(size)s; at most %(limit)s is accepted.")
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(limits["bytes"])}
        )
    packed = sum(member.compress_size for member in members)
    if unpacked > 1024 * 1024 and unpacked > limits["ratio"] * max(packed, 1):
        raise ArchiveRefused(
            _("Its contents are compressed %(ratio)d times, more than any real document; it is refused as unsafe.")
            % {"ratio": unpacked // max(packed, 1)}
        )


def _limits() -> dict[str, int]:
    return {
        "bytes": getattr(settings, "ARCHIVE_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES),
        "members": getattr(settings, "ARCHIVE_MAX_MEMBERS", DEFAULT_MAX_MEMBERS),
        "ratio": getattr(settings, "ARCHIVE_MAX_RATIO", DEFAULT_MAX_RATIO),
    }
