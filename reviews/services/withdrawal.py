"""When a group withdraws its application during the expert review: its experts' assignments end."""

from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import remove_perm

from portal import audit
from portal.models import User
from projects.models import Application
from reviews.models import Assignment, AssignmentStatus
from reviews.services.assignments import ACTIVE, RIGHTS


def end_for_withdrawal(application: Application, *, by: User, reason: str) -> int:
    """The group withdrew the application under review (`projects.workflow.withdraw` calls this inside the move):
    every active assignment ends (removed), its expert's rights are revoked, and each is audited as
    `assignment.unassign`. A submitted review stays as it is. How many ended."""
    note = _("The application was withdrawn by its group: %(reason)s") % {"reason": reason.strip()}
    active = Assignment.objects.select_for_update(of=("self",)).select_related("expert__user")
    ended = 0
    for assignment in active.filter(application=application, status=ACTIVE).order_by("pk"):
        assignment.status, assignment.ended_at, assignment.end_reason = AssignmentStatus.REMOVED, timezone.now(), note
        assignment.save(update_fields=["status", "ended_at", "end_reason"])
        for right in RIGHTS:
            remove_perm(right, assignment.expert.user, application)
        audit.record(
            action="assignment.unassign",
            target=assignment,
            actor=by,
            from_state=ACTIVE,
            to_state=assignment.status,
            note=note,
        )
        ended += 1
    return ended
