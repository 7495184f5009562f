from django.apps import AppConfig
from django.conf import settings
from django.http import multipartparser
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")
    # Labels for the audit actions this app records, shown on timelines (portal.selectors.events_for).
    audit_actions = {
        "organisation.create": _("Organisation created"),
        "organisation.rename": _("Organisation renamed"),
        "membership.add": _("Member added"),
        "membership.remove": _("Member removed"),
        "membership.admin": _("Administrator named"),
        "membership.admin_revoke": _("Administrator role ended"),
        "membership.request": _("Asked to be added"),
        "invitation.create": _("Invitation sent"),
        "invitation.accept": _("Invitation accepted"),
        "invitation.revoke": _("Invitation withdrawn"),
        "registration.submit": _("Registration requested"),
        "registration.approve": _("Registration approved"),
        "registration.refuse": _("Registration refused"),
        "user.create": _("Account created"),
        "user.update": _("Account details changed"),
        "user.email_link": _("E-mail confirmation link sent"),
        "user.email_confirm": _("E-mail address confirmed"),
        "user.deactivate": _("Account deactivated"),
        "user.reactivate": _("Account reactivated"),
        "calendar.set": _("Calendar day set"),
        "calendar.delete": _("Calendar day removed"),
        "audit.export": _("Audit log exported"),
        "audit.verified": _("Audit chain verified"),
    }
    # The public pages each action's noun changes (portal.public_cache): a group's name is shown in the registry;
    # the working-day calendar places a call's dates and its public notice.
    public_topics = {"organisation": ("registry",), "calendar": ("calls",)}
    # What some actions write in their notes, so that timelines show labels instead (portal.selectors.label_events).
    audit_notes = {
        "organisation.rename": "field_changes",
        "user.update": "field_names",
        "audit.export": "export",
        "audit.verified": "verified",
    }

    def ready(self) -> None:
        # In every process (web, worker, tests) before the first request: see MULTIPART_MAX_PART_HEADER_BYTES.
        multipartparser.MAX_TOTAL_HEADER_SIZE = settings.MULTIPART_MAX_PART_HEADER_BYTES
