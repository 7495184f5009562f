"""The public read-only API, mounted at /api/v1/: a router's root, the resources, the schema and its page."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from api.views.docs import DocsView
from api.views.notices import NoticeViewSet
from api.views.register import AnnouncementViewSet, ProjectViewSet
from api.views.registry import GroupViewSet, StandardViewSet

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False  # one format, JSON: no /projects.json


router = Router()
router.register("projects", ProjectViewSet, basename="project")
router.register("announcements", AnnouncementViewSet, basename="announcement")
router.register("notices", NoticeViewSet, basename="notice")
router.register("standards", StandardViewSet, basename="standard")
router.register("groups", GroupViewSet, basename="group")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    *router.urls,
]
