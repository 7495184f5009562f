from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Demonstration projects")
    # Labels for the audit actions this app records, shown on timelines (portal.selectors.events_for).
    audit_actions = {
        "call.create": _("Call created"),
        "call.update": _("Call changed"),
        "call.publish": _("Call published"),
        "call.unpublish": _("Call publication withdrawn"),
        "call.quota": _("Quota set"),
        "call.extension": _("Deadline extended"),
        "call.recommender_extension": _("Recommendation deadline extended"),
        "call.attachment_add": _("Call attachment published"),
        "call.attachment_delete": _("Call attachment removed"),
        "application.create": _("Application started"),
        "application.edit": _("Section saved"),
        "application.submit": _("Submitted"),
        "application.withdraw": _("Withdrawn"),
        "application.return_for_revision": _("Returned for revision"),
        "application.recommend": _("Recommended"),
        "application.decline": _("Not recommended"),
        "application.admit": _("Admitted to expert review"),
        "application.reject_ineligible": _("Rejected as ineligible"),
        "application.shortlist": _("Shortlisted"),
        "application.not_select": _("Not selected"),
        "application.open_notice": _("In public notice"),
        "application.close_notice": _("Announced"),
        "application.uphold_objection": _("Withdrawn on an upheld objection"),
        "recommendation.reorder": _("Recommendation ranks reordered"),
        "application.rank": _("Rank in the summary table changed"),
        "attachment.add": _("Attachment uploaded"),
        "attachment.replace": _("Attachment replaced"),
        "attachment.delete": _("Attachment removed"),
        "attachment.download": _("Attachment downloaded"),
    }
    # The public pages each action's noun changes (portal.public_cache): the calls, their attachments and dates.
    public_topics = {"call": ("calls",)}
    # What some actions write in their notes, so that timelines show labels instead (portal.selectors.label_events).
    audit_notes = {
        "call.create": "field_values",
        "call.update": "field_names",
        "call.quota": "named",
        "call.extension": "named",
        "call.recommender_extension": "named",
        "application.edit": "section",
        "attachment.add": "named",
        "attachment.replace": "named",
        "attachment.delete": "named",
        "attachment.download": "named",
    }
