"""The portal's URL map: the shared pages here, each stage's under its own namespace."""

from django.contrib import admin
from django.urls import include, path

from portal.views import audit, calendar, health, notifications, pages

app_name = "portal"

portal_patterns = [
    path("", pages.home, name="home"),
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("healthz", health.healthz, name="healthz"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("audit/export.csv", audit.audit_export, name="audit_export"),
    path("calendar/", calendar.calendar_index, name="calendar"),
    path("calendar/<int:year>/", calendar.calendar_year, name="calendar_year"),
    path("calendar/<int:year>/delete/<int:pk>/", calendar.calendar_delete, name="calendar_delete"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/<int:pk>/open/", notifications.notification_open, name="notification_open"),
    path("notifications/read-all/", notifications.notifications_read_all, name="notifications_read_all"),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("", include("standards.urls")),
    path("", include("projects.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
