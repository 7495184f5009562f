"""The portal's URL map: the shared pages here, each stage's under its own namespace."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.functional import lazy

from portal.views import account, audit, calendar, health, members, notifications, organisations, pages, registration

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
    path("calendar/<int:year>/schedule/", calendar.calendar_schedule, name="calendar_schedule"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/<int:pk>/open/", notifications.notification_open, name="notification_open"),
    path("notifications/read-all/", notifications.notifications_read_all, name="notifications_read_all"),
    # Getting in: registration, e-mail links, invitations, one's own account.
    path("register/", registration.register, name="register"),
    path("register/join/", registration.join_request, name="join_request"),
    path("email/confirm/<str:token>/", registration.email_confirm, name="email_confirm"),
    path("invitations/<str:token>/", members.invitation_accept, name="invitation_accept"),
    path("account/", account.account, name="account"),
    path("account/email/", account.email_change, name="email_change"),
    path("account/email/resend/", account.email_resend, name="email_resend"),
    # An organisation's people; the secretariat's organisations and registration requests.
    path("organisation/", members.my_organisations, name="organisation"),
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/new/", organisations.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", members.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/invite/", members.invite, name="organisation_invite"),
    path("organisations/<int:pk>/members/<int:membership_pk>/remove/", members.remove_member, name="member_remove"),
    path("organisations/<int:pk>/members/<int:membership_pk>/admin/", members.set_administrator, name="member_admin"),
    path(
        "organisations/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        members.revoke_invitation,
        name="invitation_revoke",
    ),
    path("organisations/requests/", organisations.registration_list, name="registration_list"),
    path("organisations/requests/<int:pk>/", organisations.registration_detail, name="registration_detail"),
    path(
        "organisations/requests/<int:pk>/certificate/",
        organisations.registration_certificate,
        name="registration_certificate",
    ),
    path("organisations/requests/<int:pk>/approve/", organisations.registration_approve, name="registration_approve"),
    path("organisations/requests/<int:pk>/refuse/", organisations.registration_refuse, name="registration_refuse"),
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
    path("", include("reviews.urls")),
    path("", include("publicity.urls")),
    path("", include("reports.urls")),
    path("api/v1/", include("api.urls")),
    path("accounts/password_reset/", password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
