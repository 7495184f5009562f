"""When the notice's moves are legal: asked by `projects.workflow.notice` inside each move, after the right."""

from datetime import datetime

from django.utils.translation import gettext as _

from projects.models import Application
from publicity.models import Notice, NoticeStatus, Objection, ObjectionStatus
from publicity.models.objections import PENDING
from publicity.windows import beijing


def notice_of(application: Application) -> Notice | None:
    return Notice.objects.filter(entries__application=application).first()


def open_refusal(application: Application, now: datetime) -> str:
    """Why the application's notice cannot put it in public notice at `now`; empty when it can."""
    notice = notice_of(application)
    if notice is None or notice.status == NoticeStatus.DRAFT:
        return _("The application is on no scheduled public notice.")
    if now < notice.starts_at:
        return _("Its public notice opens %(opens)s (Beijing time).") % {"opens": beijing(notice.starts_at)}
    return ""


def close_refusal(application: Application, now: datetime) -> str:
    """Why the application cannot be announced at `now`; empty when it can."""
    notice = notice_of(application)
    if notice is None:
        return _("The application is on no public notice.")
    if now < notice.ends_at:
        return _("Its public notice runs until %(closes)s (Beijing time).") % {"closes": beijing(notice.ends_at)}
    held = Objection.objects.filter(application=application, status__in=[*PENDING, ObjectionStatus.UPHELD])
    if held.exists():
        return _("An objection to it is still pending or was upheld.")
    return ""
