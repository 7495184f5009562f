"""ETag and Last-Modified for the API, from the public topics' versions (portal.public_cache), with no query.

The services move a topic ("notices", "register", "registry") whenever what the public sees of it changes; a
topic's version is the moment it last moved, in nanoseconds. So a response's validators are known before any
row is read: the ETag hashes the versions of the topics the endpoint shows with the full address (query and all),
the language and the API's version; Last-Modified is the latest of those moments. A client that sends either
back gets a 304 without the database being asked anything.

Last-Modified has whole seconds only, so two changes within one second look alike to If-Modified-Since: the
ETag, which If-None-Match compares and which takes precedence, tells them apart.
"""

import hashlib
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from portal.public_cache import TOPIC_KEY

NANOSECONDS = 1_000_000_000


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: int  # seconds since the epoch, rounded up so that a change is never dated before it happened

    def not_modified(self, request: HttpRequest) -> HttpResponse | None:
        """A 304 when the client's copy is current (If-None-Match first, else If-Modified-Since), else None."""
        return get_conditional_response(request, etag=self.etag, last_modified=self.last_modified)

    def apply(self, response: HttpResponse) -> None:
        response.headers["ETag"] = self.etag
        response.headers["Last-Modified"] = http_date(self.last_modified)


def topic_versions(topics: Iterable[str]) -> dict[str, int]:
    """Each topic's version, in one round trip; a topic never moved (or lost with the cache) starts now, as
    `portal.public_cache` starts it, so that every process agrees on the version another one started."""
    keys = {topic: TOPIC_KEY.format(topic) for topic in topics}
    found = cache.get_many(keys.values())
    missing = [key for key in keys.values() if key not in found]
    if missing:
        now = time.time_ns()
        for key in missing:
            cache.add(key, now, timeout=None)
        found.update(cache.get_many(missing))
    return {topic: found.get(key, 0) for topic, key in keys.items()}


def validators(request: HttpRequest, topics: Iterable[str]) -> Validators:
    versions = topic_versions(topics)
    text = "|".join(
        [
            settings.SPECTACULAR_SETTINGS["VERSION"],
            request.LANGUAGE_CODE,
            request.build_absolute_uri(),  # the links in the body are absolute: the host is part of it
            *(f"{topic}={version}" for topic, version in sorted(versions.items())),
        ]
    )
    digest = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    latest = max(versions.values(), default=0)
    return Validators(etag=f'W/"{digest}"', last_modified=math.ceil(latest / NANOSECONDS))
