"""Public notices that have opened (open or closed), through publicity.selectors.notices."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view

from api.filters import NoticeFilter
from api.serializers.notices import NoticeDetailSerializer, NoticeSerializer
from api.views.base import PUBLIC, PublicViewSet
from publicity.models import Notice, PublishedList
from publicity.selectors import notices as selectors


@extend_schema_view(
    list=extend_schema(summary="Public notices", description="What /publicity/ lists: open ones first."),
    retrieve=extend_schema(summary="One public notice, with its current list"),
)
class NoticeViewSet(PublicViewSet):
    """Public notices (公示) that have opened; objections are filed on the notice's page (`url`)."""

    topics = ("notices",)
    queryset = Notice.objects.none()
    filterset_class = NoticeFilter

    def get_serializer_class(self):
        return NoticeDetailSerializer if self.action == "retrieve" else NoticeSerializer

    def get_queryset(self) -> QuerySet[Notice]:
        versions = PublishedList.objects.defer("content").order_by("-version")
        return selectors.notice_list(PUBLIC).prefetch_related(
            Prefetch("lists", queryset=versions, to_attr="published_versions")
        )

    def detail_object(self, pk: int) -> Notice | None:
        try:
            notice = selectors.notice_for(PUBLIC, pk)
        except Http404:
            return None
        published, document = selectors.current_document(notice)
        notice.published_versions = selectors.versions_of(notice) if published else []
        notice.projects_listed = document["projects"] if document else []
        notice.project_count = len(notice.projects_listed)
        return notice
