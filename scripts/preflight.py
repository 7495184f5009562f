"""Before `make test`: name every system package the suite needs that this machine lacks, and how to install it.

Run with the project's interpreter (`.venv/bin/python scripts/preflight.py`); exits 1 when anything is missing.
Each check returns a `Problem` or None and takes what it inspects as arguments, so tests/test_preflight.py can
point one at a missing path. The Debian packages named here are the ones .ci/run installs (a test compares).
"""

import ctypes
import ctypes.util
import glob
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import environ
import psycopg2
import redis

ROOT = Path(__file__).resolve().parent.parent
SUDO = "" if os.geteuid() == 0 else "sudo "
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"

# The Debian packages behind each check, in the order the report lists them.
POSTGRESQL = ("postgresql",)
REDIS = ("redis-server",)
# fonts-liberation and libgl1-mesa-dri are chromium's recommends, named because CI installs without recommends.
CHROMIUM = ("chromium", "fonts-liberation", "libgl1-mesa-dri")
CJK_FONT = ("fonts-noto-cjk",)
PANGO = ("libpango-1.0-0", "libpangoft2-1.0-0")  # they pull in GLib, HarfBuzz and fontconfig
GETTEXT = ("gettext",)
NODE = ("nodejs", "npm")  # npm installs axe-core (package-lock.json) for the accessibility tests
WRK = ("wrk",)  # the load generator of `make bench`, whose smoke test runs in `make test`
PACKAGES = (POSTGRESQL, REDIS, CHROMIUM, CJK_FONT, PANGO, GETTEXT, NODE, WRK)

# The face the stylesheets name for Chinese (portal.css, print.css); without it fontconfig picks the JP face.
CJK_FAMILY = "Noto Sans CJK SC"
CJK_FONT_FILES = (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),)
# What WeasyPrint opens when it is imported (weasyprint/text/ffi.py), as ctypes.util.find_library names them.
WEASYPRINT_LIBRARIES = ("gobject-2.0", "pango-1.0", "harfbuzz", "fontconfig", "pangoft2-1.0")


@dataclass(frozen=True)
class Problem:
    """Something the suite needs that this machine lacks: what and why, the packages that fix it, other ways."""

    summary: str
    packages: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()

    def __str__(self) -> str:
        lines = [self.summary]
        if self.packages:
            lines.append(f"install it:  {install_command(self.packages)}")
        lines.extend(self.hints)
        return "\n    ".join(lines)


def install_command(packages: Iterable[str]) -> str:
    return f"{SUDO}apt-get install -y {' '.join(packages)}"


def check_postgresql(url: str) -> Problem | None:
    config = environ.Env.db_url_config(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        return Problem(
            f"DATABASE_URL={url} is not PostgreSQL; the tests run against PostgreSQL (e.g. {DEFAULT_DATABASE_URL})."
        )
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
        return Problem(
            f"PostgreSQL at {where} answers but has neither database {config['NAME']} nor postgres: {message}"
        )
    if "authentication" in message or "password" in message or "role" in message:
        return Problem(f"PostgreSQL at {where} refused the user in DATABASE_URL={url}: {message}")
    others = (
        "or run one:  docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16",
        "or point DATABASE_URL at a server you have.",
    )
    summary = f"PostgreSQL is not answering at {where} (DATABASE_URL={url}): {message}"
    if Path("/etc/postgresql").is_dir():
        versions = " ".join(sorted(os.listdir("/etc/postgresql"))) or "<version>"
        return Problem(
            summary, hints=(f"start it:  {SUDO}pg_ctlcluster --skip-systemctl-redirect {versions} main start", *others)
        )
    start = f"then start it:  {SUDO}pg_ctlcluster --skip-systemctl-redirect <version> main start"
    return Problem(summary, packages=POSTGRESQL, hints=(start, *others))


def check_redis(url: str) -> Problem | None:
    if not url.startswith(("redis://", "rediss://")):
        return Problem(f"REDIS_URL={url} is not a Redis URL (e.g. {DEFAULT_REDIS_URL}).")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
        return None
    except redis.RedisError as error:
        message = str(error)
    port = urlsplit(url).port or 6379
    start = f'{SUDO}redis-server --daemonize yes --bind 127.0.0.1 --port {port} --save "" --appendonly no'
    summary = f"Redis is not answering at REDIS_URL={url}: {message}"
    other = "or run one:  docker run -d -p 6379:6379 redis:7"
    if shutil.which("redis-server"):
        return Problem(summary, hints=(f"start it:  {start}", other))
    return Problem(summary, packages=REDIS, hints=(f"then start it:  {start}", other))


def check_chromium(path: str) -> Problem | None:
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return None
    return Problem(
        f"Chromium is missing at {path}: the end-to-end tests (tests/e2e/) drive it through Playwright.",
        packages=CHROMIUM,
        hints=("or set PLAYWRIGHT_CHROMIUM to the path of a Chromium or Chrome you have.",),
    )


def check_cjk_font(fc_list: str | None, font_files: Iterable[Path] | None = None) -> Problem | None:
    """Ask fontconfig (which WeasyPrint and Chromium use) for the face; without fc-list, look for its file."""
    if fc_list:
        listed = subprocess.run(  # noqa: S603 - fc-list from PATH, with fixed arguments
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False
        ).stdout
        families = {family.strip() for line in listed.splitlines() for family in line.split(",")}
        if CJK_FAMILY in families:
            return None
        where = "fc-list :lang=zh does not list it"
    else:
        files = list(CJK_FONT_FILES if font_files is None else font_files)
        if any(path.is_file() for path in files):
            return None
        where = "no " + " or ".join(str(path) for path in files)
    return Problem(
        f"The Simplified Chinese font {CJK_FAMILY} is missing ({where}): the 申报书 PDF embeds it "
        "(tests/projects/test_application_pdf.py) and the end-to-end screenshots need it for Chinese text.",
        packages=CJK_FONT,
    )


def check_pango(libraries: Iterable[str] = WEASYPRINT_LIBRARIES) -> Problem | None:
    """Find and open each shared library WeasyPrint opens when imported."""
    missing = []
    for name in libraries:
        found = ctypes.util.find_library(name)
        try:
            if found is None:
                raise OSError(name)
            ctypes.CDLL(found)
        except OSError:
            missing.append(f"lib{name}")
    if not missing:
        return None
    return Problem(
        f"Pango is missing (cannot open {', '.join(missing)}): WeasyPrint lays out the 申报书 PDF with it "
        "(tests/projects/test_application_pdf.py).",
        packages=PANGO,
    )


def check_gettext(path: str | None = None) -> Problem | None:
    """msgfmt on `path` (default: PATH), needed only while the repository has a catalogue to compile."""
    catalogues = glob.glob(str(ROOT / "**" / "LC_MESSAGES" / "*.po"), recursive=True)
    if not catalogues or shutil.which("msgfmt", path=path):
        return None
    return Problem(
        "gettext (msgfmt) is missing: the Chinese catalogue is not compiled, so pages show English and the tests "
        "that read Chinese fail, as does tests/test_translations.py.",
        packages=GETTEXT,
        hints=("then run `make install` again: it compiles the catalogue.",),
    )


def check_node(path: str | None = None) -> Problem | None:
    """node and npm on `path` (default: PATH): `make install` runs `npm ci` for axe-core."""
    missing = [command for command in ("node", "npm") if not shutil.which(command, path=path)]
    if not missing:
        return None
    return Problem(
        f"Node.js is missing (no {' or '.join(missing)} on PATH): npm installs axe-core, with which the "
        "accessibility tests (tests/e2e/test_accessibility.py) check every page.",
        packages=NODE,
        hints=("then run `make install` again: it runs `npm ci`.",),
    )


def check_wrk(path: str | None = None) -> Problem | None:
    """wrk on `path` (default: PATH): `make bench` loads each page with it, and `make test` runs its smoke."""
    if shutil.which("wrk", path=path):
        return None
    return Problem(
        "wrk is missing (not on PATH): `make bench` loads the pages with it, and its smoke test "
        "(tests/test_bench_smoke.py) runs in `make test`.",
        packages=WRK,
    )


def find_problems(environment: dict[str, str]) -> list[Problem]:
    """Every check, against the databases and the Chromium `environment` names."""
    checks = [
        check_postgresql(environment.get("DATABASE_URL") or DEFAULT_DATABASE_URL),
        check_redis(environment.get("REDIS_URL") or DEFAULT_REDIS_URL),
        check_chromium(environment.get("PLAYWRIGHT_CHROMIUM") or "/usr/bin/chromium"),
        check_cjk_font(shutil.which("fc-list", path=environment.get("PATH"))),
        check_pango(),
        check_gettext(environment.get("PATH")),
        check_node(environment.get("PATH")),
        check_wrk(environment.get("PATH")),
    ]
    return [problem for problem in checks if problem is not None]


def report(problems: list[Problem]) -> str:
    """What is missing, each with its fix, and one command installing every package named."""
    lines = ["make test cannot run yet. Missing:"]
    lines.extend(f"  - {problem}" for problem in problems)
    packages = list(dict.fromkeys(package for problem in problems for package in problem.packages))
    if packages:
        lines.append("All the packages at once, on Debian:")
        lines.append(f"    {SUDO}apt-get update && {install_command(packages)}")
    return "\n".join(lines) + "\n"


def main() -> int:
    problems = find_problems(dict(os.environ))
    if problems:
        sys.stderr.write(report(problems))
        return 1
    sys.stdout.write(
        "preflight: PostgreSQL and Redis answer; Chromium, the CJK font, Pango, gettext, Node.js and wrk "
        "are installed.\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
