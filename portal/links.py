"""Absolute links for what leaves the portal (e-mails): the portal's public address, PORTAL_URL, before a path."""

from django.conf import settings


def absolute(path: str) -> str:
    """`path` (a local path such as ``/applications/3/``) as a full URL under PORTAL_URL."""
    return settings.PORTAL_URL.rstrip("/") + "/" + path.lstrip("/")
