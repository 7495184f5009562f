"""The portal's scheduled jobs. Thin: they call a service and leave the deciding to it."""

import logging

from celery import shared_task
from django.core.mail import mail_admins
from django.db import OperationalError

from portal import audit
from portal.models import AuditEvent

logger = logging.getLogger(__name__)

VERIFIED = "audit.verified"


@shared_task(name="portal.verify_audit_chain", autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def task_verify_audit_chain() -> int | None:
    """Check the audit chain; record `audit.verified` with the count, or tell the admins where it broke.

    Idempotent: when nothing was appended since the last verification, a second run records nothing.
    Returns the number of events checked, or None when the chain is broken.
    """
    checked, broken = audit.verify_chain()
    if broken is not None:
        message = (
            f"Audit chain broken at event #{broken.event_id}: {broken.reason}. {checked} events before it are intact."
        )
        logger.error(message)
        mail_admins("Audit chain broken", f"{message}\nRun `manage.py verify_audit` to check again.")
        return None
    last_action = AuditEvent.objects.order_by("-id").values_list("action", flat=True).first()
    if last_action != VERIFIED:
        audit.record(action=VERIFIED, note=f"{checked} events checked")
    return checked
