"""Announced projects (the register) and published announcements, through publicity.selectors.register."""

from django.db.models import Count, F, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view

from api.filters import AnnouncementFilter, ProjectFilter
from api.serializers.register import AnnouncementDetailSerializer, AnnouncementSerializer, ProjectSerializer
from api.views.base import PUBLIC, PublicViewSet
from publicity.models import AnnouncedProject, Announcement, PublishedList
from publicity.selectors import register as selectors


def _with_group_page(queryset: QuerySet[AnnouncedProject]) -> QuerySet[AnnouncedProject]:
    # The group's registry profile, for its id in /groups/: one join, no query per row.
    return queryset.annotate(group_profile_id=F("group__standards_profile__id"))


@extend_schema_view(
    list=extend_schema(summary="Announced demonstration projects", description="The register of /projects/."),
    retrieve=extend_schema(summary="One announced project"),
)
class ProjectViewSet(PublicViewSet):
    """Demonstration projects of published announcements, as each announcement listed them."""

    topics = ("register",)
    queryset = AnnouncedProject.objects.none()  # for the schema; the rows come from the selectors
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter

    def get_queryset(self) -> QuerySet[AnnouncedProject]:
        # The register's rows (published announcements only), with the two keys its links need besides.
        return _with_group_page(selectors.register_projects().only(*selectors.LIST_FIELDS, "standard", "group"))

    def detail_object(self, pk: int) -> AnnouncedProject | None:
        return _with_group_page(selectors.project_for_page()).filter(pk=pk).first()


@extend_schema_view(
    list=extend_schema(summary="Published announcements", description="Each with the versions of its list."),
    retrieve=extend_schema(summary="One announcement, with its current list"),
)
class AnnouncementViewSet(PublicViewSet):
    """Published announcements (公告); the list of each version is downloadable, its SHA-256 given."""

    topics = ("register",)
    queryset = Announcement.objects.none()
    filterset_class = AnnouncementFilter

    def get_serializer_class(self):
        return AnnouncementDetailSerializer if self.action == "retrieve" else AnnouncementSerializer

    def get_queryset(self) -> QuerySet[Announcement]:
        versions = PublishedList.objects.defer("content").order_by("-version")
        return (
            selectors.published_announcements()
            .annotate(project_count=Count("projects"))
            .prefetch_related(Prefetch("lists", queryset=versions, to_attr="published_versions"))
            .order_by("-year", "-published_at", "-id")
        )

    def detail_object(self, pk: int) -> Announcement | None:
        announcement = selectors.announcements().filter(pk=pk).first()
        if announcement is None or not selectors.can_see_announcement(PUBLIC, announcement):
            return None
        announcement.published_versions = selectors.versions(announcement)
        _published, document = selectors.current_list(announcement)
        links = selectors.project_links(announcement)
        entries = (document or {}).get("projects", [])
        announcement.projects_listed = [{**entry, "project": links.get(entry["number"])} for entry in entries]
        announcement.project_count = len(links)
        return announcement
