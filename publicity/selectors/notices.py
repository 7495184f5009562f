"""Reads of the public notices: the list of /publicity/, one notice with its published versions, the preview.

A draft or scheduled notice is the secretariat's: to anyone else it does not exist (404). The list a notice
page shows is the stored JSON of its current version, never the live applications.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.http import Http404

from portal.models import User
from portal.permissions import is_secretariat
from projects.models import Application, ApplicationStatus, Call
from publicity import lists
from publicity.models import Notice, NoticeStatus, PublishedList
from publicity.services import notices as services
from publicity.windows import notice_end

# Open first, then (the secretariat's) scheduled and drafts, then closed; newest first within each.
_ORDER = Case(
    When(status=NoticeStatus.OPEN, then=Value(0)),
    When(status=NoticeStatus.SCHEDULED, then=Value(1)),
    When(status=NoticeStatus.DRAFT, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)
# The application's statuses in which it may be on a notice: the panel asks nothing of the others.
ON_A_NOTICE = frozenset(
    {
        ApplicationStatus.SHORTLISTED,
        ApplicationStatus.IN_PUBLICITY,
        ApplicationStatus.ANNOUNCED,
        ApplicationStatus.WITHDRAWN,
    }
)


def may_see_unpublished(user: User) -> bool:
    return user.is_authenticated and is_secretariat(user)


def visible_notices(user: User) -> QuerySet[Notice]:
    """The notices the user may read: every one for the secretariat, the opened ones for everyone else."""
    queryset = Notice.objects.all() if may_see_unpublished(user) else Notice.objects.public()
    return queryset.select_related("call")


def notice_list(user: User) -> QuerySet[Notice]:
    """/publicity/: each notice with its call and how many projects it lists, in one query per page."""
    return (
        visible_notices(user)
        .annotate(project_count=Count("entries"), rank=_ORDER)
        .order_by("rank", "-starts_at", "-pk")
    )


def notice_for(user: User, pk: int) -> Notice:
    """The notice, or 404 when there is none or the user may not read it yet."""
    notice = visible_notices(user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice


def versions_of(notice: Notice) -> list[PublishedList]:
    """Every version of the notice's list, newest first, without their bytes (the current one is read apart)."""
    return list(PublishedList.objects.filter(notice=notice).defer("content").order_by("-version"))


def current_document(notice: Notice) -> tuple[PublishedList | None, dict | None]:
    """The current version with its document, parsed from the stored bytes."""
    published = lists.current(notice)
    return published, (lists.document(published) if published else None)


def published_version(notice: Notice, version: int) -> PublishedList:
    published = PublishedList.objects.filter(notice=notice, version=version).first()
    if published is None:
        raise Http404
    return published


@dataclass(frozen=True)
class Preview:
    """What a notice would be before it is saved: its end on the calendar, and the projects it would list."""

    ends_at: datetime
    projects: list[dict]


def preview(call: Call, starts_at: datetime, working_days: int, *, notice: Notice | None = None) -> Preview:
    """A draft's list is the call's shortlist now; a scheduled notice's is the one it published."""
    _published, document = current_document(notice) if notice is not None else (None, None)
    projects = document["projects"] if document else lists.entries_of(services.shortlist_of(call))
    return Preview(ends_at=notice_end(starts_at, working_days), projects=projects)


def notice_of_application(application: Application) -> Notice | None:
    """The notice listing the application (one query), or None; nothing is asked for a status never on one."""
    if application.status not in ON_A_NOTICE:
        return None
    return Notice.objects.filter(entries__application=application).first()
