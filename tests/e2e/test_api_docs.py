"""The open-data API's documentation page in a real Chromium: Swagger UI from the portal's own static files,
under the strict Content Security Policy, with no violation, reading the schema and trying an operation.

Selectors are Swagger UI's own classes and the operations' paths, so the journey holds in either language.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import serious_violations
from tests.publicity.register_factories import imported_announcement

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Every CSP violation the page reports, recorded before any of its own script runs.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def test_the_docs_page_renders_the_schema_without_a_csp_violation(page: Page, live_server):
    project = imported_announcement(count=1).projects.get()
    console = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.add_init_script(RECORD_VIOLATIONS)

    response = page.goto("/api/v1/docs/")

    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("header.api-docs-header h1")).to_have_count(1)
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("open data API")
    operation = page.locator(".opblock-get", has=page.locator("[data-path='/api/v1/projects/']"))
    expect(operation).to_be_visible()
    # The page as it opens; an operation's expanded form is Swagger UI's own (its selects have no label).
    assert serious_violations(page) == []
    # Try the register's list from the page: Swagger UI fetches it from the same origin.
    operation.locator(".opblock-summary").click()
    page.locator(".try-out__btn").click()
    page.locator(".execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    expect(operation.locator(".live-responses-table .highlight-code").first).to_contain_text(project.name)

    assert page.evaluate("window.__violations") == []
    assert [text for text in console if "Content Security Policy" in text] == []
    assert all(url.startswith(live_server.url) for url in requested), "every asset from the portal itself"
