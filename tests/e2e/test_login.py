"""Each demo role logs in through the form and lands on its dashboard; the language switch goes both ways."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import log_in
from tests.factories import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DEMO_ACCOUNTS = {
    "secretariat": "secretariat",
    "applicant": "applicant",
    "applicant2": "applicant",
    "recommender": "recommender",
    "expert1": "expert",
    "expert2": "expert",
    "expert3": "expert",
}
ROLES = ["applicant", "recommender", "expert", "secretariat"]


def expect_page_in_english(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Group Standard Application Demonstration Projects")


def expect_page_in_chinese(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("团体标准应用示范项目")


@pytest.mark.parametrize(("username", "role"), DEMO_ACCOUNTS.items(), ids=list(DEMO_ACCOUNTS))
def test_demo_account_logs_in_and_lands_on_its_dashboard(page: Page, demo_accounts, username, role):
    log_in(page, username, DEMO_PASSWORD)

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator(f"#role-{role}")).to_be_visible()
    for other in ROLES:
        if other != role:
            expect(page.locator(f"#role-{other}")).to_have_count(0)
    expect(page.locator(".user-menu .user-name")).not_to_be_empty()


def test_wrong_password_keeps_the_user_on_the_login_form(page: Page, demo_accounts):
    log_in(page, "applicant", "not-the-password")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator(".errorlist.nonfield")).to_be_visible()
    expect(page.locator("#id_username")).to_have_value("applicant")


def test_language_switch_turns_the_page_english_and_back(page: Page, demo_accounts):
    page.goto("/")
    expect_page_in_chinese(page)

    page.locator(".lang-switch button[value=en]").click()
    expect_page_in_english(page)
    expect(page).to_have_url(re.compile(r"/$"))

    page.get_by_role("button", name="简体中文").click()
    expect_page_in_chinese(page)
    expect(page.locator(".lang-switch button[aria-current=true]")).to_have_attribute("value", "zh-hans")
