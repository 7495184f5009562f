"""The audit log as the secretariat reads it (issue 10): labels for actions, states and notes, in the list and
in its filter; the codes stay in the CSV export and in attributes that tests and scripts select by."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import audit, services
from portal.models import AuditEvent, CalendarDay
from projects import workflow
from tests.factories import MinistryFactory, make_application, member_of
from tests.leaks import find_leaks

pytestmark = pytest.mark.django_db

LIST_URL = reverse("portal:audit_list")


@pytest.fixture
def secretariat_client(client):
    client.force_login(member_of(MinistryFactory(), username="mii", name="王秘书"))
    return client


def _cells(html: str, event_id: int) -> list[str]:
    """The visible text of the row of one event, cell by cell."""
    row = re.search(rf'<tr>\s*<td class="num">{event_id}</td>(.*?)</tr>', html, re.DOTALL).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def test_audit_list_shows_the_action_and_states_of_a_transition_as_labels(secretariat_client):
    application = make_application(complete=True)
    workflow.submit(application, by=application.created_by)
    event = AuditEvent.objects.get(action="application.submit")

    html = secretariat_client.get(LIST_URL).content.decode()

    cells = _cells(html, event.id)
    assert (cells[2], cells[4]) == ("已提交", "草稿 → 至 已提交")  # the arrow for the eye, "至" for the ear
    assert 'data-action="application.submit">已提交</td>' in html


def test_audit_list_shows_a_calendar_change_with_the_kinds_of_day(secretariat_client):
    CalendarDay.objects.create(date="2031-10-08", kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    services.set_calendar_day(day=datetime.date(2031, 10, 8), kind=CalendarDay.Kind.WORKDAY, name="调休上班", by=None)
    event = AuditEvent.objects.get(action="calendar.set")

    cells = _cells(secretariat_client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode(), event.id)

    assert (cells[2], cells[4], cells[5]) == (
        "Calendar day set",
        "Holiday (day off) → to Make-up working day (调休)",
        "调休上班",
    )


def test_audit_filter_offers_the_actions_by_their_labels_in_the_apps_order(secretariat_client):
    make_application()  # the group's profile, its standard and the application
    audit.record(action="custom.thing")

    html = secretariat_client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    select = html[html.index('<select name="action"') : html.index("</select>", html.index('<select name="action"'))]
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
    assert options == [
        ("", "All actions"),
        ("socialgroup.create", "Social group registered"),
        ("standard.create", "Standard registered"),
        ("application.create", "Application started"),
        ("custom.thing", "custom.thing"),
    ]


def test_audit_list_in_chinese_shows_no_internal_code(secretariat_client):
    application = make_application(complete=True)
    workflow.submit(application, by=application.created_by)
    services.set_calendar_day(day=datetime.date(2031, 10, 8), kind=CalendarDay.Kind.WORKDAY, name="调休上班", by=None)
    secretariat_client.get(reverse("portal:audit_export"))  # an export event, with its filter in the note

    html = secretariat_client.get(LIST_URL).content.decode()

    assert find_leaks(html, allowed={"mii"}) == []


def test_audit_list_query_count_does_not_grow_with_labelled_events_of_several_kinds(
    secretariat_client, django_assert_num_queries
):
    def add_events() -> None:
        application = make_application(complete=True)
        workflow.submit(application, by=application.created_by)

    add_events()
    secretariat_client.get(LIST_URL)  # content types cached, as in a running process
    with CaptureQueriesContext(connection) as one:
        secretariat_client.get(LIST_URL)
    for _ in range(19):
        add_events()

    with django_assert_num_queries(len(one.captured_queries)):
        response = secretariat_client.get(LIST_URL)

    assert len(response.context["page_obj"]) == 20  # a page of the list, however many events
