"""The API's rate limit: per client address, on the shared cache (Redis), at settings.API_ANON_RATE."""

import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext
from rest_framework.throttling import BaseThrottle

KEY = "api:throttle:{}:{}"  # the address, the window's number
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "120/min" → (120, 60): the requests allowed and the window's seconds (settings checks the form)."""
    count, period = rate.split("/")
    return int(count), SECONDS[period[0]]


class AnonymousRateThrottle(BaseThrottle):
    """Everyone reads the API anonymously (it has no authentication), so everyone is counted by address.

    A fixed window per address: one counter in the shared cache, incremented atomically, so that a request
    costs two round trips whatever the rate (DRF's own throttle reads and writes the list of every request's
    time in the window, which grows with the rate). An address may thus make up to twice the rate across the
    boundary of two windows, as django-ratelimit's forms allow. The rate is read on each request, so the setting
    is the one place it is given; the address is resolved as for the lockouts and the audit log (PROXY_COUNT):
    DRF's own resolution would believe any X-Forwarded-For.
    """

    def allow_request(self, request, view) -> bool:
        allowed, seconds = parse_rate(settings.API_ANON_RATE)
        now = time.time()
        window = int(now // seconds)
        key = KEY.format(self.get_ident(request), window)
        cache.add(key, 0, timeout=seconds + 1)
        try:
            made = cache.incr(key)
        except ValueError:  # expired between the two calls, at the window's end
            cache.set(key, 1, timeout=seconds + 1)
            made = 1
        self.seconds_left = (window + 1) * seconds - now
        return made <= allowed

    def wait(self) -> float:
        return self.seconds_left

    def get_ident(self, request) -> str:
        return get_client_ip_address(request._request) or request.META.get("REMOTE_ADDR", "")


def throttled_message(wait: float | None) -> str:
    seconds = max(1, round(wait or 1))
    return ngettext(
        "Too many requests from this address: try again in %(seconds)d second.",
        "Too many requests from this address: try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}
