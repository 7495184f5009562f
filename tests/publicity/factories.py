"""Reaching the public-notice stage's states through the real services, transitions and job.

Windows in the past are reached by moving a scheduled notice's dates back (the service refuses a start in the
past, rightly) and then running the job's own steps, so the audit rows of every move exist.
"""

import datetime

from django.utils import timezone

from portal.models import User
from projects import workflow
from projects.models import Application
from publicity import jobs
from publicity.models import Notice
from publicity.services import notices
from publicity.windows import notice_end
from tests.factories import MinistryFactory, admitted_applications, member_of

NOTICE_TEXT = {
    "title": "2026年团体标准应用示范项目公示",
    "body": "现将入围名单予以公示。公示期间如有异议，请以书面形式反映。",
    "contact": "科技司标准处，010-68205245",
}


def secretariat_user() -> User:
    return member_of(MinistryFactory())


def shortlisted_applications(
    *, count: int = 3, call=None, secretariat: User | None = None, **kwargs
) -> list[Application]:
    """`count` applications of one call (a new one by default) taken to the shortlist, and no other under review."""
    secretariat = secretariat or secretariat_user()
    admitted = admitted_applications(call=call, count=count, secretariat=secretariat, **kwargs)
    return [workflow.shortlist(application, by=secretariat) for application in admitted]


def prepared_notice(*, count: int = 3, working_days: int = 5, starts_in=datetime.timedelta(days=1), **kwargs) -> Notice:
    secretariat = kwargs.pop("secretariat", None) or secretariat_user()
    applications = shortlisted_applications(count=count, secretariat=secretariat, **kwargs)
    return prepared_notice_of(applications[0].call, by=secretariat, working_days=working_days, starts_in=starts_in)


def prepared_notice_of(
    call, *, by: User | None = None, working_days: int = 5, starts_in=datetime.timedelta(days=1)
) -> Notice:
    """A draft notice of `call`'s shortlist, opening in a day."""
    return notices.prepare_notice(
        call,
        by=by or secretariat_user(),
        starts_at=timezone.now() + starts_in,
        working_days=working_days,
        **NOTICE_TEXT,
    )


def scheduled_notice(**kwargs) -> Notice:
    notice = prepared_notice(**kwargs)
    notices.schedule_notice(notice, by=notice.created_by)
    notice.refresh_from_db()
    return notice


def move_window(notice: Notice, starts_at: datetime.datetime, ends_at: datetime.datetime | None = None) -> None:
    ends_at = ends_at or notice_end(starts_at, notice.working_days)
    Notice.objects.filter(pk=notice.pk).update(starts_at=starts_at, ends_at=ends_at)
    notice.call.__class__.objects.filter(pk=notice.call_id).update(notice_opens_at=starts_at, notice_closes_at=ends_at)


def open_notice(**kwargs) -> Notice:
    """A notice that opened a minute ago (the job's own step), with its usual window."""
    notice = scheduled_notice(**kwargs)
    move_window(notice, timezone.now() - datetime.timedelta(minutes=1))
    assert jobs.open_one(notice.pk, timezone.now())
    notice.refresh_from_db()
    return notice


def end_window(notice: Notice) -> None:
    """The open notice's end passes (a minute ago), without closing it yet."""
    now = timezone.now()
    move_window(notice, now - datetime.timedelta(days=10), now - datetime.timedelta(minutes=1))
    notice.refresh_from_db()


def closed_notice(**kwargs) -> Notice:
    """A notice whose window closed a minute ago and that the job closed: its applications are announced."""
    notice = open_notice(**kwargs)
    end_window(notice)
    assert jobs.close_one(notice.pk, timezone.now())
    notice.refresh_from_db()
    return notice
