"""The portal's URL map: the shared pages here, each stage's under its own namespace."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.functional import lazy

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

# The reset link starts with PORTAL_URL, not with the Host header of the request that asked for it (which whoever
# asks chooses); both values are read when each mail is written, so a changed setting applies.
password_reset = auth_views.PasswordResetView.as_view(
    extra_email_context={
        "portal_url": lazy(lambda: settings.PORTAL_URL, str)(),
        "site_name": lazy(lambda: urlsplit(settings.PORTAL_URL).netloc, str)(),
    }
)

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("", include("standards.urls")),
    path("", include("projects.urls")),
    path("accounts/password_reset/", password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
