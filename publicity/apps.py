from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "publicity"
    verbose_name = _("Public notice and announcement")
    # The audit log's words for this stage's actions (portal.audit.record).
    audit_actions = {
        # notices
        "notice.create": _("Public notice prepared"),
        "notice.update": _("Public notice changed"),
        "notice.schedule": _("Public notice scheduled"),
        "notice.correct": _("Public notice's list corrected"),
        "notice.reschedule": _("Public notice's end moved with the holidays"),
        "notice.open": _("Public notice opened"),
        "notice.close": _("Public notice closed"),
        # objections
        "objection.file": _("Objection filed"),
        "objection.read": _("Objection read"),
        "objection.investigate": _("Objection taken under investigation"),
        "objection.forward": _("Objection forwarded for an answer"),
        "objection.answer": _("Answer to an objection recorded"),
        "objection.uphold": _("Objection upheld"),
        "objection.dismiss": _("Objection dismissed"),
        "objection.evidence_download": _("Objection's evidence downloaded"),
        # announcements and the register
        "announcement.create": _("Announcement prepared"),
        "announcement.update": _("Announcement changed"),
        "announcement.publish": _("Announcement published"),
        "announcement.correct": _("Announcement's list corrected"),
        "register.import": _("Earlier programme's announced list imported"),
    }
    # The public pages each action's noun changes (portal.public_cache).
    public_topics = {
        "notice": ("notices",),
        # A standard's registry page lists its announced projects.
        "announcement": ("notices", "register", "registry"),
        "register": ("register", "registry"),
    }
