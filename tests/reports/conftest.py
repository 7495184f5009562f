"""The statistics tests read the pages and files in English (the msgids), whatever the portal's default."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
