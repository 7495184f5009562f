"""End-to-end fixtures: Playwright's sync API drives the system's Chromium against pytest-django's live server.

Chromium is real, never skipped: without it these tests fail and say what to install.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Browser, Page, sync_playwright

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
def page(browser: Browser, live_server, request):
    """A fresh browser context per test; a full-page screenshot of where the journey ended is kept."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{_file_name(request.node.name)}.png", full_page=True)
    context.close()


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
