"""Limits on the public forms, per client address, on the shared cache (django-ratelimit)."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest

TOO_MANY = 429


def client_address(group: str, request: HttpRequest) -> str:
    # The same resolution as the lockouts' and the audit log's: X-Forwarded-For only behind PROXY_COUNT proxies.
    return get_client_ip_address(request) or "unknown"


def registration_rate(group: str, request: HttpRequest) -> str:
    """Read at each request, so a deployment (or a test) may change REGISTRATION_RATE."""
    return settings.REGISTRATION_RATE
