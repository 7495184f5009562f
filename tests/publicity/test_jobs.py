"""The minute job (publicity.jobs.run): it opens and closes notices as time passes, catches up after downtime,
changes nothing on a second run, leaves a notice whole when it fails half-way, and follows the holiday table."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from portal.models import AuditEvent, CalendarDay, Notification
from projects import workflow
from projects.models import ApplicationStatus
from publicity import jobs, notifications
from publicity.models import Notice, NoticeStatus, Objection, ObjectionStatus
from publicity.windows import notice_end
from tests.publicity import factories

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)
S = ApplicationStatus


def _at(moment: datetime.datetime):
    return time_machine.travel(moment, tick=False)


def _run_at(moment: datetime.datetime) -> jobs.Run:
    with _at(moment):
        return jobs.run()


def _statuses(notice: Notice) -> list[str]:
    return sorted(notice.applications.values_list("status", flat=True))


def _moves(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def _state(notice: Notice) -> tuple:
    notice.refresh_from_db()
    return notice.status, notice.ends_at, _statuses(notice), AuditEvent.objects.count()


@pytest.fixture
def scheduled():
    return factories.scheduled_notice(count=2)


def test_run_before_the_start_opens_nothing(scheduled):
    done = _run_at(scheduled.starts_at - MINUTE)

    scheduled.refresh_from_db()
    assert (done.opened, scheduled.status, _statuses(scheduled)) == ([], NoticeStatus.SCHEDULED, [S.SHORTLISTED] * 2)


def test_run_at_the_start_opens_the_notice_and_puts_each_application_in_public_notice(scheduled):
    done = _run_at(scheduled.starts_at)

    scheduled.refresh_from_db()
    assert (done.opened, done.closed) == ([scheduled.pk], [])
    assert (scheduled.status, scheduled.opened_at) == (NoticeStatus.OPEN, scheduled.starts_at)
    assert _statuses(scheduled) == [S.IN_PUBLICITY] * 2
    assert (_moves("notice.open"), _moves("application.open_notice")) == (1, 2)


def test_run_after_the_end_closes_the_notice_announces_and_tells_the_secretariat(
    scheduled, django_capture_on_commit_callbacks
):
    _run_at(scheduled.starts_at + MINUTE)
    scheduled.refresh_from_db()
    assert _run_at(scheduled.ends_at - MINUTE).closed == []

    with django_capture_on_commit_callbacks(execute=True):
        done = _run_at(scheduled.ends_at)

    scheduled.refresh_from_db()
    assert (done.closed, scheduled.status, scheduled.closed_at) == (
        [scheduled.pk],
        NoticeStatus.CLOSED,
        scheduled.ends_at,
    )
    assert _statuses(scheduled) == [S.ANNOUNCED] * 2
    close = AuditEvent.objects.get(action="notice.close")
    assert (close.note, _moves("application.close_notice")) == ("2 announced, 0 held back by objections", 2)
    told = Notification.objects.filter(key=f"notice:{scheduled.pk}:closed:{close.pk}")
    assert sorted(told.values_list("recipient", flat=True)) == [user.pk for user in notifications.secretariat()]


def test_second_run_changes_nothing_and_writes_no_audit_row(scheduled):
    later = scheduled.ends_at + MINUTE
    _run_at(later)
    before = _state(scheduled)

    done = _run_at(later)

    assert (done, _state(scheduled)) == (jobs.Run(), before)


def test_one_run_long_after_the_end_opens_and_closes_what_it_missed(scheduled):
    done = _run_at(scheduled.ends_at + datetime.timedelta(days=30))

    scheduled.refresh_from_db()
    assert (done.opened, done.closed) == ([scheduled.pk], [scheduled.pk])
    assert (scheduled.status, _statuses(scheduled)) == (NoticeStatus.CLOSED, [S.ANNOUNCED] * 2)
    assert (_moves("application.open_notice"), _moves("application.close_notice")) == (2, 2)


def test_catch_up_handles_every_notice_due_at_once():
    first, second = factories.scheduled_notice(count=1), factories.scheduled_notice(count=1)

    done = _run_at(max(first.ends_at, second.ends_at) + MINUTE)

    assert (sorted(done.opened), sorted(done.closed)) == (sorted([first.pk, second.pk]), sorted([first.pk, second.pk]))
    assert set(Notice.objects.values_list("status", flat=True)) == {NoticeStatus.CLOSED}


def test_failure_mid_close_leaves_the_notice_open_and_every_application_unmoved(scheduled, monkeypatch):
    _run_at(scheduled.starts_at + MINUTE)
    scheduled.refresh_from_db()
    real_close, calls = workflow.close_notice, []

    def killed_on_the_second(application, **kwargs):
        calls.append(application.pk)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real_close(application, **kwargs)

    monkeypatch.setattr(workflow, "close_notice", killed_on_the_second)

    with pytest.raises(RuntimeError, match="worker killed"):
        _run_at(scheduled.ends_at + MINUTE)

    scheduled.refresh_from_db()
    assert (len(calls), scheduled.status, _statuses(scheduled)) == (2, NoticeStatus.OPEN, [S.IN_PUBLICITY] * 2)
    assert (_moves("application.close_notice"), _moves("notice.close")) == (0, 0)

    monkeypatch.undo()
    done = _run_at(scheduled.ends_at + 2 * MINUTE)

    scheduled.refresh_from_db()
    assert (done.closed, scheduled.status, _statuses(scheduled)) == (
        [scheduled.pk],
        NoticeStatus.CLOSED,
        [S.ANNOUNCED] * 2,
    )
    assert (_moves("application.close_notice"), _moves("notice.close")) == (2, 1)


def test_failure_mid_open_leaves_the_notice_scheduled_for_the_next_run(scheduled, monkeypatch):
    real_open = workflow.open_notice
    calls = []

    def killed_on_the_second(application, **kwargs):
        calls.append(application.pk)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real_open(application, **kwargs)

    monkeypatch.setattr(workflow, "open_notice", killed_on_the_second)
    with pytest.raises(RuntimeError):
        _run_at(scheduled.starts_at + MINUTE)
    scheduled.refresh_from_db()
    assert (scheduled.status, _statuses(scheduled), _moves("application.open_notice")) == (
        NoticeStatus.SCHEDULED,
        [S.SHORTLISTED] * 2,
        0,
    )

    monkeypatch.undo()
    _run_at(scheduled.starts_at + 2 * MINUTE)

    scheduled.refresh_from_db()
    assert (scheduled.status, _statuses(scheduled), _moves("application.open_notice")) == (
        NoticeStatus.OPEN,
        [S.IN_PUBLICITY] * 2,
        2,
    )


def _objection(notice: Notice, application, status: str = ObjectionStatus.RECEIVED) -> Objection:
    return Objection.objects.create(
        notice=notice,
        application=application,
        tracking_number=f"YY{notice.pk:06d}{application.pk:06d}",
        name="张三",
        phone="13800000000",
        email="zhang@example.cn",
        grounds="该标准的实施时间不足六个月。",
        status=status,
        created_at=timezone.now(),
    )


def test_pending_objection_holds_its_application_back_at_close():
    notice = factories.open_notice(count=3)
    held = notice.applications.order_by("pk").first()
    _objection(notice, held)

    _run_at(notice.ends_at + MINUTE)

    notice.refresh_from_db()
    held.refresh_from_db()
    assert (notice.status, held.status) == (NoticeStatus.CLOSED, S.IN_PUBLICITY)
    assert sorted(a.status for a in notice.applications.exclude(pk=held.pk)) == [S.ANNOUNCED] * 2
    assert AuditEvent.objects.get(action="notice.close").note == "2 announced, 1 held back by objections"


def test_dismissed_objection_does_not_hold_its_application_back():
    notice = factories.open_notice(count=1)
    _objection(notice, notice.applications.get(), status=ObjectionStatus.DISMISSED)

    _run_at(notice.ends_at + MINUTE)

    assert _statuses(notice) == [S.ANNOUNCED]


# --- the holiday table changes ---------------------------------------------------------------------------------
def _last_day(notice: Notice) -> datetime.date:
    return timezone.localtime(notice.ends_at, timezone.get_default_timezone()).date()


def _weekend_day_in(notice: Notice) -> datetime.date | None:
    zone = timezone.get_default_timezone()
    day = timezone.localtime(notice.starts_at, zone).date()
    while day <= _last_day(notice):
        if day.weekday() >= 5 and not CalendarDay.objects.filter(date=day).exists():
            return day
        day += datetime.timedelta(days=1)
    return None


def _holiday(day: datetime.date) -> CalendarDay:
    row, _created = CalendarDay.objects.update_or_create(
        date=day, defaults={"kind": CalendarDay.Kind.HOLIDAY, "name": "测试假日"}
    )
    return row


def _reschedules(notice: Notice) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="notice.reschedule", target_id=str(notice.pk)).order_by("pk"))


def test_holiday_added_moves_a_scheduled_notices_end_later_and_tells_the_secretariat(
    scheduled, django_capture_on_commit_callbacks
):
    old_end, last = scheduled.ends_at, _last_day(scheduled)
    _holiday(last)

    with django_capture_on_commit_callbacks(execute=True):
        done = _run_at(scheduled.starts_at - MINUTE)

    scheduled.refresh_from_db()
    [event] = _reschedules(scheduled)
    assert (done.rescheduled, scheduled.ends_at) == ([scheduled.pk], notice_end(scheduled.starts_at, 5))
    assert scheduled.ends_at > old_end
    assert scheduled.call.notice_closes_at == scheduled.ends_at
    assert Notification.objects.filter(key=f"notice:{scheduled.pk}:rescheduled:{event.pk}").exists()


def test_holiday_removed_moves_a_scheduled_notices_end_earlier(scheduled):
    old_end, last = scheduled.ends_at, _last_day(scheduled)
    row = _holiday(last)
    _run_at(scheduled.starts_at - 2 * MINUTE)
    row.delete()

    done = _run_at(scheduled.starts_at - MINUTE)

    scheduled.refresh_from_db()
    assert (done.rescheduled, scheduled.ends_at, len(_reschedules(scheduled))) == ([scheduled.pk], old_end, 2)


def test_holiday_added_while_open_moves_the_end_later_audited():
    notice = factories.open_notice(count=1)
    old_end = notice.ends_at
    _holiday(_last_day(notice))

    done = _run_at(notice.starts_at + 2 * MINUTE)

    notice.refresh_from_db()
    [event] = _reschedules(notice)
    assert (done.rescheduled, notice.status, notice.ends_at > old_end) == ([notice.pk], NoticeStatus.OPEN, True)
    assert (event.actor, "instead of" in event.note) == (None, True)


def test_workday_added_while_open_never_moves_the_end_earlier():
    notice = factories.open_notice(count=1, working_days=10)
    weekend = _weekend_day_in(notice)
    assert weekend is not None, "a ten-working-day window spans a weekend"
    old_end = notice.ends_at
    CalendarDay.objects.create(date=weekend, kind=CalendarDay.Kind.WORKDAY, name="调休上班")
    assert notice_end(notice.starts_at, notice.working_days) < old_end  # the calendar would close it earlier

    done = _run_at(notice.starts_at + 2 * MINUTE)

    notice.refresh_from_db()
    assert (done.rescheduled, notice.ends_at, _reschedules(notice)) == ([], old_end, [])
