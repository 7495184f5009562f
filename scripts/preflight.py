"""Before `make test`: say exactly which of PostgreSQL, Redis, Chromium and gettext is missing, and how to fix it.

Run with the project's interpreter (`.venv/bin/python scripts/preflight.py`); exits 1 when anything is missing.
"""

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import environ
import psycopg2
import redis

ROOT = Path(__file__).resolve().parent.parent
SUDO = "" if os.geteuid() == 0 else "sudo "
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def check_postgresql(url: str) -> str | None:
    config = environ.Env.db_url_config(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        return f"DATABASE_URL={url} is not PostgreSQL; the tests run against PostgreSQL (e.g. {DEFAULT_DATABASE_URL})."
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "connect_timeout": 3,
    }
    where = f"{params['host'] or 'the local socket'}:{params['port'] or 5432}"
    # The tests create their own database (test_<name>); the server's maintenance database is enough here.
    for dbname in (config["NAME"], "postgres"):
        try:
            psycopg2.connect(dbname=dbname, **params).close()
            return None
        except psycopg2.OperationalError as error:
            message = (str(error).strip() or repr(error)).splitlines()[0]
            if "does not exist" not in message:
                break
    else:
        return f"PostgreSQL at {where} answers but has neither database {config['NAME']} nor postgres: {message}"
    if "authentication" in message or "password" in message or "role" in message:
        return f"PostgreSQL at {where} refused the user in DATABASE_URL={url}: {message}"
    if Path("/etc/postgresql").is_dir():
        versions = " ".join(sorted(os.listdir("/etc/postgresql"))) or "<version>"
        how = f"start it:  {SUDO}pg_ctlcluster --skip-systemctl-redirect {versions} main start"
    else:
        how = f"install and start it:  {SUDO}apt-get install -y postgresql"
    return (
        f"PostgreSQL is not answering at {where} (DATABASE_URL={url}): {message}\n"
        f"    {how}\n"
        f"    or run one:  docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16\n"
        f"    or point DATABASE_URL at a server you have."
    )


def check_redis(url: str) -> str | None:
    if not url.startswith(("redis://", "rediss://")):
        return f"REDIS_URL={url} is not a Redis URL (e.g. {DEFAULT_REDIS_URL})."
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
        return None
    except redis.RedisError as error:
        message = str(error)
    if shutil.which("redis-server"):
        port = urlsplit(url).port or 6379
        how = f'start it:  {SUDO}redis-server --daemonize yes --bind 127.0.0.1 --port {port} --save "" --appendonly no'
    else:
        how = f"install and start it:  {SUDO}apt-get install -y redis-server"
    return (
        f"Redis is not answering at REDIS_URL={url}: {message}\n"
        f"    {how}\n"
        f"    or run one:  docker run -d -p 6379:6379 redis:7"
    )


def check_chromium() -> str | None:
    path = os.environ.get("PLAYWRIGHT_CHROMIUM") or "/usr/bin/chromium"
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return None
    return (
        f"Chromium is missing at {path} (the end-to-end tests drive it through Playwright).\n"
        f"    install it:  {SUDO}apt-get install -y chromium fonts-noto-cjk\n"
        f"    or set PLAYWRIGHT_CHROMIUM to the path of a Chromium or Chrome you have."
    )


def check_gettext() -> str | None:
    catalogues = glob.glob(str(ROOT / "**" / "LC_MESSAGES" / "*.po"), recursive=True)
    if not catalogues or shutil.which("msgfmt"):
        return None
    return (
        "gettext is missing, so the Chinese catalogue cannot be compiled and pages would show English.\n"
        f"    install it:  {SUDO}apt-get install -y gettext   (then run `make install` again)"
    )


def cjk_font_warning() -> str | None:
    if not shutil.which("fc-list"):
        return None
    found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout  # noqa: S607
    if found.strip():
        return None
    return f"no Chinese font: screenshots show boxes for Chinese text.  {SUDO}apt-get install -y fonts-noto-cjk"


def main() -> int:
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    problems = [
        problem
        for problem in (check_postgresql(database_url), check_redis(redis_url), check_chromium(), check_gettext())
        if problem
    ]
    warning = cjk_font_warning()
    if warning:
        sys.stderr.write(f"preflight: warning: {warning}\n")
    if problems:
        sys.stderr.write("make test cannot run yet. Missing:\n")
        sys.stderr.writelines(f"  - {problem}\n" for problem in problems)
        return 1
    sys.stdout.write(f"preflight: PostgreSQL, Redis and Chromium answer ({database_url}, {redis_url}).\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
