"""The API's tests share one public world per module, built through the services in a transaction that is
rolled back at the module's end (each test runs in a savepoint of it, as tests/test_hostile_input.py does)."""

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation
from django.utils.translation import gettext

from tests.api.data import PublicWorld, public_world


@pytest.fixture(scope="module")
def _media(tmp_path_factory):
    return tmp_path_factory.mktemp("api-media")


@pytest.fixture(autouse=True)
def _private_media(settings, _media):
    # Overrides the conftest's per-test folder, which would not hold the files of the module's world.
    settings.MEDIA_ROOT = _media


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, _media) -> Iterator[PublicWorld]:
    # The conftest's fast hasher is set per test: a module's world would hash its users' passwords in earnest.
    fast = override_settings(MEDIA_ROOT=_media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        yield public_world()
        transaction.set_rollback(True)


@pytest.fixture
def api(db) -> Client:
    """An anonymous client whose failures are answers (a 500 is a response to assert on, not an exception)."""
    return Client(raise_request_exception=False)


def results(response) -> list[dict]:
    return response.json()["results"]


def ids(response) -> list[int]:
    return [item["id"] for item in results(response)]


def message(msgid: str, language: str = "zh-hans", **values) -> str:
    """A message as the API words it in `language` (the catalogue's translation, once it has one)."""
    with translation.override(language):
        return gettext(msgid) % values if values else gettext(msgid)
