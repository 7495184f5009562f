"""`make bench` cannot rot: `python -m bench` runs end to end with tiny sizes and one second a page.

Not a timed test: it asserts that every page of the list was checked, loaded and reported, not how fast.
"""

import json
import os
import shutil
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from bench import load
from bench.pages import PAGES

TINY = {
    "BENCH_STANDARDS": "20",
    "BENCH_GROUPS": "5",
    "BENCH_APPLICATIONS": "12",
    "BENCH_SUBMITTED": "4",
    "BENCH_RECOMMENDED": "2",
    "BENCH_REGISTRATIONS": "3",
    "BENCH_MEMBERS": "3",
    "BENCH_ADMITTED": "6",
    "BENCH_EXPERTS": "12",  # seed_demo's six and six more, so that every field has seven
    "BENCH_ANNOUNCED": "8",
    "BENCH_NOTICED": "3",
    "BENCH_OBJECTIONS": "2",
    "BENCH_SECONDS": "1",
    "BENCH_IDLE": "0",
}

WRK_OUTPUT = """Running 1s test @ http://127.0.0.1:8000/
  2 threads and 16 connections
  Latency Distribution
     50%  812.00us
     75%    1.20ms
     90%    3.10ms
     99%    1.05s
  1234 requests in 1.00s, 1.20MB read
Requests/sec:   1230.45
Transfer/sec:      1.20MB
"""


def test_parse_wrk_reads_requests_per_second_and_the_percentiles_in_milliseconds():
    assert load.parse_wrk(WRK_OUTPUT, name="/") == {"rps": 1230.45, "p50_ms": 0.81, "p99_ms": 1050.0}


def test_parse_wrk_with_non_2xx_responses_names_the_page():
    output = WRK_OUTPUT.replace("Requests/sec", "  Non-2xx or 3xx responses: 17\nRequests/sec")

    with pytest.raises(load.BrokenPage, match=r"^/dashboard/ \(applicant\): 17 responses under load were not 2xx"):
        load.parse_wrk(output, name="/dashboard/ (applicant)")


def test_parse_wrk_with_socket_errors_names_the_page():
    output = WRK_OUTPUT.replace("Requests/sec", "  Socket errors: connect 0, read 3, write 0, timeout 2\nRequests/sec")

    with pytest.raises(load.BrokenPage, match=r"^/groups/: socket errors under load \(connect 0, read 3"):
        load.parse_wrk(output, name="/groups/")


def test_parse_wrk_when_no_request_was_answered_names_the_page():
    output = WRK_OUTPUT.replace("1234 requests in", "0 requests in")

    with pytest.raises(load.BrokenPage, match=r"^/audit/ \(secretariat\): not one request answered"):
        load.parse_wrk(output, name="/audit/ (secretariat)")


def test_bench_with_tiny_sizes_loads_and_reports_every_page(tmp_path):
    if not shutil.which("wrk"):
        if os.environ.get("CI"):
            pytest.fail("wrk is missing in CI: .ci/run installs it (apt-get install wrk)")
        pytest.skip("wrk is missing: `sudo apt-get install wrk` (make bench and this smoke test load pages with it)")
    # Its own database beside the suite's, on the same server; this test process's Redis database, which every
    # test flushes anyway (tests/conftest.py), not another parallel process's.
    suite_database = urlsplit(os.environ["DATABASE_URL"]).path.strip("/")
    out = tmp_path / "latest.json"
    environment = {
        **os.environ,
        **TINY,
        "BENCH_DATABASE": f"{suite_database}_bench_smoke",
        "BENCH_REDIS_URL": settings.REDIS_URL,
        "BENCH_OUT": str(out),
    }

    done = subprocess.run(
        [sys.executable, "-m", "bench"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=480,  # some 70 s alone; far more while another test process shares the two cores
        check=False,
    )

    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    pages = results["pages"]
    assert [(row["name"], row["user"]) for row in pages] == [(page.path, page.user) for page in PAGES]
    assert [row for row in pages if not _measured(row)] == []
    assert results["reference_rps"] > 0
    assert (results["reference"]["before"]["queries"], results["reference"]["after"]["queries"]) == (1, 1)
    assert results["sizes"]["applications"] == 12
    assert results["sizes"]["recommended"] == 2
    proposal = results["proposal"]
    assert (proposal["applications"], proposal["pairs"]) == (6, 30)
    assert 0 < proposal["experts"] <= 12
    assert proposal["seconds"] > 0
    assert proposal["peak_mib"] > 0
    assert isinstance(proposal["meets_target"], bool)


def _measured(row: dict) -> bool:
    return (
        row["rps"] > 0
        and row["p50_ms"] > 0
        and row["p99_ms"] >= row["p50_ms"]
        and isinstance(row["queries"], int)
        and row["bytes"] >= (200 if row["name"].startswith("/api/") else 1000)  # an API answer of one row
        and row["ratio_to_reference"] > 0
        and row["peak_kib"] > 0
        and isinstance(row["meets_target"], bool)
    )
