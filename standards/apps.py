from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = _("Group standards")
    # Labels for the audit actions this app records, shown on timelines (portal.selectors.events_for).
    audit_actions = {
        "socialgroup.create": _("Social group registered"),
        "socialgroup.update": _("Social group record updated"),
        "standard.create": _("Standard registered"),
        "standard.update": _("Standard updated"),
        "standard.import": _("Standard imported"),
        "groupdocument.publish": _("Document published"),
        "groupdocument.withdraw": _("Document withdrawn"),
        "adoption.create": _("Adoption recorded"),
        "adoption.delete": _("Adoption removed"),
        "evaluation.create": _("Evaluation recorded"),
        "evaluation.delete": _("Evaluation removed"),
    }
    # The public pages each action's noun changes (portal.public_cache): the registry's lists and records.
    public_topics = {
        "socialgroup": ("registry",),
        "standard": ("registry",),
        "groupdocument": ("registry",),
        "adoption": ("registry",),
        "evaluation": ("registry",),
    }
    # What some actions write in their notes, so that timelines show labels instead (portal.selectors.label_events).
    audit_notes = {
        "socialgroup.update": "field_names",
        "standard.update": "field_names",
        "standard.import": "field_names",
    }
