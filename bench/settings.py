"""The portal's settings as production runs it, for the benchmark only (`python -m bench` sets the environment).

DEBUG off, no HTTPS redirect (gunicorn is reached over plain HTTP on 127.0.0.1), hashed static files collected
by the bench, the Redis cache and sessions on the bench's own Redis database, plus the reference page and a
middleware that reports each request's queries. Fixed here, not read, so a developer's .env cannot turn the
benchmark into a development server.
"""

import os

os.environ["DEBUG"] = "false"
os.environ["HTTPS"] = "false"
os.environ["STATIC_MANIFEST"] = "true"
os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")

from portal.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405 - its template
ROOT_URLCONF = "bench.urls"
# First, so it counts every query of the request, the sessions' and the authentication's included.
MIDDLEWARE = ["bench.middleware.count_queries", *MIDDLEWARE]  # noqa: F405
# The fill creates thousands of users; hashing strength is not what the benchmark measures.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# One address loads each page thousands of times: the API's per-address rate would answer most with 429.
API_ANON_RATE = "1000000/min"
