"""What the home page and each role's dashboard show of the public-notice stage: a few rows, a few queries."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from portal.models import Organisation
from projects.models import Application, ApplicationStatus, Call
from publicity.models import AnnouncedProject, Announcement, Notice, NoticeStatus, Objection, ObjectionForward
from publicity.models.objections import PENDING

HOME_NOTICES = 5
HOME_PROJECTS = 8


def open_notices(limit: int = HOME_NOTICES) -> list[Notice]:
    """The notices open for objections, closing soonest first, each with its call and how many projects it lists."""
    notices = (
        Notice.objects.filter(status=NoticeStatus.OPEN)
        .select_related("call")
        .annotate(project_count=Count("entries"))
        .order_by("ends_at", "pk")
    )
    return list(notices[:limit])


def latest_projects(limit: int = HOME_PROJECTS) -> list[AnnouncedProject]:
    """The most recently announced projects, in their announcement's order."""
    projects = AnnouncedProject.objects.filter(announcement__published_at__isnull=False).select_related("announcement")
    return list(projects.order_by("-announcement__published_at", "-announcement_id", "position")[:limit])


@dataclass(frozen=True)
class PublicityTasks:
    notices_to_prepare: list[Call]
    announcements_to_publish: list[Call]
    pending_objections: int


def secretariat_tasks() -> PublicityTasks:
    """Calls whose shortlist awaits a notice, calls whose notice closed with no announcement published yet, and
    the objections not decided yet. Three queries."""
    shortlisted = ApplicationStatus.SHORTLISTED
    to_prepare = Call.objects.filter(
        Exists(Application.objects.filter(call=OuterRef("pk"), status=shortlisted)),
        ~Exists(Notice.objects.filter(call=OuterRef("pk"))),
    ).order_by("-opens_at", "-pk")
    to_announce = Call.objects.filter(
        Exists(Notice.objects.filter(call=OuterRef("pk"), status=NoticeStatus.CLOSED)),
        ~Exists(Announcement.objects.filter(call=OuterRef("pk"), published_at__isnull=False)),
    ).order_by("-opens_at", "-pk")
    return PublicityTasks(
        notices_to_prepare=list(to_prepare),
        announcements_to_publish=list(to_announce),
        pending_objections=Objection.objects.filter(status__in=PENDING).count(),
    )


def unanswered_forwards(organisations: list[Organisation]) -> int:
    """How many questions about objections wait for an answer from the user's organisations."""
    if not organisations:
        return 0
    return ObjectionForward.objects.filter(Q(answered_at__isnull=True), organisation__in=organisations).count()
