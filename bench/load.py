"""Serve the portal with gunicorn, check a page once, load it with wrk, wait for the machine to go idle."""

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench.middleware import HEADER

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
THREADS, CONNECTIONS = 2, 16
# wrk's default timeout (2 s) would count a slow page's queued requests as socket errors; gunicorn's own
# timeout (30 s) is the bound a request has in production.
WRK_TIMEOUT = "30s"
LOGIN_FORM = 'action="/accounts/login/'


class BrokenPage(Exception):
    """A page that cannot be measured: the message names it and says what it answered."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(log: Path, health_path: str) -> Iterator[str]:
    """gunicorn with bench.settings on a free port of 127.0.0.1, its own process group; the base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "portal.wsgi:application",
        f"--workers={WORKERS}",
        "--worker-class=sync",
        f"--bind=127.0.0.1:{port}",
        f"--error-logfile={log}",
        "--log-level=warning",
    ]
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server = subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(server, base + health_path, log)
        yield base
    finally:
        _stop(server)


def _wait_until_serving(server: subprocess.Popen, url: str, log: Path, within: float = 60) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BrokenPage(f"gunicorn exited with {server.returncode}; its log ({log}):\n{_tail(log)}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - ours
            if response.status == 200:
                return
        time.sleep(0.2)
    raise BrokenPage(f"gunicorn did not answer {url} within {within:.0f} s; its log ({log}):\n{_tail(log)}")


def _tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else "(no log)"


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def probe(url: str, *, name: str, cookie: str | None, min_bytes: int) -> dict[str, int]:
    """GET `url` once: it must be a 200 that is not the login page and holds at least `min_bytes`."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            status, body, queries = response.status, response.read(), response.headers.get(HEADER)
            kind = response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        where = f" to {error.headers.get('Location')}" if error.headers.get("Location") else ""
        raise BrokenPage(f"{name} answered {error.code}{where}: the benchmark measures working pages only") from None
    except OSError as error:
        raise BrokenPage(f"{name} did not answer: {error}") from None
    if status != 200:
        raise BrokenPage(f"{name} answered {status}: the benchmark measures working pages only")
    if LOGIN_FORM in body.decode(errors="replace"):
        raise BrokenPage(f"{name} showed the login form: the session did not sign its user in")
    if len(body) < min_bytes:
        raise BrokenPage(f"{name} answered {len(body)} bytes, fewer than the {min_bytes} a page has")
    if kind == "application/json" and _empty_list(body):
        raise BrokenPage(f"{name} answered an empty list: the fill has nothing for it to show")
    if queries is None:
        raise BrokenPage(f"{name} has no {HEADER} header: is gunicorn running bench.settings?")
    return {"bytes": len(body), "queries": int(queries)}


def _empty_list(body: bytes) -> bool:
    """An API list (`{"count": …, "results": […]}`) with no row, or not JSON at all."""
    try:
        document = json.loads(body)
    except ValueError:
        return True
    return isinstance(document, dict) and document.get("results") == []


def wrk(url: str, *, name: str, cookie: str | None, seconds: int) -> dict[str, float]:
    """Load `url` with wrk at 16 connections for `seconds`: requests per second and the 50th/99th percentiles."""
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", f"--timeout={WRK_TIMEOUT}", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BrokenPage(f"wrk on {name} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    return parse_wrk(done.stdout, name=name)


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def parse_wrk(output: str, *, name: str) -> dict[str, float]:
    """Requests/sec and the 50% and 99% latency lines of `wrk --latency`; errors and non-2xx/3xx raise."""
    failures = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", output)
    if failures:
        raise BrokenPage(f"{name}: {failures.group(1)} responses under load were not 2xx or 3xx")
    errors = re.search(r"Socket errors:\s*(.*)", output)
    if errors:
        raise BrokenPage(f"{name}: socket errors under load ({errors.group(1).strip()})")
    rps = re.search(r"Requests/sec:\s*([\d.]+)", output)
    latencies = dict(re.findall(r"^\s*(50|99)(?:\.000)?%\s+([\d.]+\s*[a-z]+)", output, re.MULTILINE))
    if not rps or set(latencies) != {"50", "99"}:
        raise BrokenPage(f"{name}: cannot read wrk's output:\n{output}")
    if re.search(r"^\s*0 requests in", output, re.MULTILINE):
        raise BrokenPage(f"{name}: not one request answered while wrk ran")
    return {"rps": float(rps.group(1)), "p50_ms": _ms(latencies["50"]), "p99_ms": _ms(latencies["99"])}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)\s*([a-z]+)", text.strip()).groups()
    return round(float(value) * _UNITS_MS[unit], 2)


def settle(seconds: float, *, idle_share: float = 0.8, at_most: float = 10) -> None:
    """Sleep `seconds`, then until the CPUs are `idle_share` idle over half a second, `at_most` seconds more."""
    if seconds <= 0:
        return
    time.sleep(seconds)
    deadline = time.monotonic() + at_most
    while time.monotonic() < deadline and _idle_share(0.5) < idle_share:
        pass


def _idle_share(over: float) -> float:
    def sample() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        return values[3] + values[4], sum(values)  # idle + iowait, total

    try:
        idle_before, total_before = sample()
        time.sleep(over)
        idle_after, total_after = sample()
    except OSError:  # no /proc: the plain sleep was the wait
        return 1.0
    return (idle_after - idle_before) / max(total_after - total_before, 1)
