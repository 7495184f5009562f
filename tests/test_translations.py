"""Chinese is the default language: every string the code and templates mark must be translated."""

import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command

CATALOGUE = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _statistics(po_file) -> str:
    result = subprocess.run(  # noqa: S603 - a fixed command on a file of the repository
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po_file)],  # noqa: S607 - msgfmt from PATH, as gettext installs it
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stderr


def test_catalogue_zh_hans_has_no_untranslated_or_fuzzy_entry():
    stats = _statistics(CATALOGUE)

    assert re.fullmatch(r"\d+ translated messages?\.\n", stats), stats


def test_catalogue_zh_hans_holds_every_marked_string(tmp_path, settings, monkeypatch):
    # Extract afresh into a copy: a string marked in code but missing from the catalogue shows as untranslated.
    copy = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copy(CATALOGUE, copy)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(settings.BASE_DIR)

    call_command("makemessages", locale=["zh_Hans"], ignore_patterns=[".venv", "tests", "var"], verbosity=0)

    assert re.fullmatch(r"\d+ translated messages?\.\n", _statistics(copy)), _statistics(copy)


@pytest.mark.django_db
def test_home_page_speaks_chinese_by_default(client):
    response = client.get("/")

    assert "团体标准应用示范项目" in response.content.decode()
