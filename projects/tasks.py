"""Celery tasks of the application stage: thin, keyword-only, idempotent."""

from celery import shared_task

from projects import notifications


@shared_task(name="projects.notify", autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def task_notify(*, application_id: int, event: str) -> None:
    notifications.send(application_id=application_id, event=event)
