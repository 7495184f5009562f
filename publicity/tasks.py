"""Celery tasks of the public-notice stage: thin, keyword-only, idempotent."""

import smtplib

from celery import shared_task

from publicity import jobs, notifications, objection_mail

_MAIL_RETRY = {"autoretry_for": (ConnectionError, smtplib.SMTPException), "retry_backoff": True, "max_retries": 5}


@shared_task(name="publicity.run_notices")
def task_run_notices() -> dict:
    """Every minute (beat): open and close the notices that are due. Running it twice changes nothing more."""
    done = jobs.run()
    return {"rescheduled": done.rescheduled, "opened": done.opened, "closed": done.closed}


@shared_task(name="publicity.notify_closed", **_MAIL_RETRY)
def task_notify_closed(*, notice_id: int, event_id: int, announced: int, held: int) -> None:
    notifications.send_notice_closed(notice_id=notice_id, event_id=event_id, announced=announced, held=held)


@shared_task(name="publicity.notify_rescheduled", **_MAIL_RETRY)
def task_notify_rescheduled(*, notice_id: int, event_id: int) -> None:
    notifications.send_notice_rescheduled(notice_id=notice_id, event_id=event_id)


_OBJECTION_MAILS = {
    "filed": lambda pk: objection_mail.send_filed(objection_id=pk),
    "forwarded": lambda pk: objection_mail.send_forwarded(forward_id=pk),
    "answered": lambda pk: objection_mail.send_answered(forward_id=pk),
    "decided": lambda pk: objection_mail.send_decided(objection_id=pk),
}


@shared_task(name="publicity.objection_mail", **_MAIL_RETRY)
def task_objection_mail(*, kind: str, pk: int) -> None:
    """Tell the filer, the secretariat or an organisation's staff what happened to an objection. The portal's
    notifications are keyed, so a retry notifies no one twice in the portal."""
    _OBJECTION_MAILS[kind](pk)
