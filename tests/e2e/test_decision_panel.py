"""The recommender's decision beside the application in a real Chromium: a sticky panel beside the content on a
desk (1280 px), after it on a phone (390 px); a choice shows only its fields, and a return or a decline is
confirmed on the next page, where going back keeps everything typed.

Selectors use ids, names and URLs, not labels, so the journey holds in Chinese and in English.
"""

import pytest
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from projects.models import Application, ApplicationStatus
from projects.services.seed import seed_demo_call
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.factories import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
S = ApplicationStatus
REASON = "请补充实施企业的产值数据来源。"
FIELDS = ("opinion", "rank", "reason")


@pytest.fixture
def awaiting(demo_accounts) -> Application:
    """The demo group's application in the demo recommender's inbox (seed_demo), awaiting its decision."""
    seed_demo_call()
    return Application.objects.get(group__code="ZZB", status=S.SUBMITTED)


def in_chinese(text: str) -> str:
    with translation.override("zh-hans"):
        return str(translation.gettext(text))


def visible_fields(page: Page) -> dict[str, bool]:
    return {name: page.locator(f"#decision-form #id_{name}").is_visible() for name in FIELDS}


def test_decision_panel_beside_the_content_shows_each_choices_fields_and_confirms_a_return(page: Page, awaiting):
    log_in(page, "recommender", DEMO_PASSWORD)
    page.goto(awaiting.get_absolute_url())
    panel, content = page.locator("#decision"), page.locator(".application-main")

    # Beside the content, and still in view once the reader has scrolled to the last section.
    page.locator("#section-attachments").scroll_into_view_if_needed()
    expect(panel).to_be_in_viewport()
    assert panel.bounding_box()["x"] >= content.bounding_box()["x"] + content.bounding_box()["width"]
    assert page.evaluate("window.scrollY") > 1000
    expect(page.locator("#decision-group-rank")).to_have_text("—")

    # No choice, no field; each choice shows its own.
    assert visible_fields(page) == {"opinion": False, "rank": False, "reason": False}
    form = page.locator("#decision-form")
    form.locator("input[name=decision][value=recommend]").check()
    assert visible_fields(page) == {"opinion": True, "rank": True, "reason": False}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "decision_panel_beside_the_content_1280.png")  # the screen, mid-journey
    form.locator("input[name=decision][value=return]").check()
    assert visible_fields(page) == {"opinion": False, "rank": False, "reason": True}
    expect(form.locator("label[for=id_reason]")).to_contain_text(in_chinese("Reasons for the return"))

    # A return is asked about first; going back keeps the reasons and the choice.
    form.locator("#id_reason").fill(REASON)
    form.locator("button[type=submit]").click()
    expect(page.locator("#decision-confirm-reason")).to_have_text(REASON)
    page.locator("#decision-confirm-form button[name=change]").click()
    expect(page.locator("#decision-form #id_reason")).to_have_value(REASON)
    expect(page.locator("#decision-form input[name=decision][value=return]")).to_be_checked()
    assert visible_fields(page) == {"opinion": False, "rank": False, "reason": True}
    awaiting.refresh_from_db()
    assert awaiting.status == S.SUBMITTED

    # Confirmed, it is made.
    page.locator("#decision-form button[type=submit]").click()
    page.locator("#decision-confirm-form button[name=confirm]").click()
    expect(page.locator(".messages .notice-success")).to_be_visible()
    expect(page.locator("#decision")).to_have_count(0)
    awaiting.refresh_from_db()
    assert awaiting.status == S.RETURNED


def test_decision_panel_follows_the_content_on_a_phone_and_confirms_a_decline(
    browser: Browser, live_server, awaiting, request
):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        log_in(page, "recommender", DEMO_PASSWORD)
        page.goto(awaiting.get_absolute_url())
        panel, last_section = page.locator("#decision"), page.locator("#section-attachments")

        # After the content, within the screen's width; the page's header links to it.
        assert panel.bounding_box()["y"] >= last_section.bounding_box()["y"] + last_section.bounding_box()["height"]
        assert panel.bounding_box()["x"] + panel.bounding_box()["width"] <= 390
        page.locator("main a[href='#application-aside']").click()
        expect(panel).to_be_in_viewport()
        page.screenshot(path=ARTIFACTS / "decision_panel_after_the_content_390.png")  # the screen, mid-journey

        form = page.locator("#decision-form")
        form.locator("input[name=decision][value=decline]").check()
        assert visible_fields(page) == {"opinion": False, "rank": False, "reason": True}
        form.locator("#id_reason").fill(REASON)
        form.locator("button[type=submit]").click()
        expect(page.locator("#decision-confirm-reason")).to_have_text(REASON)
        page.locator("#decision-confirm-form button[name=confirm]").click()
        expect(page.locator(".messages .notice-success")).to_be_visible()
        awaiting.refresh_from_db()
        assert awaiting.status == S.NOT_RECOMMENDED
    finally:
        page.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
        context.close()
