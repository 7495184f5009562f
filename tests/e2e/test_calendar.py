"""The secretariat's working-day calendar in a real Chromium: a range of days entered at once, a removed day put
back by undoing, and the State Council's schedule pasted as published, checked in a preview and saved.

Selectors use ids, names and URLs, not labels, so the journey holds in Chinese and in English.
"""

import re
from datetime import date

import chinese_calendar
import pytest
from playwright.sync_api import Page, expect

from portal.models import CalendarDay
from tests.e2e.conftest import log_in
from tests.factories import DEMO_PASSWORD
from tests.holiday_notices import NOTICE_2026

# serialized_rollback: the calendar the data migration wrote comes back for the tests after these.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NATIONAL_DAY_2027 = [f"2027-10-0{day}" for day in range(1, 8)]


def _listed(page: Page):
    return page.locator("section[aria-labelledby=calendar-days-title] tbody time")


def test_secretariat_enters_a_range_removes_a_day_and_undoes_it(page: Page, demo_accounts):
    CalendarDay.objects.filter(date__year=2027).delete()
    log_in(page, "secretariat", DEMO_PASSWORD)
    page.goto("/calendar/2027/")

    page.locator("#id_date").fill("2027-10-01")
    page.locator("#id_until").fill("2027-10-07")
    page.locator("input[name=kind][value=holiday]").check()
    page.locator("#id_name").fill("国庆节")
    page.locator("#calendar-day-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/calendar/2027/$"))
    expect(_listed(page)).to_have_text(NATIONAL_DAY_2027)
    assert list(CalendarDay.objects.filter(date__year=2027).values_list("name", flat=True)) == ["国庆节"] * 7

    last = CalendarDay.objects.get(date=date(2027, 10, 7))
    page.locator(f'form[action="/calendar/2027/delete/{last.pk}/"] button[type=submit]').click()
    expect(page.locator("#calendar-undo")).to_be_visible()
    expect(_listed(page)).to_have_text(NATIONAL_DAY_2027[:6])

    page.locator("#calendar-undo-button").click()
    expect(page).to_have_url(re.compile(r"/calendar/2027/$"))
    expect(page.locator("#calendar-undo")).to_have_count(0)
    expect(_listed(page)).to_have_text(NATIONAL_DAY_2027)
    assert [day.isoformat() for day in CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)] == (
        NATIONAL_DAY_2027
    )


def test_secretariat_pastes_the_state_councils_schedule_checks_it_and_saves_it(page: Page, demo_accounts):
    CalendarDay.objects.filter(date__year=2026).delete()
    log_in(page, "secretariat", DEMO_PASSWORD)
    page.goto("/calendar/2026/")

    # A line that does not add up is refused, naming it, and the text stays to be corrected.
    mistyped = NOTICE_2026.replace("共3天。1月4日", "共4天。1月4日")
    page.locator("#id_text").fill(mistyped)
    page.locator("#schedule-read").click()
    expect(page).to_have_url(re.compile(r"/calendar/2026/schedule/$"))
    expect(page.locator("#schedule-form .errorlist")).to_contain_text("一、元旦：1月1日（周四）至3日（周六）")
    expect(page.locator("#id_text")).to_have_value(mistyped)
    expect(page.locator("#schedule-preview")).to_have_count(0)

    page.locator("#id_text").fill(NOTICE_2026)
    page.locator("#schedule-read").click()
    expect(page.locator("#schedule-preview tbody tr")).to_have_count(39)
    expect(page.locator('#schedule-preview tr[data-date="2026-02-14"]')).to_be_visible()
    assert CalendarDay.objects.filter(date__year=2026).count() == 0  # nothing saved before the confirmation

    page.locator("#schedule-save").click()
    expect(page).to_have_url(re.compile(r"/calendar/2026/$"))
    expect(_listed(page)).to_have_count(39)
    saved = set(CalendarDay.objects.filter(date__year=2026).values_list("date", "kind"))
    assert saved == {(day, "holiday") for day in chinese_calendar.holidays if day.year == 2026} | {
        (day, "workday") for day in chinese_calendar.workdays if day.year == 2026
    }
