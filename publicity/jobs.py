"""The scheduled job of the public notices, run every minute by Celery beat (`publicity.run_notices`).

Each run catches up with everything due, so a run after downtime opens and closes what it missed. Each notice
is opened or closed in one transaction, under its row lock taken with SKIP LOCKED: two workers running at once
each take different notices, and a worker killed mid-way leaves the notice and every application as they were,
for the next run to finish. The ends are recomputed first, so that a change of the holidays is honoured.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from projects import workflow
from projects.models import ApplicationStatus
from publicity import rules
from publicity.models import Notice, NoticeStatus
from publicity.services import notices

logger = logging.getLogger(__name__)


@dataclass
class Run:
    rescheduled: list[int] = field(default_factory=list)
    opened: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)


def run(now: datetime | None = None) -> Run:
    """Recompute the ends, then open the notices whose start has come and close those whose end has passed."""
    now = now or timezone.now()
    done = Run()
    for notice in Notice.objects.filter(status__in=[NoticeStatus.SCHEDULED, NoticeStatus.OPEN]):
        moved = notices.recompute_end(notice)
        if moved is not None:
            done.rescheduled.append(notice.pk)
            _after_commit_rescheduled(notice.pk, moved.event_id)
    due = Notice.objects.filter(status=NoticeStatus.SCHEDULED, starts_at__lte=now).values_list("pk", flat=True)
    done.opened = [pk for pk in due if open_one(pk, now)]
    ending = Notice.objects.filter(status=NoticeStatus.OPEN, ends_at__lte=now).values_list("pk", flat=True)
    done.closed = [pk for pk in ending if close_one(pk, now)]
    return done


def _due(pk: int, status: str) -> Notice | None:
    # SKIP LOCKED: a notice another worker is opening or closing is its; the status filter skips one it just did.
    return Notice.objects.select_for_update(skip_locked=True).filter(pk=pk, status=status).first()


@transaction.atomic
def open_one(pk: int, now: datetime) -> bool:
    """Open a scheduled notice whose start has come: each listed shortlisted application goes in public notice."""
    notice = _due(pk, NoticeStatus.SCHEDULED)
    if notice is None or notice.starts_at > now:
        return False
    for application in notices.listed_applications(notice).filter(status=ApplicationStatus.SHORTLISTED):
        workflow.open_notice(application, by=None)
    notice.status = NoticeStatus.OPEN
    notice.opened_at = now
    notice.save(update_fields=["status", "opened_at", "updated_at"])
    audit.record(action="notice.open", target=notice, from_state=NoticeStatus.SCHEDULED, to_state=NoticeStatus.OPEN)
    logger.info("public notice %s opened", notice.pk)
    return True


@transaction.atomic
def close_one(pk: int, now: datetime) -> bool:
    """Close an open notice whose end has passed: each listed application that no objection holds back is
    announced; the others stay in public notice until the secretariat decides their objections."""
    notice = _due(pk, NoticeStatus.OPEN)
    if notice is None or notice.ends_at > now:
        return False
    announced = held = 0
    for application in notices.listed_applications(notice).filter(status=ApplicationStatus.IN_PUBLICITY):
        if rules.close_refusal(application, now):
            held += 1
            continue
        workflow.close_notice(application, by=None)
        announced += 1
    notice.status = NoticeStatus.CLOSED
    notice.closed_at = now
    notice.save(update_fields=["status", "closed_at", "updated_at"])
    event = audit.record(
        action="notice.close",
        target=notice,
        from_state=NoticeStatus.OPEN,
        to_state=NoticeStatus.CLOSED,
        note=_("%(announced)d announced, %(held)d held back by objections") % {"announced": announced, "held": held},
    )
    _after_commit_closed(notice.pk, event.pk, announced, held)
    logger.info("public notice %s closed: %s announced, %s held", notice.pk, announced, held)
    return True


def _after_commit_closed(notice_id: int, event_id: int, announced: int, held: int) -> None:
    from publicity.tasks import task_notify_closed

    transaction.on_commit(
        lambda: task_notify_closed.delay(notice_id=notice_id, event_id=event_id, announced=announced, held=held)
    )


def _after_commit_rescheduled(notice_id: int, event_id: int) -> None:
    from publicity.tasks import task_notify_rescheduled

    transaction.on_commit(lambda: task_notify_rescheduled.delay(notice_id=notice_id, event_id=event_id))
