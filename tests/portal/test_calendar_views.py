import html
import re
from datetime import date, timedelta

import chinese_calendar
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from portal import services
from portal.models import AuditEvent, CalendarDay
from portal.workdays import local_zone
from tests.factories import ExpertFactory, MinistryFactory, ProvincialDepartmentFactory, SocialGroupFactory, member_of
from tests.holiday_notices import NOTICE_2026

pytestmark = pytest.mark.django_db

YEAR_2027 = reverse("portal:calendar_year", args=[2027])
SATURDAY = date(2027, 2, 20)
MONDAY = date(2027, 2, 22)


@pytest.fixture(autouse=True)
def _english(settings):
    # Assertions read the English source text, whatever translations the catalogue holds.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _empty_2027():
    CalendarDay.objects.filter(date__year=2027).delete()


@pytest.fixture
def secretariat():
    return member_of(MinistryFactory(), username="mii")


@pytest.fixture
def secretariat_client(client, secretariat):
    client.force_login(secretariat)
    return client


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _shown(day: date) -> str:
    """A date as the English page writes it."""
    with translation.override("en"):
        return date_format(day)


def _undo_form_fields(content: str) -> dict[str, str]:
    form = re.search(r'<form [^>]*id="calendar-undo-form".*?</form>', content, re.DOTALL)[0]
    fields = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form)
    return {name: value for name, value in fields if name != "csrfmiddlewaretoken"}


def test_calendar_year_secretariat_adds_a_make_up_day(secretariat_client, secretariat):
    response = secretariat_client.post(YEAR_2027, {"date": "2027-02-20", "kind": "workday", "name": "春节调休"})

    entry = CalendarDay.objects.get(date=SATURDAY)
    event = AuditEvent.objects.get()
    assert (response.status_code, response["Location"], _messages(response)) == (
        302,
        YEAR_2027,
        ["2027-02-20 is saved as: Make-up working day (调休)."],
    )
    assert (entry.kind, entry.name) == ("workday", "春节调休")
    assert (event.action, event.actor, event.target_id, event.from_state, event.to_state, event.note) == (
        "calendar.set",
        secretariat,
        str(entry.pk),
        "",
        "workday",
        "春节调休",
    )


def test_calendar_year_saving_a_listed_date_changes_it(secretariat_client):
    CalendarDay.objects.create(date=SATURDAY, kind="workday", name="调休")

    secretariat_client.post(YEAR_2027, {"date": "2027-02-20", "kind": "holiday", "name": "春节"})

    entry = CalendarDay.objects.get(date=SATURDAY)
    event = AuditEvent.objects.get()
    assert (entry.kind, entry.name, event.from_state, event.to_state) == ("holiday", "春节", "workday", "holiday")


def test_calendar_year_saving_the_same_entry_writes_no_event(secretariat_client):
    CalendarDay.objects.create(date=SATURDAY, kind="workday", name="调休")

    secretariat_client.post(YEAR_2027, {"date": "2027-02-20", "kind": "workday", "name": "调休"})

    assert (CalendarDay.objects.filter(date__year=2027).count(), AuditEvent.objects.count()) == (1, 0)


def test_calendar_year_date_of_another_year_is_refused_keeping_the_input(secretariat_client):
    response = secretariat_client.post(YEAR_2027, {"date": "2026-06-13", "kind": "workday", "name": "春节调休"})

    content = response.content.decode()
    assert (
        response.status_code,
        CalendarDay.objects.filter(date="2026-06-13").exists(),
        AuditEvent.objects.count(),
    ) == (
        400,
        False,
        0,
    )
    assert "Choose a date in 2027; this page edits that year only." in content
    assert 'value="2026-06-13"' in content
    assert 'value="春节调休"' in content
    assert 'id="id_kind_1" checked' in content  # the make-up day's radio button


def test_calendar_year_make_up_day_on_a_weekday_is_refused(secretariat_client):
    response = secretariat_client.post(YEAR_2027, {"date": MONDAY.isoformat(), "kind": "workday", "name": ""})

    assert (response.status_code, CalendarDay.objects.filter(date=MONDAY).exists()) == (400, False)
    assert "A make-up working day falls on a Saturday or Sunday; this date is a weekday." in response.content.decode()


def test_calendar_year_missing_kind_is_refused(secretariat_client):
    response = secretariat_client.post(YEAR_2027, {"date": "2027-02-20", "name": "春节"})

    content = response.content.decode()
    assert (response.status_code, "This field is required." in content, 'value="春节"' in content) == (400, True, True)


def test_calendar_year_lists_the_years_exceptions_in_date_order(secretariat_client):
    CalendarDay.objects.create(date=date(2027, 2, 11), kind="holiday", name="春节")
    CalendarDay.objects.create(date=SATURDAY, kind="workday", name="春节调休")

    response = secretariat_client.get(YEAR_2027)

    content = response.content.decode()
    assert [day.date for day in response.context["days"]] == [date(2027, 2, 11), SATURDAY]
    assert content.index("2027-02-11") < content.index("2027-02-20")
    assert "Make-up working day (调休)" in content
    assert "No holidays are entered for 2027" not in content


def test_calendar_year_without_data_warns_monday_to_friday(secretariat_client):
    response = secretariat_client.get(YEAR_2027)

    assert (
        "No holidays are entered for 2027: its working days are counted Monday to Friday" in response.content.decode()
    )


def test_calendar_year_change_link_fills_the_form(secretariat_client):
    CalendarDay.objects.create(date=SATURDAY, kind="workday", name="春节调休")

    response = secretariat_client.get(YEAR_2027, {"date": "2027-02-20"})

    assert response.context["form"].initial == {"date": SATURDAY, "kind": "workday", "name": "春节调休"}


@pytest.mark.parametrize("year", [1999, 2101])
def test_calendar_year_outside_2000_to_2100_is_not_found(secretariat_client, year):
    response = secretariat_client.get(reverse("portal:calendar_year", args=[year]))

    assert (response.status_code, CalendarDay.objects.filter(date__year=year).exists()) == (404, False)


def test_calendar_delete_removes_the_entry_and_audits(secretariat_client, secretariat):
    entry = CalendarDay.objects.create(date=SATURDAY, kind="workday", name="春节调休")

    response = secretariat_client.post(reverse("portal:calendar_delete", args=[2027, entry.pk]))

    event = AuditEvent.objects.get()
    assert (response["Location"], CalendarDay.objects.filter(pk=entry.pk).exists()) == (YEAR_2027, False)
    assert (event.action, event.actor, event.from_state, event.to_state, event.note) == (
        "calendar.delete",
        secretariat,
        "workday",
        "",
        "春节调休",
    )
    assert _messages(response) == ["2027-02-20 is removed: it counts Monday to Friday again."]


def test_calendar_delete_by_get_is_not_allowed(secretariat_client):
    entry = CalendarDay.objects.create(date=SATURDAY, kind="workday")

    response = secretariat_client.get(reverse("portal:calendar_delete", args=[2027, entry.pk]))

    assert (response.status_code, CalendarDay.objects.filter(pk=entry.pk).exists()) == (405, True)


def test_calendar_delete_entry_of_another_year_is_not_found(secretariat_client):
    entry = CalendarDay.objects.create(date=SATURDAY, kind="workday")

    response = secretariat_client.post(reverse("portal:calendar_delete", args=[2026, entry.pk]))

    assert (response.status_code, CalendarDay.objects.filter(pk=entry.pk).exists()) == (404, True)


def test_calendar_index_lists_years_with_counts_and_warns_of_next_year(secretariat_client):
    this_year = timezone.now().astimezone(local_zone()).year
    CalendarDay.objects.filter(date__year__in=[this_year, this_year + 1]).delete()
    CalendarDay.objects.create(date=date(this_year, 1, 1), kind="holiday", name="元旦")

    response = secretariat_client.get(reverse("portal:calendar"))

    content = response.content.decode()
    row = next(row for row in response.context["years"] if row.year == this_year)
    assert (row.holidays, row.workdays, response.context["missing_years"]) == (1, 0, [this_year + 1])
    assert f"The calendar has no holidays for {this_year + 1}" in content
    assert f"The calendar has no holidays for {this_year}:" not in content


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: member_of(SocialGroupFactory()),
        lambda: member_of(ProvincialDepartmentFactory()),
        lambda: ExpertFactory().user,
    ],
    ids=["applicant", "recommender", "expert"],
)
def test_calendar_pages_other_roles_are_forbidden(client, make_user):
    entry = CalendarDay.objects.create(date=SATURDAY, kind="workday")
    client.force_login(make_user())

    statuses = [
        client.get(reverse("portal:calendar")).status_code,
        client.get(YEAR_2027).status_code,
        client.post(YEAR_2027, {"date": "2027-02-27", "kind": "workday"}).status_code,
        client.post(reverse("portal:calendar_delete", args=[2027, entry.pk])).status_code,
    ]

    assert (statuses, CalendarDay.objects.filter(date__year=2027).count(), AuditEvent.objects.count()) == (
        [403, 403, 403, 403],
        1,
        0,
    )


def test_calendar_pages_anonymous_is_sent_to_login(client):
    response = client.get(YEAR_2027)

    assert response["Location"] == f"{reverse('login')}?next={YEAR_2027}"


def test_set_calendar_day_unknown_kind_is_refused_and_writes_nothing():
    with pytest.raises(ValidationError):
        services.set_calendar_day(day=SATURDAY, kind="festival")

    assert (CalendarDay.objects.filter(date=SATURDAY).exists(), AuditEvent.objects.count()) == (False, 0)


def test_delete_calendar_day_without_entry_writes_nothing():
    services.delete_calendar_day(day=SATURDAY)

    assert AuditEvent.objects.count() == 0


# --- a range of days ------------------------------------------------------------------------------------
def _calendar(year: int) -> list[tuple[date, str, str]]:
    return list(CalendarDay.objects.filter(date__year=year).values_list("date", "kind", "name"))


def test_calendar_year_range_sets_each_day_and_audits_each(secretariat_client, secretariat):
    response = secretariat_client.post(
        YEAR_2027, {"date": "2027-10-01", "until": "2027-10-07", "kind": "holiday", "name": "国庆节"}
    )

    events = AuditEvent.objects.order_by("id")
    assert (response["Location"], _messages(response)) == (
        YEAR_2027,
        [f"7 days, {_shown(date(2027, 10, 1))} to {_shown(date(2027, 10, 7))}, are saved as: Holiday (day off)."],
    )
    assert _calendar(2027) == [(date(2027, 10, day), "holiday", "国庆节") for day in range(1, 8)]
    assert [(event.action, event.actor, event.to_state) for event in events] == [
        ("calendar.set", secretariat, "holiday")
    ] * 7


def test_calendar_year_range_audits_only_the_days_that_change(secretariat_client):
    CalendarDay.objects.create(date=date(2027, 10, 1), kind="holiday", name="国庆节")

    secretariat_client.post(
        YEAR_2027, {"date": "2027-10-01", "until": "2027-10-03", "kind": "holiday", "name": "国庆节"}
    )

    assert [event.target_id for event in AuditEvent.objects.order_by("id")] == [
        str(CalendarDay.objects.get(date=date(2027, 10, day)).pk) for day in (2, 3)
    ]


def test_calendar_year_range_of_make_up_days_over_weekdays_is_refused_naming_them(secretariat_client):
    response = secretariat_client.post(
        YEAR_2027, {"date": "2027-02-19", "until": "2027-02-22", "kind": "workday", "name": "春节调休"}
    )

    content = response.content.decode()
    assert (response.status_code, _calendar(2027), AuditEvent.objects.count()) == (400, [], 0)
    assert (
        "A make-up working day falls on a Saturday or Sunday; these dates are weekdays: 2027-02-19, 2027-02-22."
        in content
    )
    assert ('value="2027-02-19"' in content, 'value="2027-02-22"' in content) == (True, True)


def test_calendar_year_range_ending_in_another_year_is_refused(secretariat_client):
    response = secretariat_client.post(
        YEAR_2027, {"date": "2027-12-31", "until": "2028-01-02", "kind": "holiday", "name": "元旦"}
    )

    assert (response.status_code, CalendarDay.objects.filter(date__gte="2027-12-31").count()) == (400, 0)
    assert "Choose a date in 2027; this page edits that year only." in response.content.decode()


def test_calendar_year_range_ending_before_it_starts_is_refused(secretariat_client):
    response = secretariat_client.post(
        YEAR_2027, {"date": "2027-10-07", "until": "2027-10-01", "kind": "holiday", "name": "国庆节"}
    )

    assert (response.status_code, _calendar(2027)) == (400, [])
    assert "The last day comes before the first; choose a later one." in response.content.decode()


# --- removing a day and undoing it ----------------------------------------------------------------------
def test_calendar_delete_offers_to_undo_once_on_the_next_page(secretariat_client):
    entry = CalendarDay.objects.create(date=SATURDAY, kind="workday", name="春节调休")
    secretariat_client.post(reverse("portal:calendar_delete", args=[2027, entry.pk]))

    first = secretariat_client.get(YEAR_2027)
    again = secretariat_client.get(YEAR_2027)

    removed = first.context["removed"]
    assert ((removed.date, removed.kind, removed.name), again.context["removed"]) == (
        (SATURDAY, "workday", "春节调休"),
        None,
    )
    content = first.content.decode()
    assert (
        "You removed the entry for 2027-02-20: Make-up working day (调休) 春节调休."
        " Removed by mistake? Put it back as it was." in content
    )
    assert _undo_form_fields(content) == {"date": "2027-02-20", "kind": "workday", "name": "春节调休"}
    assert 'id="calendar-undo"' not in again.content.decode()


def test_calendar_delete_undo_is_offered_on_its_own_years_page_only(secretariat_client):
    entry = CalendarDay.objects.create(date=SATURDAY, kind="workday", name="春节调休")
    secretariat_client.post(reverse("portal:calendar_delete", args=[2027, entry.pk]))

    other_year = secretariat_client.get(reverse("portal:calendar_year", args=[2026]))
    own_year = secretariat_client.get(YEAR_2027)

    assert (other_year.context["removed"], own_year.context["removed"].date) == (None, SATURDAY)


def test_calendar_undo_puts_the_removed_day_back_and_audits(secretariat_client, secretariat):
    entry = CalendarDay.objects.create(date=SATURDAY, kind="workday", name="春节调休")
    secretariat_client.post(reverse("portal:calendar_delete", args=[2027, entry.pk]))

    response = secretariat_client.post(
        YEAR_2027, {"date": "2027-02-20", "kind": "workday", "name": "春节调休", "undo": "1"}
    )

    events = AuditEvent.objects.order_by("id")
    assert (_calendar(2027), _messages(response)) == (
        [(SATURDAY, "workday", "春节调休")],
        [
            f"{_shown(SATURDAY)} is removed: it counts Monday to Friday again.",
            f"{_shown(SATURDAY)} is back as: Make-up working day (调休).",
        ],
    )
    assert [(event.action, event.actor, event.from_state, event.to_state) for event in events] == [
        ("calendar.delete", secretariat, "workday", ""),
        ("calendar.set", secretariat, "", "workday"),
    ]


# --- a pasted State Council schedule --------------------------------------------------------------------
SCHEDULE_2026 = reverse("portal:calendar_schedule", args=[2026])


@pytest.fixture
def empty_2026():
    CalendarDay.objects.filter(date__year=2026).delete()


def _preview_rows(content: str) -> list[tuple[str, str]]:
    """(date, what the calendar holds now) for each row of the preview table."""
    rows = re.findall(r'<tr data-date="([\d-]+)">.*?<td class="schedule-now">\s*(.*?)\s*</td>', content, re.DOTALL)
    return [(day, re.sub(r"\s+", " ", now)) for day, now in rows]


def test_calendar_schedule_page_offers_the_paste_form(secretariat_client):
    response = secretariat_client.get(SCHEDULE_2026)

    content = response.content.decode()
    assert (response.context["schedule"], 'id="schedule-form"' in content, 'name="text"' in content) == (
        None,
        True,
        True,
    )


def test_calendar_year_page_offers_the_paste_form_for_its_year(secretariat_client):
    content = secretariat_client.get(YEAR_2027).content.decode()

    assert re.findall(r'<form method="post" action="([^"]+)" id="schedule-form">', content) == [
        reverse("portal:calendar_schedule", args=[2027])
    ]


def test_calendar_schedule_shows_what_was_read_and_saves_nothing(secretariat_client, empty_2026):
    CalendarDay.objects.create(date=date(2026, 1, 1), kind="holiday", name="元旦")
    CalendarDay.objects.create(date=date(2026, 1, 4), kind="holiday", name="错误")

    response = secretariat_client.post(SCHEDULE_2026, {"text": NOTICE_2026})

    content = response.content.decode()
    rows = _preview_rows(content)
    assert (response.status_code, len(rows), _calendar(2026), AuditEvent.objects.count()) == (
        200,
        39,
        [(date(2026, 1, 1), "holiday", "元旦"), (date(2026, 1, 4), "holiday", "错误")],
        0,
    )
    assert rows[:5] == [
        ("2026-01-01", "Listed as read: unchanged"),
        ("2026-01-02", "Not listed: added"),
        ("2026-01-03", "Not listed: added"),
        ("2026-01-04", "Replaces: Holiday (day off) 错误"),
        ("2026-02-14", "Not listed: added"),
    ]
    assert "Days off: 33; make-up working days: 6." in content
    assert "Save 39 days" in content
    assert "6 passages not read as part of the schedule" in content


def test_calendar_schedule_confirm_form_carries_the_text_as_pasted(secretariat_client, empty_2026):
    content = secretariat_client.post(SCHEDULE_2026, {"text": NOTICE_2026}).content.decode()

    form = re.search(r'<form [^>]*id="schedule-confirm-form".*?</form>', content, re.DOTALL)[0]
    hidden = re.search(r'<input type="hidden" name="text" value="([^"]*)">', form)[1]
    assert html.unescape(hidden) == NOTICE_2026


def test_calendar_schedule_confirmed_saves_each_day_and_audits_each(secretariat_client, secretariat, empty_2026):
    response = secretariat_client.post(SCHEDULE_2026, {"text": NOTICE_2026, "confirm": "1"})

    saved = _calendar(2026)
    expected = {(day, "holiday") for day in chinese_calendar.holidays if day.year == 2026}
    expected |= {(day, "workday") for day in chinese_calendar.workdays if day.year == 2026}
    assert (response["Location"], _messages(response)) == (
        reverse("portal:calendar_year", args=[2026]),
        ["39 days of the schedule are saved; 39 of them new or changed."],
    )
    assert {(day, kind) for day, kind, _name in saved} == expected
    assert [row for row in saved if row[0].month == 1] == [
        (date(2026, 1, 1), "holiday", "元旦"),
        (date(2026, 1, 2), "holiday", "元旦"),
        (date(2026, 1, 3), "holiday", "元旦"),
        (date(2026, 1, 4), "workday", "元旦调休"),
    ]
    assert set(AuditEvent.objects.values_list("action", "actor", "to_state")) == {
        ("calendar.set", secretariat.pk, "holiday"),
        ("calendar.set", secretariat.pk, "workday"),
    }
    assert AuditEvent.objects.count() == 39


def test_calendar_schedule_confirmed_again_changes_nothing(secretariat_client, empty_2026):
    secretariat_client.post(SCHEDULE_2026, {"text": NOTICE_2026, "confirm": "1"})

    response = secretariat_client.post(SCHEDULE_2026, {"text": NOTICE_2026, "confirm": "1"})

    assert (_messages(response)[-1], AuditEvent.objects.count()) == (
        "39 days of the schedule are saved; 0 of them new or changed.",
        39,
    )


def test_calendar_schedule_line_that_cannot_be_read_is_refused_keeping_the_text(secretariat_client, empty_2026):
    text = NOTICE_2026.replace("共3天。1月4日", "共4天。1月4日")

    response = secretariat_client.post(SCHEDULE_2026, {"text": text, "confirm": "1"})

    content = html.unescape(response.content.decode())
    assert (response.status_code, _calendar(2026), AuditEvent.objects.count()) == (400, [], 0)
    assert (
        "Line 4 could not be read: “一、元旦：1月1日（周四）至3日（周六）放假调休，共4天。1月4日（周日）上班。”."
        " The line says 4 days, but 2026-01-01 to 2026-01-03 are 3 days." in content
    )
    assert text.strip() in content  # the textarea keeps what was pasted


def test_calendar_schedule_of_another_year_is_refused(secretariat_client):
    response = secretariat_client.post(reverse("portal:calendar_schedule", args=[2027]), {"text": NOTICE_2026})

    assert (response.status_code, response.context["schedule"]) == (400, None)
    assert (
        "Line 1 could not be read: “国务院办公厅关于2026年部分节假日安排的通知”."
        " This is the schedule for 2026; this page edits 2027." in html.unescape(response.content.decode())
    )


@pytest.mark.parametrize(
    "make_user",
    [lambda: member_of(SocialGroupFactory()), lambda: ExpertFactory().user],
    ids=["applicant", "expert"],
)
def test_calendar_schedule_other_roles_are_forbidden(client, make_user):
    CalendarDay.objects.filter(date__year=2026).delete()
    client.force_login(make_user())

    statuses = [
        client.get(SCHEDULE_2026).status_code,
        client.post(SCHEDULE_2026, {"text": NOTICE_2026, "confirm": "1"}).status_code,
    ]

    assert (statuses, _calendar(2026)) == ([403, 403], [])


@pytest.mark.parametrize("rows", [1, 20])
def test_calendar_year_asks_the_same_number_of_queries_for_1_and_20_rows(
    secretariat_client, django_assert_num_queries, rows
):
    for offset in range(rows):
        CalendarDay.objects.create(date=date(2027, 1, 1) + timedelta(days=offset), kind="holiday", name="节日")

    # user, roles (memberships, expert register), the unread count (navigation), the year's days
    with django_assert_num_queries(5):
        response = secretariat_client.get(YEAR_2027)

    assert len(response.context["days"]) == rows


@pytest.mark.parametrize("line", [0, 3])
def test_calendar_schedule_preview_asks_the_same_number_of_queries_for_few_and_many_days(
    secretariat_client, django_assert_num_queries, empty_2026, line
):
    text = NOTICE_2026.splitlines()[3 + line]  # 元旦, 4 days; 劳动节, 6 days

    # user, roles (memberships, expert register), the unread count (navigation), the calendar's entries now
    with django_assert_num_queries(5):
        response = secretariat_client.post(SCHEDULE_2026, {"text": text})

    assert len(response.context["rows"]) == (4 if line == 0 else 6)
