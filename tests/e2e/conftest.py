"""End-to-end fixtures: Playwright's sync API drives the system's Chromium against pytest-django's live server.

Chromium is real, never skipped: without it these tests fail and say what to install. The `page` fixture opens a
desk-sized window (1280 px); a module or test marked `both_widths` runs once there and once in a phone's (390 px),
its ids and screenshots named by the width. Every page it loads is scanned for leaked internal codes
(tests/e2e/leaks.py), and the test fails at its end naming each page that showed one.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.leaks import assert_no_leaks

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "e2e"
INSTALL_HINT = "apt-get install chromium fonts-noto-cjk"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# A desk and a phone (an iPhone 12–15's CSS pixels): the widths the journeys are walked at (issue 10).
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
WIDTHS = {"1280": DESKTOP, "390": PHONE}
# `pytestmark = [..., both_widths]`, or on one test: each test runs at both widths, [1280] and [390] in its id.
both_widths = pytest.mark.parametrize("window", list(WIDTHS.values()), ids=list(WIDTHS), indirect=True)
# One width, for what only that width shows (the menu button on a phone).
on_a_phone = pytest.mark.parametrize("window", [PHONE], ids=["390"], indirect=True)
on_a_desk = pytest.mark.parametrize("window", [DESKTOP], ids=["1280"], indirect=True)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("PLAYWRIGHT_CHROMIUM", "")
    if not path or not os.access(path, os.X_OK):
        pytest.fail(
            f"No Chromium at PLAYWRIGHT_CHROMIUM={path!r}. Install it with `{INSTALL_HINT}` "
            "or point PLAYWRIGHT_CHROMIUM at a Chromium binary.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
    except Exception as exc:
        playwright.stop()
        pytest.fail(f"Chromium at {chromium_path} did not start ({exc}). Try `{INSTALL_HINT}`.", pytrace=False)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def window(request) -> dict:
    """The browser window's options: a desk's unless the test is parametrized by `both_widths`."""
    return getattr(request, "param", DESKTOP)


@pytest.fixture
def page(browser: Browser, live_server, window, request):
    """A fresh browser context per test; a full-page screenshot of where the journey ended is kept."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **window)
    page = context.new_page()
    page.set_default_timeout(10_000)
    leaks = LeakScan()
    page.on("load", leaks.check)
    yield page
    leaks.check(page)  # the page as the journey left it, after any htmx swap
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{_file_name(request.node.name)}.png", full_page=True)
    context.close()
    call = getattr(request.node, "rep_call", None)
    if leaks.found and call is not None and call.passed:  # a failed test's own failure is the one to read
        pytest.fail("\n\n".join(leaks.found), pytrace=False)


class LeakScan:
    """Every page a test loads, checked for leaked internal codes (tests/e2e/leaks.py) as it loads.

    A listener's exception would only be logged by Playwright: each failure is kept for the test's end.
    """

    def __init__(self) -> None:
        self.found: list[str] = []

    def check(self, page: Page) -> None:
        try:
            assert_no_leaks(page)
        except pytest.fail.Exception as failure:
            if str(failure) not in self.found:
                self.found.append(str(failure))
        except PlaywrightError:
            pass  # the page moved on before it could be read; the next one's load is checked


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # The outcome of the test's call, for the `page` fixture's teardown.
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


@pytest.fixture
def demo_accounts(transactional_db) -> None:
    """The demo accounts of DESIGN.md (password `portal-demo`), as `make run` seeds them."""
    call_command("seed_demo", verbosity=0)


def _file_name(test_name: str) -> str:
    return re.sub(r"[^\w.\-\[\]]+", "_", test_name)


def log_in(page: Page, username: str, password: str) -> None:
    """Log in through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
