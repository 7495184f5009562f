"""Celery tasks of the application stage: thin, keyword-only, idempotent."""

import smtplib

from celery import shared_task

from projects import notifications


# Transient mail failures are retried: each recipient's notification commits with their message, so a retry
# reaches only those not reached yet. `event_id` (the audit event) is optional: messages queued before it was
# passed still run, against the application's latest event of the kind.
@shared_task(
    name="projects.notify",
    autoretry_for=(ConnectionError, smtplib.SMTPException),
    retry_backoff=True,
    max_retries=5,
)
def task_notify(*, application_id: int, event: str, event_id: int | None = None) -> None:
    notifications.send(application_id=application_id, event=event, event_id=event_id)


@shared_task(
    name="projects.notify_recommender_extension",
    autoretry_for=(ConnectionError, smtplib.SMTPException),
    retry_backoff=True,
    max_retries=5,
)
def task_notify_recommender_extension(*, extension_id: int, event_id: int) -> None:
    notifications.send_recommender_extension(extension_id=extension_id, event_id=event_id)
