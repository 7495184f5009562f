"""Two workers run the minute job at the same moment, each on its own database connection: the row locks (SKIP
LOCKED on the notice, FOR UPDATE on each application) let every application move exactly once."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from portal.models import AuditEvent, CalendarDay
from projects.models import ApplicationStatus
from publicity import jobs
from publicity.models import Notice, NoticeStatus
from tests.publicity import factories

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 2


def _run_together(moment: datetime.datetime) -> list[jobs.Run]:
    """`jobs.run` in WORKERS threads released at once by a barrier; each thread's own connection, closed after."""
    barrier, results, errors = threading.Barrier(WORKERS), [], []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(jobs.run())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    with time_machine.travel(moment, tick=False):
        threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    return results


def _moves_per_application(action: str) -> list[int]:
    events = AuditEvent.objects.filter(action=action)
    counts = {}
    for target in events.values_list("target_id", flat=True):
        counts[target] = counts.get(target, 0) + 1
    return sorted(counts.values())


def test_two_workers_at_once_open_and_close_each_notice_once_and_move_each_application_once():
    notices = [factories.scheduled_notice(count=3), factories.scheduled_notice(count=2)]
    late = max(notice.ends_at for notice in notices) + datetime.timedelta(minutes=1)

    runs = _run_together(late)

    opened = sorted(pk for run in runs for pk in run.opened)
    closed = sorted(pk for run in runs for pk in run.closed)
    pks = sorted(notice.pk for notice in notices)
    assert (opened, closed) == (pks, pks)
    assert set(Notice.objects.values_list("status", flat=True)) == {NoticeStatus.CLOSED}
    statuses = [status for notice in notices for status in notice.applications.values_list("status", flat=True)]
    assert statuses == [ApplicationStatus.ANNOUNCED] * 5
    assert _moves_per_application("application.open_notice") == [1] * 5
    assert _moves_per_application("application.close_notice") == [1] * 5
    assert (
        AuditEvent.objects.filter(action="notice.open").count(),
        AuditEvent.objects.filter(action="notice.close").count(),
    ) == (2, 2)


def test_two_workers_at_once_after_the_holidays_changed_reschedule_once():
    notice = factories.scheduled_notice(count=1)
    last = timezone.localtime(notice.ends_at, timezone.get_default_timezone()).date()
    CalendarDay.objects.update_or_create(date=last, defaults={"kind": CalendarDay.Kind.HOLIDAY, "name": "测试假日"})

    runs = _run_together(notice.starts_at - datetime.timedelta(minutes=1))

    assert sorted(pk for run in runs for pk in run.rescheduled) == [notice.pk]
    assert AuditEvent.objects.filter(action="notice.reschedule").count() == 1
