"""The objections' part of the application page (portal.panels): who may read what of them.

The secretariat sees how many objections the application has in each status, each linking to its page; the
applicant group and the recommender see only the questions forwarded to them about it, each linking to its
answer; anyone else nothing. Never the filer's identity. One query for whoever sees the panel, none otherwise.
"""

from collections import Counter

from django.http import HttpRequest

from portal.panels import Panel
from portal.permissions import is_secretariat
from projects.models import Application, ApplicationStatus
from publicity.models import ObjectionStatus
from publicity.selectors import objections as selectors

S = ApplicationStatus
# Only an application that has been in public notice can have been objected to.
NOTICED = frozenset({S.IN_PUBLICITY, S.ANNOUNCED, S.WITHDRAWN})
TEMPLATE = "publicity/objections/_panel_objections.html"


def objections(request: HttpRequest, application: Application, *, form=None) -> Panel | None:
    user = request.user
    if application.status not in NOTICED or not user.is_authenticated:
        return None
    if is_secretariat(user):
        found = selectors.objections_about(application)
        if not found:
            return None
        counts = Counter(objection.status for objection in found)
        rows = [
            {"status": status, "label": str(label), "count": counts[status]}
            for status, label in ObjectionStatus.choices
            if counts[status]
        ]
        return Panel(TEMPLATE, {"objections": found, "counts": rows})
    forwards = selectors.forwards_about(application, user)
    if not forwards:
        return None
    return Panel(TEMPLATE, {"forwards": forwards})
