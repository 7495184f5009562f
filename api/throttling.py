"""The API's rate limit: per client address, on the shared cache (Redis), at settings.API_ANON_RATE."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.utils.translation import ngettext
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """Everyone reads the API anonymously (it has no authentication), so everyone is counted by address.

    The rate is read from the settings on each request, not when the class is defined (as DRF's
    DEFAULT_THROTTLE_RATES is), so that the setting is the one place it is given. The address is resolved as
    for the lockouts and the audit log (PROXY_COUNT): DRF's own resolution would believe any X-Forwarded-For.
    """

    scope = "anon"

    def __init__(self) -> None:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_rate(self) -> str:
        return settings.API_ANON_RATE

    def get_ident(self, request) -> str:
        return get_client_ip_address(request._request) or request.META.get("REMOTE_ADDR", "")


def throttled_message(wait: float | None) -> str:
    seconds = max(1, round(wait or 1))
    return ngettext(
        "Too many requests from this address: try again in %(seconds)d second.",
        "Too many requests from this address: try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}
