"""axe-core in a Playwright page: the accessibility violations a person would be stopped by.

axe-core comes from the npm registry, pinned in package-lock.json (`make install` runs `npm ci`). The page's
Content Security Policy allows no inline script, so the file is not added as a `<script>` element
(`page.add_script_tag` is refused by the CSP): Playwright evaluates it through the browser's debugging
protocol, which the page's policy does not govern, and the page under test keeps its real policy.

    from tests.e2e.axe import serious_violations
    assert serious_violations(page) == []
"""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def _inject(page: Page) -> None:
    if page.evaluate("typeof window.axe === 'object'"):
        return
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run `make install` (it runs `npm ci`).", pytrace=False)
    # `;true` ends the script with a value that is cheap to send back (not the axe object itself).
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")


def violations(page: Page, *, impacts: tuple[str, ...] = SERIOUS) -> list[dict]:
    """axe-core's violations of the page as it stands, those of the given impacts, as axe reports them."""
    _inject(page)
    # target-size (tap targets of at least 24 × 24 px, WCAG 2.2 AA) is off in axe's defaults: on here.
    options = "{resultTypes: ['violations'], rules: {'target-size': {enabled: true}}}"
    results = page.evaluate(f"() => axe.run(document, {options})")
    return [violation for violation in results["violations"] if violation["impact"] in impacts]


def serious_violations(page: Page) -> list[str]:
    """One line per element that breaks a serious or critical rule: `rule (impact): selector — what to fix`."""
    return [
        f"{violation['id']} ({violation['impact']}): {' '.join(map(str, node['target']))} — {violation['help']}"
        for violation in violations(page)
        for node in violation["nodes"]
    ]
