"""A real Celery worker, on the Redis broker, runs the nightly audit check against the real database."""

import time

import pytest
from celery.contrib.testing.worker import start_worker

from portal import audit
from portal.celery import app as celery_app
from portal.models import AuditEvent
from portal.tasks import task_verify_audit_chain

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_worker_runs_verify_audit_chain_from_the_broker():
    assert celery_app.conf.broker_url.startswith("redis://")
    audit.record(action="test.event", note="before the worker")
    celery_app.conf.task_always_eager = False  # the autouse fixture made tasks eager; this test wants the broker

    with start_worker(celery_app, perform_ping_check=False, pool="solo"):
        task_verify_audit_chain.delay()
        found = _wait_for(lambda: AuditEvent.objects.filter(action="audit.verified").exists())

    assert found, "the worker did not record audit.verified within 20 s"
    verified = AuditEvent.objects.get(action="audit.verified")
    assert (verified.note, verified.actor, audit.verify_chain()) == ("1 events checked", None, (2, None))
