import logging

import pytest
from django.db import connection

from portal import audit
from portal.models import AuditEvent
from portal.tasks import task_verify_audit_chain

pytestmark = pytest.mark.django_db


def _chain(n: int) -> list[AuditEvent]:
    return [audit.record(action="test.event", note=f"event {i}") for i in range(n)]


def _tamper(event: AuditEvent) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE portal_auditevent DISABLE TRIGGER portal_auditevent_append_only")
        cursor.execute("UPDATE portal_auditevent SET note = 'rewritten' WHERE id = %s", [event.pk])


def test_task_verify_audit_chain_intact_records_the_count():
    _chain(2)

    result = task_verify_audit_chain.delay()

    event = AuditEvent.objects.latest("id")
    assert (result.get(), event.action, event.note, event.actor, audit.verify_chain()) == (
        2,
        "audit.verified",
        "2 events checked",
        None,
        (3, None),
    )


def test_task_verify_audit_chain_twice_records_once():
    _chain(2)

    task_verify_audit_chain.delay()
    task_verify_audit_chain.delay()

    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["test.event", "test.event", "audit.verified"]


def test_task_verify_audit_chain_broken_mails_admins_and_records_nothing(settings, mailoutbox, caplog):
    settings.ADMINS = [("Operations", "ops@example.cn")]
    _first, second, _third = _chain(3)
    _tamper(second)

    with caplog.at_level(logging.ERROR, logger="portal.tasks"):
        result = task_verify_audit_chain.delay()

    (mail,) = mailoutbox
    expected = (
        f"Audit chain broken at event #{second.pk}: content does not match its hash: this event was changed. "
        "1 events before it are intact."
    )
    assert (result.get(), mail.to, mail.subject, mail.body.splitlines()[0]) == (
        None,
        ["ops@example.cn"],
        f"{settings.EMAIL_SUBJECT_PREFIX}Audit chain broken",
        expected,
    )
    assert ([r.getMessage() for r in caplog.records], AuditEvent.objects.filter(action="audit.verified").count()) == (
        [expected],
        0,
    )
