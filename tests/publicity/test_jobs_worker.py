"""A real Celery worker on the Redis broker runs the beat entry "run-public-notices" against the real database
and a notice opens, then closes, as time moves on."""

import datetime
import time

import pytest
import time_machine
from celery.beat import Scheduler
from celery.contrib.testing.worker import start_worker
from celery.schedules import crontab
from django.conf import settings

from portal.celery import app as celery_app
from projects.models import ApplicationStatus
from publicity.models import Notice, NoticeStatus
from tests.publicity import factories

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
ENTRY = "run-public-notices"


def _wait_for(predicate, timeout: float = 20.0) -> bool:
    # Polls the database the worker writes to (on the wall clock: time-machine moves only the portal's "now").
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _status(notice: Notice) -> str:
    return Notice.objects.get(pk=notice.pk).status


def test_beat_entry_sends_the_notice_task_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE[ENTRY]

    assert (entry["task"], entry["schedule"]) == ("publicity.run_notices", crontab())


def test_worker_opens_then_closes_a_notice_from_the_beat_entry():
    assert celery_app.conf.broker_url.startswith("redis://")
    notice = factories.scheduled_notice(count=2)
    celery_app.conf.task_always_eager = False  # the autouse fixture made tasks eager; this test wants the broker
    # Beat's own scheduler, with the project's schedule: each tick of the entry sends its task to the broker.
    beat = Scheduler(app=celery_app, lazy=False)
    entry = beat.schedule[ENTRY]

    with start_worker(celery_app, perform_ping_check=False, pool="solo"):
        with time_machine.travel(notice.starts_at + datetime.timedelta(minutes=1)):
            beat.apply_entry(entry, producer=beat.producer)
            opened = _wait_for(lambda: _status(notice) == NoticeStatus.OPEN)
        with time_machine.travel(notice.ends_at + datetime.timedelta(minutes=1)):
            beat.apply_entry(entry, producer=beat.producer)
            closed = _wait_for(lambda: _status(notice) == NoticeStatus.CLOSED)

    assert (opened, closed) == (True, True), "the worker did not open and close the notice within 20 s each"
    statuses = list(notice.applications.values_list("status", flat=True))
    assert statuses == [ApplicationStatus.ANNOUNCED] * 2
