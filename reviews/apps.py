from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Expert review")
    # The audit log's words for the review stage's actions (portal.audit.record).
    audit_actions = {
        "expert.create": _("Expert added to the pool"),
        "expert.update": _("Expert changed"),
        "expert.activate": _("Expert activated"),
        "expert.deactivate": _("Expert deactivated"),
        "panel.create": _("Panel created"),
        "panel.member_add": _("Panel member added"),
        "panel.member_remove": _("Panel member removed"),
        "panel.chair": _("Panel chair named"),
        "assignment.assign": _("Expert assigned"),
        "assignment.confirm": _("Assignment proposal confirmed"),
        "assignment.unassign": _("Expert unassigned"),
        "assignment.decline": _("Assignment declined (conflict of interest)"),
        "review.rubric_save": _("Rubric and review settings saved"),
        "review.submit": _("Review submitted"),
        "review.reopen": _("Review reopened"),
        "review.panel_opinion": _("Panel opinion recorded"),
        "review.read": _("Review's scores read"),
        "review.ranking_read": _("Ranking opened"),
        "review.ranking_export": _("Ranking exported"),
        "review.shortlist": _("Shortlist decided"),
    }
