"""What the environment-driven settings give: checked in-process where possible, at start-up otherwise."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


def test_settings_time_is_shanghai_and_aware():
    assert (settings.TIME_ZONE, settings.USE_TZ, settings.CELERY_TIMEZONE) == ("Asia/Shanghai", True, "Asia/Shanghai")


def test_settings_language_is_simplified_chinese_first():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]


def test_settings_broker_cache_and_sessions_use_redis_when_redis_url_is_set():
    redis_url = settings.REDIS_URL  # from REDIS_URL, set for the tests by pytest-env or the Makefile

    assert redis_url.startswith("redis://")
    assert redis_url == settings.CELERY_BROKER_URL
    assert settings.CACHES["default"]["LOCATION"] == redis_url
    assert celery_app.conf.broker_url == redis_url
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cache"


def test_settings_database_is_postgresql_in_the_tests():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_settings_uploads_stay_on_disk_without_a_bucket():
    if settings.AWS_STORAGE_BUCKET_NAME:
        pytest.skip("AWS_STORAGE_BUCKET_NAME is set in this environment")

    assert settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_manage_check_without_secret_key_fails_naming_it():
    dotenv = ROOT / ".env"
    if dotenv.exists() and "SECRET_KEY" in dotenv.read_text(encoding="utf-8"):
        pytest.skip(".env supplies SECRET_KEY on this machine")
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}

    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_settings_give_each_parallel_test_process_a_redis_database_of_its_own(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/2")
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw3")

    namespace = runpy.run_path(str(Path(settings.BASE_DIR) / "portal" / "settings.py"))

    assert namespace["REDIS_URL"] == "redis://127.0.0.1:6379/5"
    assert namespace["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/5"
    assert namespace["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/5"
