from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")
    # Labels for the audit actions this app records, shown on timelines (portal.selectors.events_for).
    audit_actions = {
        "organisation.create": _("Organisation created"),
        "membership.add": _("Member added"),
        "membership.remove": _("Member removed"),
        "calendar.set": _("Calendar day set"),
        "calendar.delete": _("Calendar day removed"),
        "audit.export": _("Audit log exported"),
        "audit.verified": _("Audit chain verified"),
    }
