"""Who may do what in the public-notice stage: the secretariat runs notices, objections and announcements."""

from django.core.exceptions import PermissionDenied

from portal.models import User
from portal.permissions import is_secretariat


def require_secretariat(user: User) -> None:
    """PermissionDenied (403) for anyone but the secretariat's staff."""
    if not (user.is_authenticated and is_secretariat(user)):
        raise PermissionDenied
