"""Reads of the public register and of announcements: what /projects/ lists, a project's page, an announcement."""

from django.db.models import QuerySet

from portal.permissions import is_secretariat
from publicity import lists
from publicity.filters import SORTS, RegisterFilter
from publicity.models import AnnouncedProject, Announcement, Notice, PublishedList

# What a row of the list and of the export reads; the announcement's number comes with its join.
LIST_FIELDS = (
    "id",
    "year",
    "position",
    "name",
    "standard_number",
    "standard_title",
    "group_name",
    "recommender_name",
    "province",
    "industry_field",
    "innovative",
    "advanced",
    "international",
    "announcement__id",
    "announcement__number",
)


def register_projects() -> QuerySet[AnnouncedProject]:
    """Every announced project of a published announcement, newest year first, each list in its order."""
    return (
        AnnouncedProject.objects.filter(announcement__published_at__isnull=False)
        .select_related("announcement")
        .only(*LIST_FIELDS)
        .order_by(*SORTS["year"])
    )


def project_search(*, params) -> RegisterFilter:
    return RegisterFilter(params, queryset=register_projects())


def project_for_page() -> QuerySet[AnnouncedProject]:
    return AnnouncedProject.objects.filter(announcement__published_at__isnull=False).select_related(
        "announcement", "standard", "group__standards_profile", "recommender"
    )


def can_see_announcement(user, announcement: Announcement) -> bool:
    """Published: anyone; a draft: the secretariat only."""
    return announcement.published_at is not None or (user.is_authenticated and is_secretariat(user))


def announcements() -> QuerySet[Announcement]:
    return Announcement.objects.select_related("call")


def published_announcements() -> QuerySet[Announcement]:
    """The announcements anyone may read (`can_see_announcement`'s rule for the public): the published ones."""
    return announcements().filter(published_at__isnull=False)


def versions(announcement: Announcement) -> list[PublishedList]:
    """The list's versions, newest first, without their bytes (only the current one's are read, by `current`)."""
    return list(announcement.lists.defer("content").order_by("-version"))


def current_list(announcement: Announcement) -> tuple[PublishedList | None, dict | None]:
    published = lists.current(announcement)
    return published, (lists.document(published) if published is not None else None)


def project_links(announcement: Announcement) -> dict[int, int]:
    """The register's project of each number in the list (position → primary key)."""
    return dict(announcement.projects.values_list("position", "pk"))


def latest_notices(limit: int) -> QuerySet[Notice]:
    return Notice.objects.public().select_related("call").order_by("-opened_at", "-id")[:limit]


def latest_announcements(limit: int) -> QuerySet[Announcement]:
    # Imported lists of earlier years are not news: the feed names what the portal announced.
    return (
        Announcement.objects.filter(published_at__isnull=False, imported=False)
        .select_related("call")
        .order_by("-published_at", "-id")[:limit]
    )
