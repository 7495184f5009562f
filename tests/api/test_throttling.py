"""Anonymous use is rate-limited per address on the shared cache, with a 429 that says when to come back."""

import runpy
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from api.throttling import KEY

URL = "/api/v1/groups/"


def _expected(seconds: int, language: str) -> str:
    with translation.override(language):
        return ngettext(
            "Too many requests from this address: try again in %(seconds)d second.",
            "Too many requests from this address: try again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}


@pytest.mark.parametrize(("language", "header"), [("zh-hans", {}), ("en", {"HTTP_ACCEPT_LANGUAGE": "en"})])
def test_past_the_rate_an_address_gets_a_429_saying_when_to_come_back(api, settings, language, header):
    settings.API_ANON_RATE = "3/min"

    statuses = [api.get(URL, **header).status_code for _ in range(3)]
    refused = api.get(URL, **header)

    wait = int(refused["Retry-After"])
    assert (statuses, refused.status_code, 0 < wait <= 60) == ([200, 200, 200], 429, True)
    assert refused.json() == {"detail": _expected(wait, language)}
    assert refused["Content-Type"] == "application/json"


def test_the_count_is_kept_in_the_shared_cache_per_address(api, settings):
    settings.API_ANON_RATE = "2/min"
    api.get(URL)

    other = api.get(URL, REMOTE_ADDR="10.0.0.9")

    assert other.status_code == 200
    assert cache.get(KEY.format("127.0.0.1", int(time.time() // 60))) == 1
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_a_forwarded_for_header_does_not_make_a_new_address(api, settings):
    settings.API_ANON_RATE = "2/min"

    statuses = [api.get(URL, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(3)]

    assert statuses == [200, 200, 429]


def test_a_304_counts_as_a_request(api, settings):
    settings.API_ANON_RATE = "2/min"
    first = api.get(URL)

    again = api.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    refused = api.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])

    assert (again.status_code, refused.status_code) == (304, 429)


def test_the_schema_and_its_page_are_limited_too(api, settings):
    settings.API_ANON_RATE = "1/min"
    api.get(reverse("api:schema"))

    assert api.get(reverse("api:docs")).status_code == 429


def test_the_default_rate_is_120_a_minute(monkeypatch):
    monkeypatch.delenv("API_ANON_RATE", raising=False)

    assert runpy.run_path(str(Path(django_settings.BASE_DIR) / "portal" / "settings.py"))["API_ANON_RATE"] == "120/min"


@pytest.mark.parametrize("rate", ["120", "120/fortnight", "0/min", "many/min", "120/5m"])
def test_a_rate_that_is_not_a_count_per_period_stops_the_start(monkeypatch, rate):
    monkeypatch.setenv("API_ANON_RATE", rate)

    with pytest.raises(ImproperlyConfigured, match="API_ANON_RATE"):
        runpy.run_path(str(Path(django_settings.BASE_DIR) / "portal" / "settings.py"))


@pytest.mark.parametrize("rate", ["60/s", "1000/hour", "5/d", "120/minute"])
def test_a_count_per_period_is_accepted(monkeypatch, rate):
    monkeypatch.setenv("API_ANON_RATE", rate)

    assert runpy.run_path(str(Path(django_settings.BASE_DIR) / "portal" / "settings.py"))["API_ANON_RATE"] == rate


def test_the_count_is_one_number_whatever_the_rate(api, settings):
    settings.API_ANON_RATE = "1000000/min"
    for _ in range(50):
        api.get(URL)

    window = int(time.time() // 60)  # the loop may have crossed into this window from the one before
    counted = [cache.get(KEY.format("127.0.0.1", number)) for number in (window - 1, window)]
    assert sum(count or 0 for count in counted) == 50  # a counter, not a list of the requests' times
