"""Deadlines at the exact second, in Asia/Shanghai, with one group's extension.

The clock is `django.utils.timezone.now`, which the workflow reads; setting it is not mocking the database.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from portal.models import AuditEvent
from projects import workflow
from projects.models import ApplicationStatus, DeadlineExtension
from tests.factories import CallFactory, MinistryFactory, SocialGroupFactory, make_application, member_of

pytestmark = pytest.mark.django_db
S = ApplicationStatus
BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BEIJING)


DEADLINE = beijing(2026, 6, 30, 17, 0, 0)


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = beijing(2026, 6, 10, 10, 0, 0)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, moment: datetime.datetime) -> None:
        self.now = moment


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def call(clock):
    return CallFactory(
        opens_at=beijing(2026, 6, 1, 9, 0, 0),
        deadline=DEADLINE,
        implementation_cutoff=datetime.date(2026, 6, 30),
        recommendation_deadline=beijing(2026, 7, 31, 17, 0, 0),
    )


def _extend(call, group, until: datetime.datetime) -> DeadlineExtension:
    return DeadlineExtension.objects.create(
        call=call, organisation=group, until=until, reason="系统故障", granted_by=member_of(MinistryFactory())
    )


def _submit_events(application) -> int:
    return AuditEvent.objects.for_object(application).filter(action="application.submit").count()


def test_submit_at_the_deadline_second_accepted(clock, call):
    application = make_application(call=call, complete=True)
    clock.set(beijing(2026, 6, 30, 17, 0, 0))

    workflow.submit(application, by=application.created_by)

    application.refresh_from_db()
    assert (application.status, application.submitted_at) == (S.SUBMITTED, DEADLINE)


def test_submit_one_second_after_the_deadline_refused_and_nothing_written(clock, call):
    application = make_application(call=call, complete=True)
    clock.set(beijing(2026, 6, 30, 17, 0, 1))

    with pytest.raises(workflow.TransitionRefused):
        workflow.submit(application, by=application.created_by)

    application.refresh_from_db()
    assert (application.status, application.submitted_at, _submit_events(application)) == (S.DRAFT, None, 0)


def test_submit_late_refusal_names_the_deadline_in_beijing_time(clock, call):
    application = make_application(call=call, complete=True)
    clock.set(beijing(2026, 6, 30, 17, 0, 1))

    with translation.override("en"), pytest.raises(workflow.TransitionRefused) as refused:
        workflow.submit(application, by=application.created_by)

    # 17:00 in Beijing is 09:00 UTC: the message must say 5 p.m.
    assert refused.value.message == (
        "The call is not open for applications: it opens 2026-06-01 09:00 and closes 2026-06-30 17:00 (Beijing time)."
    )


def test_submit_late_refusal_names_beijing_time_whatever_the_active_time_zone(clock, call):
    application = make_application(call=call, complete=True)
    clock.set(beijing(2026, 6, 30, 17, 0, 1))

    with translation.override("zh-hans"), timezone.override("UTC"), pytest.raises(workflow.TransitionRefused) as r:
        workflow.submit(application, by=application.created_by)

    message = r.value.message
    # One format for moments since issue 10: 2026-06-30 17:00, as every page writes them.
    assert ("2026-06-01 09:00" in message, "2026-06-30 17:00" in message, "2026-06-30 09:00" in message) == (
        True,
        True,
        False,
    )


def test_create_at_the_opening_second_accepted_and_one_second_before_refused(clock, call):
    group = SocialGroupFactory()
    clock.set(beijing(2026, 6, 1, 8, 59, 59))
    with pytest.raises(workflow.TransitionRefused):
        make_application(call=call, group=group)

    clock.set(beijing(2026, 6, 1, 9, 0, 0))
    application = make_application(call=call, group=group)

    assert (application.status, application.created_at) == (S.DRAFT, beijing(2026, 6, 1, 9, 0, 0))


def test_extension_lets_that_group_submit_until_its_second(clock, call):
    group = SocialGroupFactory()
    application = make_application(call=call, group=group, complete=True)
    _extend(call, group, beijing(2026, 7, 3, 12, 0, 0))
    clock.set(beijing(2026, 7, 3, 12, 0, 0))

    workflow.submit(application, by=application.created_by)

    application.refresh_from_db()
    assert (application.status, _submit_events(application)) == (S.SUBMITTED, 1)


def test_extension_refuses_one_second_after_naming_the_extended_deadline(clock, call):
    group = SocialGroupFactory()
    application = make_application(call=call, group=group, complete=True)
    _extend(call, group, beijing(2026, 7, 3, 12, 0, 0))
    clock.set(beijing(2026, 7, 3, 12, 0, 1))

    with translation.override("zh-hans"), pytest.raises(workflow.TransitionRefused) as refused:
        workflow.submit(application, by=application.created_by)

    application.refresh_from_db()
    assert ("2026-07-03 12:00" in refused.value.message, application.status) == (True, S.DRAFT)


def test_extension_of_one_group_does_not_help_another(clock, call):
    extended, other = SocialGroupFactory(), SocialGroupFactory()
    late = make_application(call=call, group=other, complete=True)
    _extend(call, extended, beijing(2026, 7, 3, 12, 0, 0))
    clock.set(beijing(2026, 7, 1, 9, 0, 0))

    with pytest.raises(workflow.TransitionRefused):
        workflow.submit(late, by=late.created_by)
    on_time = make_application(call=call, group=extended, complete=True)
    workflow.submit(on_time, by=on_time.created_by)

    late.refresh_from_db()
    on_time.refresh_from_db()
    assert (late.status, on_time.status) == (S.DRAFT, S.SUBMITTED)


def test_extension_earlier_than_the_call_deadline_does_not_shorten_it(clock, call):
    group = SocialGroupFactory()
    application = make_application(call=call, group=group, complete=True)
    _extend(call, group, beijing(2026, 6, 20, 17, 0, 0))
    clock.set(DEADLINE)

    workflow.submit(application, by=application.created_by)

    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_withdraw_after_the_deadline_still_allowed(clock, call):
    application = make_application(call=call, complete=True)
    workflow.submit(application, by=application.created_by)
    clock.set(beijing(2026, 8, 1, 9, 0, 0))

    workflow.withdraw(application, by=application.created_by, reason="标准即将修订。")

    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
