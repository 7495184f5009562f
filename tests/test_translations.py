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
    # Extract afresh in a copy of the sources (makemessages writes beside the `locale` folder it finds): a string
    # marked in code or templates but missing from the catalogue then shows as untranslated.
    tree = tmp_path / "src"
    shutil.copytree(
        settings.BASE_DIR,
        tree,
        ignore=shutil.ignore_patterns(".*", "var", "tests", "node_modules", "test-artifacts", "__pycache__", "*.mo"),
    )
    settings.LOCALE_PATHS = [tree / "locale"]
    monkeypatch.chdir(tree)

    call_command("makemessages", locale=["zh_Hans"], verbosity=0)

    copy = tree / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    assert re.fullmatch(r"\d+ translated messages?\.\n", _statistics(copy)), _statistics(copy)


@pytest.mark.django_db
def test_home_page_speaks_chinese_by_default(client):
    response = client.get("/")

    assert "团体标准应用示范项目" in response.content.decode()
