"""The notice stage's part of the application page (portal.panels): the public notice that lists it.

Whoever sees the application sees, once it is on a notice, the notice's window and status, and a link to the
notice when they may read it (an opened one is public; a scheduled one is the secretariat's until it opens).
"""

from django.http import HttpRequest

from portal.panels import Panel
from projects.models import Application
from publicity.models import NoticeStatus
from publicity.selectors import notices as selectors


def notice(request: HttpRequest, application: Application, *, form=None) -> Panel | None:
    found = selectors.notice_of_application(application)
    if found is None or found.status == NoticeStatus.DRAFT:
        return None
    can_read = found.status != NoticeStatus.SCHEDULED or selectors.may_see_unpublished(request.user)
    return Panel("publicity/notices/_panel_notice.html", {"notice": found, "can_read": can_read})
