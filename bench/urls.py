"""The portal's URLs, and the benchmark's reference page, which only bench/settings.py mounts."""

from django.urls import path

from bench import views
from portal.urls import urlpatterns as portal_urlpatterns

# The portal's list itself, not include("portal.urls"): that module's app_name would nest every namespace.
urlpatterns = [
    path("bench/reference/<int:pk>/", views.reference, name="bench_reference"),
    *portal_urlpatterns,
]
