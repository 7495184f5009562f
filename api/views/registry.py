"""Group standards and social groups, through standards.selectors: what /standards/ and /groups/ show."""

from django.db.models import QuerySet
from django.http import QueryDict
from drf_spectacular.utils import extend_schema, extend_schema_view

from api.filters import GroupSearch, StandardSearch
from api.serializers.registry import (
    GroupDetailSerializer,
    GroupSerializer,
    StandardDetailSerializer,
    StandardSerializer,
)
from api.views.base import PublicViewSet
from standards import selectors
from standards.models import GroupStandard, SocialGroup


@extend_schema_view(
    list=extend_schema(summary="Group standards", description="The registry of /standards/."),
    retrieve=extend_schema(summary="One group standard, with its adoptions, evaluations and projects"),
)
class StandardViewSet(PublicViewSet):
    """Group standards (团体标准) in the registry."""

    topics = ("registry",)
    queryset = GroupStandard.objects.none()
    filterset_class = StandardSearch

    def get_serializer_class(self):
        return StandardDetailSerializer if self.action == "retrieve" else StandardSerializer

    def get_queryset(self) -> QuerySet[GroupStandard]:
        # The page's own search, unfiltered: its filters are applied by the API's FilterSet (the same, bounded).
        return selectors.standard_search(params=QueryDict()).queryset

    def detail_object(self, pk: int) -> GroupStandard | None:
        standard = selectors.standards_with_details().filter(pk=pk).first()
        if standard is not None:
            standard.demonstration_projects = selectors.demonstration_projects(standard)
        return standard


@extend_schema_view(
    list=extend_schema(summary="Social groups", description="The groups of /groups/, with their standards' count."),
    retrieve=extend_schema(summary="One social group, with its published documents"),
)
class GroupViewSet(PublicViewSet):
    """Social groups (社会团体) that issue group standards."""

    topics = ("registry",)
    queryset = SocialGroup.objects.none()
    filterset_class = GroupSearch

    def get_serializer_class(self):
        return GroupDetailSerializer if self.action == "retrieve" else GroupSerializer

    def get_queryset(self) -> QuerySet[SocialGroup]:
        return selectors.group_search(params=QueryDict()).queryset

    def detail_object(self, pk: int) -> SocialGroup | None:
        group = selectors.groups_with_profile().filter(pk=pk).first()
        if group is not None:
            documents = selectors.published_documents(group)
            group.published_documents = [document for versions in documents.values() for document in versions]
            group.standard_count = selectors.group_standards(group).count()
        return group
