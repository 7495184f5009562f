"""Fixtures every test may use. PostgreSQL, Redis and Chromium are real; only the outside world is mocked."""

import pytest

from portal.celery import app as celery_app


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Hashing strength is Django's concern; a test needs only a hasher that accepts what it set.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path_factory):
    # Uploaded and seeded files go to a folder of the test's own, never into the developer's var/media.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _eager_celery():
    """Run tasks in the calling thread; the worker test (marker `worker`) starts a real worker instead."""
    # Shared tasks follow the "current" app, and creating any Celery app makes it current: restore ours.
    celery_app.set_current()
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Put back the calendar of data migration 0003 that a transactional test's flush removed (--reuse-db)."""
    from portal.holiday_source import seed_calendar
    from portal.models import CalendarDay

    with django_db_blocker.unblock():
        seed_calendar(CalendarDay)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
