"""`python -m bench` (`make bench`): the portal's pages under load, against a reference page served the same way.

1. A throw-away PostgreSQL database on DATABASE_URL's server (BENCH_DATABASE, default portal_bench) is dropped,
   created, migrated and filled through the real services and workflow (bench/fill.py), or cloned from the
   template an earlier run with the same sizes and code left (bench/database.py).
2. gunicorn serves it (2 sync workers, bench/settings.py: DEBUG off, hashed static files, Redis cache and
   sessions on BENCH_REDIS_URL, flushed first), with the demo users' sessions made in that same store.
3. Each page of bench/pages.py is fetched once (200, not the login page, a page's size; its queries from the
   X-Bench-Queries header), then loaded with wrk at 16 connections for BENCH_SECONDS, the machine let go
   idle (BENCH_IDLE seconds, then until the CPUs are mostly idle) before each; the reference page before and
   after all of them. One request of each is then traced in-process (tracemalloc) for its peak memory.
4. The results go to bench/results/latest.json (BENCH_OUT) and are printed as a table. A missed target is
   reported, not fatal; a broken page stops the run (exit 1); a missing wrk or database is exit 2.

Sizes: BENCH_STANDARDS, BENCH_GROUPS, BENCH_APPLICATIONS, BENCH_SUBMITTED, BENCH_RECOMMENDED, BENCH_REGISTRATIONS,
BENCH_MEMBERS, and the review call's BENCH_ADMITTED, BENCH_EXPERTS, BENCH_REVIEWS (bench/fill_reviews.py, whose
proposal's time and peak memory the results report as `proposal`). BENCH_TEMPLATE=0 fills afresh and keeps no
template. BENCH_ONLY=text,… loads only the pages whose path contains one of them or whose user is one (while
working on one page; the README's figures are of a whole run).
"""

import datetime
import json
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench import database, load
from bench.fill import Sizes
from bench.fill_reviews import describe_proposal
from bench.pages import PAGES, REFERENCE, Page

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/8"
PAGE_MIN_BYTES = 1000  # a portal page, however empty, has its navigation and footer
API_MIN_BYTES = 200  # an API answer of one row (and no empty list: bench.load.probe)
REFERENCE_MIN_BYTES = 50
WARM_REQUESTS = 3


def say(text: str = "") -> None:
    print(text, flush=True)  # noqa: T201 - the benchmark's report


def main() -> int:
    if not shutil.which("wrk"):
        say("wrk is missing: `sudo apt-get install wrk`")
        return 2
    sizes = Sizes.from_environment()
    seconds = int(os.environ.get("BENCH_SECONDS") or 10)
    idle = float(os.environ.get("BENCH_IDLE") or 3)
    out = Path(os.environ.get("BENCH_OUT") or ROOT / "bench" / "results" / "latest.json")
    name = os.environ.get("BENCH_DATABASE") or "portal_bench"
    server_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not server_url.startswith(("postgres://", "postgresql://")):
        say(f"DATABASE_URL={server_url}: the benchmark runs on PostgreSQL (it names the server)")
        return 2
    if "bench" not in name:
        # It is dropped: a typo must not name the development or the test database.
        say(f"BENCH_DATABASE={name}: the throw-away database's name must contain 'bench'")
        return 2
    static_root = _environment(server_url, name)
    try:
        return _run(sizes, name=name, server_url=server_url, seconds=seconds, idle=idle, out=out)
    except load.BrokenPage as error:
        say(f"\nbenchmark stopped: {error}")
        return 1
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


def _environment(server_url: str, name: str) -> Path:
    """What this process and gunicorn read: the bench's settings, database, Redis, files and key."""
    VAR.mkdir(parents=True, exist_ok=True)
    static_root = Path(tempfile.mkdtemp(prefix="static-", dir=VAR))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database.with_name(server_url, name),
        REDIS_URL=os.environ.get("BENCH_REDIS_URL") or DEFAULT_REDIS_URL,
        MEDIA_ROOT=str(VAR / "media" / name),
        STATIC_ROOT=str(static_root),
    )
    # The settings refuse to start without a key; a throw-away database needs no lasting one.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    return static_root


def _run(sizes: Sizes, *, name: str, server_url: str, seconds: int, idle: float, out: Path) -> int:
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    fill_started = time.perf_counter()
    ids, figures, cloned = _database(sizes, name=name, server_url=server_url)
    fill_seconds = round(time.perf_counter() - fill_started, 1)
    say(f"database {name} {'cloned from its template' if cloned else 'filled'} in {fill_seconds} s")
    proposal = figures.get("proposal")

    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    only = [text for text in os.environ.get("BENCH_ONLY", "").split(",") if text] or [""]
    pages = [page for page in PAGES if any(t in page.path or t == (page.user or "") for t in only)]
    clients = _signed_in_clients({page.user for page in pages})
    reference_url = REFERENCE.url(ids)
    rows, broken = [], []
    with load.gunicorn(VAR / f"gunicorn-{name}.log", reference_url) as base:
        say(f"gunicorn on {base}: {seconds} s a page, {load.CONNECTIONS} connections\n")
        # Untimed: the workers' first requests import and compile what the reference's first run would pay for.
        load.wrk(base + reference_url, name=REFERENCE.path, cookie=None, seconds=min(seconds, 2))
        before = _reference(base + reference_url, seconds, idle)
        for page in pages:
            row = _load_page(page, base, ids, clients, seconds=seconds, idle=idle)
            rows.append(row)
            broken += [f"{page.path} ({page.user or 'anonymous'}): {row['error']}"] if "error" in row else []
        after = _reference(base + reference_url, seconds, idle)
    reference_rps = round((before["rps"] + after["rps"]) / 2, 1)
    for page, row in zip(pages, rows, strict=True):
        _finish(row, page, reference_rps, clients)
    results = {
        "reference_rps": reference_rps,
        "reference": {"name": REFERENCE.path, "before": before, "after": after},
        "sizes": sizes.as_dict(),
        "machine": {
            "nproc": os.cpu_count(),
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "load_average": [round(value, 2) for value in os.getloadavg()],
        },
        "load": {"seconds": seconds, "threads": load.THREADS, "connections": load.CONNECTIONS},
        "server": {"workers": load.WORKERS, "worker_class": "sync"},
        "fill_seconds": fill_seconds,
        "cloned_from_template": cloned,
        # Measured by the fill (so, when cloned, by the fill that left the template).
        "proposal": proposal,
        "pages": rows,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _print_table(results)
    say(f"\nwritten to {out}")
    if broken:
        say("broken under load:\n  " + "\n  ".join(broken))
        return 1
    return 0


def _database(sizes: Sizes, *, name: str, server_url: str) -> tuple[dict[str, int], dict, bool]:
    """Clone the template when it was filled for these sizes and this code; otherwise create and fill.
    The ids the pages name, the figures the fill measured (kept with the template), whether it was cloned."""
    server = database.Server(server_url)
    keep = os.environ.get("BENCH_TEMPLATE", "1") != "0"
    template = f"{name}_template"
    key = database.fill_key(sizes.as_dict())
    media = Path(os.environ["MEDIA_ROOT"])
    try:
        server.drop(name)
        kept = server.template_data(template) if keep else None
        if kept and kept.get("key") == key and media.is_dir():
            server.create(name, template=template)
            _setup_django()
            _analyze()
            return kept["ids"], kept.get("figures", {}), True
        server.create(name)
        shutil.rmtree(media, ignore_errors=True)
        ids, figures = _fill(sizes)
        _analyze()
        if keep:
            from django.db import connections

            connections.close_all()  # a template must have no session
            server.keep_as_template(name, template, {"key": key, "ids": ids, "figures": figures})
        return ids, figures, False
    finally:
        server.close()


def _analyze() -> None:
    """The planner's statistics, as autovacuum keeps them in production: without them (a fresh database, or a
    server with autovacuum off) PostgreSQL plans the lists' joins blind, several times slower."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()


def _setup_django() -> None:
    import django

    django.setup()


def _fill(sizes: Sizes) -> tuple[dict[str, int], dict]:
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from bench.fill import fill
    from portal.celery import app as celery_app

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    say(f"  migrated in {time.perf_counter() - started:.0f} s")
    # Notifications are made as the workflow makes them, in this process; their mail goes nowhere.
    celery_app.conf.task_always_eager = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    filled = fill(sizes, say=say)
    celery_app.conf.task_always_eager = False
    return filled


def _signed_in_clients(usernames: set[str | None]) -> dict[str | None, object]:
    """A test client per user, signed in through the shared session store (anonymous for None)."""
    from django.test import Client

    from portal.models import User

    clients = {}
    for username in usernames:
        client = Client(HTTP_HOST="127.0.0.1")
        if username:
            client.force_login(User.objects.get(username=username), "django.contrib.auth.backends.ModelBackend")
        clients[username] = client
    return clients


def _cookie(client) -> str | None:
    from django.conf import settings

    morsel = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return f"{settings.SESSION_COOKIE_NAME}={morsel.value}" if morsel else None


def _reference(url: str, seconds: int, idle: float) -> dict:
    checked = _probe(url, name=REFERENCE.path, cookie=None, min_bytes=REFERENCE_MIN_BYTES)
    load.settle(idle)
    measured = load.wrk(url, name=REFERENCE.path, cookie=None, seconds=seconds)
    say(f"reference {measured['rps']:.0f} req/s, p50 {measured['p50_ms']} ms, p99 {measured['p99_ms']} ms")
    return {**measured, **checked}


def _probe(url: str, **check) -> dict[str, int]:
    """Check the page, then ask it a few times more so that both workers have served it before wrk starts."""
    checked = load.probe(url, **check)
    for _ in range(WARM_REQUESTS):
        load.probe(url, **check)
    return checked


def _load_page(page: Page, base: str, ids: dict, clients: dict, *, seconds: int, idle: float) -> dict:
    url = page.url(ids)
    cookie = _cookie(clients[page.user])
    label = f"{page.path} ({page.user})" if page.user else page.path
    row = {"name": page.path, "url": url, "user": page.user, "public": page.public}
    row |= _probe(base + url, name=label, cookie=cookie, min_bytes=API_MIN_BYTES if page.api else PAGE_MIN_BYTES)
    load.settle(idle)
    try:
        row |= load.wrk(base + url, name=label, cookie=cookie, seconds=seconds)
    except load.BrokenPage as error:
        say(f"{label}: {error}")
        return row | {"error": str(error)}
    say(f"{label:<48} {row['rps']:>8.1f} req/s  p99 {row['p99_ms']:>8.1f} ms  {row['queries']:>3} queries")
    return row


def _finish(row: dict, page: Page, reference_rps: float, clients: dict) -> None:
    """The ratio and the target, and the peak memory of one request served in this process."""
    row["peak_kib"] = _peak_kib(clients[page.user], row["url"])
    if "rps" not in row:
        row.update(ratio_to_reference=None, meets_target=False)
        return
    row["ratio_to_reference"] = round(row["rps"] / reference_rps, 3) if reference_rps else None
    row["meets_target"] = page.meets_target(
        ratio=row["ratio_to_reference"] or 0, p99_ms=row["p99_ms"], queries=row["queries"]
    )


def _peak_kib(client, url: str) -> int:
    client.get(url)  # warm: templates, content types, the page's cache
    tracemalloc.start()
    try:
        client.get(url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round(peak / 1024)


def _print_table(results: dict) -> None:
    reference = results["reference"]
    say(
        f"\nreference {results['reference_rps']} req/s (before {reference['before']['rps']}, "
        f"after {reference['after']['rps']}); sizes {results['sizes']}"
    )
    header = f"{'page':<40}{'user':<12}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>7}"
    say(header + f"{'queries':>8}{'KiB':>6}{'peak KiB':>9}  target")
    for row in results["pages"]:
        numbers = (
            f"{row['rps']:>8.1f}{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}{row['ratio_to_reference']:>7.3f}"
            if "rps" in row
            else f"{'broken':>33}"
        )
        target = "met" if row["meets_target"] else "MISSED"
        say(
            f"{row['name']:<40}{row['user'] or '-':<12}{numbers}{row['queries']:>8}{row['bytes'] / 1024:>6.0f}"
            f"{row['peak_kib']:>9}  {target}"
        )
    ratios = [row["ratio_to_reference"] for row in results["pages"] if row.get("ratio_to_reference")]
    if ratios:
        say(
            f"median ratio {statistics.median(ratios):.3f}; {sum(r['meets_target'] for r in results['pages'])} "
            f"of {len(results['pages'])} pages meet their target"
        )
    if results["proposal"]:
        when = " (by the fill that left the template)" if results["cloned_from_template"] else ""
        say(f"review call {describe_proposal(results['proposal'])}{when}")


if __name__ == "__main__":
    sys.exit(main())
