"""Reminders of a review's due date: once three days before, then every day until the review is submitted, each
recorded once per day however often the job runs."""

import datetime
import zoneinfo

import pytest
import time_machine

from portal.models import Notification
from reviews.models import Reminder, Review, ReviewSettings, ReviewStatus
from reviews.services import assignments as services
from reviews.tasks import task_send_reminders
from tests.factories import ExpertFactory, MinistryFactory, admitted_applications, member_of

pytestmark = pytest.mark.django_db
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
DUE = datetime.datetime(2027, 3, 20, 17, 0, tzinfo=BEIJING)


@pytest.fixture
def assignment():
    application = admitted_applications()[0]
    ReviewSettings.objects.create(call=application.call, due_at=DUE)
    expert = ExpertFactory()
    expert.expertise.create(field="electronics")
    return services.assign(application, expert, by=member_of(MinistryFactory()))


def _run_on(day: int, hour: int = 9) -> None:
    with time_machine.travel(datetime.datetime(2027, 3, day, hour, 0, tzinfo=BEIJING), tick=False):
        task_send_reminders.delay()


def _reminded_on(assignment) -> list[datetime.date]:
    return list(Reminder.objects.filter(assignment=assignment).order_by("sent_on").values_list("sent_on", flat=True))


def test_no_reminder_before_three_days_ahead(assignment):
    _run_on(16)

    assert _reminded_on(assignment) == []


def test_three_days_before_then_daily_each_once_even_when_the_job_runs_twice(assignment):
    for day in (16, 17, 17, 18, 19, 19, 20, 21):
        _run_on(day)
    _run_on(21, hour=23)

    expected = [datetime.date(2027, 3, day) for day in (17, 18, 19, 20, 21)]
    assert _reminded_on(assignment) == expected
    reminders = Notification.objects.filter(recipient=assignment.expert.user, key__contains=":reminder:")
    assert reminders.count() == 5


def test_a_submitted_review_is_not_reminded(assignment):
    _run_on(17)
    Review.objects.create(assignment=assignment, status=ReviewStatus.SUBMITTED)

    _run_on(18)

    assert _reminded_on(assignment) == [datetime.date(2027, 3, 17)]


def test_an_ended_assignment_is_not_reminded(assignment):
    services.unassign(assignment, by=assignment.assigned_by, reason="调整")

    _run_on(18)

    assert _reminded_on(assignment) == []
