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


_blocker = []  # the session's django_db_blocker, for the hook below


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Put back the calendar of data migration 0003 that a transactional test's flush removed (--reuse-db)."""
    _blocker.append(django_db_blocker)
    _put_back_the_calendar()


def _put_back_the_calendar() -> None:
    from portal.holiday_source import seed_calendar
    from portal.models import CalendarDay

    with _blocker[0].unblock():
        seed_calendar(CalendarDay)


def _flushes(item: pytest.Item) -> bool:
    """Whether the test ran on committed rows, which pytest-django flushes (the data migrations' rows with them)
    when it ends."""
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and bool(marker.kwargs.get("transaction") or marker.args[:1] == (True,))
    uses = {"transactional_db", "live_server", "django_db_serialized_rollback"} & set(getattr(item, "fixturenames", ()))
    return transactional or bool(uses)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After a flush, the calendar is put back at once: whichever test a parallel process runs next (the order of
    files differs from one run to the next) finds the working days the migrations wrote. A test that needs more
    of what migrations wrote than the calendar (content types are put back by post_migrate) asks for
    serialized_rollback."""
    result = yield
    # A next test with serialized_rollback restores the snapshot the database was made with, the calendar in it
    # (rows put back here first would clash with the snapshot's dates).
    if _blocker and _flushes(item) and not (nextitem is not None and _restores(nextitem)):
        _put_back_the_calendar()
    return result


def _restores(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    serialized = marker is not None and bool(marker.kwargs.get("serialized_rollback"))
    return serialized or "django_db_serialized_rollback" in getattr(item, "fixturenames", ())


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
