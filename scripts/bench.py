"""`make bench`: how fast the main pages answer, with how many queries and how much memory, on a loaded database.

Builds a throw-away PostgreSQL database (test_<name> of DATABASE_URL), fills it with the demo data plus a few
hundred standards and applications (some submitted to the demo department) made through the real services and
workflow, then requests each page repeatedly through Django's test client and prints the median and
95th-percentile time, the number of queries and the peak memory Python allocated while serving one request.
Results also go to var/bench/latest.json, so two runs can be compared. Timings depend on the machine: compare
runs made on the same one.
"""

import json
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_databases, setup_test_environment

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
STANDARDS = int(os.environ.get("BENCH_STANDARDS", "400"))
APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "120"))

PAGES = [
    ("home", None, "/"),
    ("standard list", None, "/standards/"),
    ("standard search", None, "/standards/?q=T/ZZB%201-2019"),
    ("group list", None, "/groups/"),
    ("call list", None, "/calls/"),
    ("dashboard (applicant)", "applicant", "/dashboard/"),
    ("applications (applicant)", "applicant", "/applications/"),
    ("applications (secretariat)", "secretariat", "/applications/"),
    ("audit log (secretariat)", "secretariat", "/audit/"),
    ("dashboard (recommender)", "recommender", "/dashboard/"),
    ("recommendation inbox", "recommender", "/recommendations/?call={call}"),
    ("notifications (recommender)", "recommender", "/notifications/"),
    ("recommenders (secretariat)", "secretariat", "/calls/{call}/recommenders/"),
    ("formal check (secretariat)", "secretariat", "/calls/{call}/formal-check/"),
    ("register (anonymous)", None, "/register/"),
    ("registration requests (secr.)", "secretariat", "/organisations/requests/"),
    ("organisations (secretariat)", "secretariat", "/organisations/"),
    ("organisation (applicant)", "applicant", "/organisation/"),
    ("account (applicant)", "applicant", "/account/"),
    ("submit confirmation (applicant)", "applicant", "/applications/{draft}/submit/"),
    ("receipt (applicant)", "applicant", "/applications/{submitted}/receipt/1/"),
    ("application with decision panel", "recommender", "/applications/{submitted}/"),
    ("call preview (secretariat)", "secretariat", "/calls/{call}/preview/"),
]
SUBMITTED = int(os.environ.get("BENCH_SUBMITTED", "60"))  # of the applications, submitted to the demo department
REGISTRATIONS = int(os.environ.get("BENCH_REGISTRATIONS", "60"))  # pending requests of social groups
MEMBERS = int(os.environ.get("BENCH_MEMBERS", "40"))  # colleagues of the demo group, each with an invitation


def fill() -> dict[str, int]:
    """Load the database; return the ids the pages' URLs name: the call, a complete draft, a submitted one."""
    from portal.models import Organisation, User
    from projects import workflow
    from projects.models import Call
    from tests.factories import GroupStandardFactory, make_application, profile_of

    call_command("seed_demo", verbosity=0)
    group = Organisation.objects.get(code="ZZB")
    applicant = User.objects.get(username="applicant")
    profile = profile_of(group)
    standards = [GroupStandardFactory(issuer=profile, fills_gap=True) for _ in range(STANDARDS)]
    call = Call.objects.order_by("-opens_at").first()
    department = Organisation.objects.get(code="ZJJXT")
    ids = {"call": call.pk}
    for position, standard in enumerate(standards[:APPLICATIONS]):
        application = make_application(
            call=call, group=group, standard=standard, by=applicant, complete=True, recommender=department
        )
        if position < SUBMITTED:
            workflow.submit(application, by=applicant)
            ids.setdefault("submitted", application.pk)
        else:
            ids.setdefault("draft", application.pk)
    fill_people(group, applicant)
    return ids


def fill_people(group, applicant) -> None:
    """Pending registration requests for the secretariat's queue; colleagues and open invitations of the group."""
    from portal import members
    from portal.models import Membership
    from tests.factories import ProvincialDepartmentFactory, admin_of, make_registration, member_of

    for n in range(REGISTRATIONS):
        make_registration(n=n + 1, confirmed=n % 2 == 0)
    for n in range(MEMBERS):
        Membership.objects.filter(user=member_of(group), organisation=group).update(is_admin=n % 10 == 0)
        members.invite(organisation=group, email=f"colleague{n}@bench.example.cn", by=applicant)
    for _ in range(MEMBERS):
        admin_of(ProvincialDepartmentFactory())


def measure(client: Client, url: str) -> dict:
    client.get(url)  # warm caches (templates, content types)
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: the benchmark measures working pages only")
    with CaptureQueriesContext(connection) as queries:
        tracemalloc.start()
        client.get(url)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "queries": len(queries),
        "peak_kib": round(peak / 1024),
    }


def main() -> None:
    from portal.models import User

    setup_test_environment()
    settings.MEDIA_ROOT = ROOT / "var" / "bench" / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        ids = fill()
        print(
            f"filled in {time.perf_counter() - started:.1f} s: {STANDARDS} standards, {APPLICATIONS} applications, "
            f"{REGISTRATIONS} registration requests, {MEMBERS} colleagues and departments"
        )
        results = {}
        for name, username, url in PAGES:
            client = Client()
            if username:
                client.force_login(User.objects.get(username=username))
            url = url.format(**ids)
            results[name] = {"url": url, **measure(client, url)}
        print(f"{'page':<32}{'median ms':>10}{'p95 ms':>10}{'queries':>9}{'peak KiB':>10}")
        for name, row in results.items():
            print(f"{name:<32}{row['median_ms']:>10}{row['p95_ms']:>10}{row['queries']:>9}{row['peak_kib']:>10}")
        out = ROOT / "var" / "bench" / "latest.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"repeat": REPEAT, "pages": results}, indent=2, ensure_ascii=False))
        print(f"written to {out.relative_to(ROOT)}")
    finally:
        from django.test.utils import teardown_databases

        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
