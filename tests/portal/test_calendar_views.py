from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal import services
from portal.models import AuditEvent, CalendarDay
from portal.workdays import local_zone
from tests.factories import ExpertFactory, MinistryFactory, ProvincialDepartmentFactory, SocialGroupFactory, member_of

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


def test_calendar_year_secretariat_adds_a_make_up_day(secretariat_client, secretariat):
    response = secretariat_client.post(YEAR_2027, {"date": "2027-02-20", "kind": "workday", "name": "春节调休"})

    entry = CalendarDay.objects.get(date=SATURDAY)
    event = AuditEvent.objects.get()
    assert (response.status_code, response["Location"], _messages(response)) == (
        302,
        YEAR_2027,
        ["Feb. 20, 2027 is saved as: Make-up working day (调休)."],
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
    assert _messages(response) == ["Feb. 20, 2027 is removed: it counts Monday to Friday again."]


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
