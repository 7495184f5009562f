"""Celery tasks of the review stage: thin, keyword-only, idempotent."""

import smtplib

from celery import shared_task

from reviews.services import assignment_notices, assignments, shortlisting

_MAIL_RETRY = {"autoretry_for": (ConnectionError, smtplib.SMTPException), "retry_backoff": True, "max_retries": 5}


@shared_task(name="reviews.propose")
def task_propose(*, token: str) -> None:
    """Solve a large call's proposal, keeping its progress and result in the shared cache under `token`."""
    assignments.run_proposal(token)


@shared_task(name="reviews.notify_assigned", **_MAIL_RETRY)
def task_notify_assigned(*, assignment_ids: list[int], event_id: int) -> None:
    assignment_notices.send_assigned(assignment_ids=assignment_ids, event_id=event_id)


@shared_task(name="reviews.notify_declined", **_MAIL_RETRY)
def task_notify_declined(*, assignment_id: int, event_id: int) -> None:
    assignment_notices.send_declined(assignment_id=assignment_id, event_id=event_id)


@shared_task(name="reviews.send_reminders", **_MAIL_RETRY)
def task_send_reminders() -> None:
    """Daily: remind experts of reviews due within three days, once per assignment and day."""
    assignment_notices.send_due_reminders()


@shared_task(name="reviews.decide_shortlist")
def task_decide_shortlist(*, token: str) -> None:
    """Shortlist a large call and mark the rest not selected, keeping the outcome in the shared cache."""
    shortlisting.run_decision(token)
