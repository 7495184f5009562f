"""The review stage's part of the application page (portal.panels): how many reviews are in.

The secretariat sees the count, each assigned expert's progress with a link to read the review, and a link to
the call's rubric; the assigned expert the count and a link to their own review. Everyone else (the applicant,
the recommender, another expert) sees nothing of the review: neither who reviews nor any score.
"""

from django.http import HttpRequest

from portal.choices import Role
from portal.panels import Panel
from portal.permissions import is_secretariat
from portal.roles import has_role
from projects.models import Application, ApplicationStatus
from reviews import selectors_queue as selectors
from reviews.models import Assignment, AssignmentStatus

S = ApplicationStatus
REVIEWED = frozenset({S.UNDER_REVIEW, S.SHORTLISTED, S.NOT_SELECTED, S.IN_PUBLICITY, S.ANNOUNCED})


def review(request: HttpRequest, application: Application, *, form=None) -> Panel | None:
    user = request.user
    if application.status not in REVIEWED:
        return None
    if is_secretariat(user):
        context = {
            "counts": selectors.review_counts(application),
            "rows": _rows(application),
            "can_decide": application.status == ApplicationStatus.UNDER_REVIEW,  # the outcome's page
        }
        return Panel("reviews/queue/_panel_review.html", context)
    if not has_role(user, Role.EXPERT):
        return None
    mine = (
        Assignment.objects.filter(application=application, expert__user=user, status=AssignmentStatus.ACTIVE)
        .select_related("review")
        .first()
    )
    if mine is None:
        return None
    context = {"counts": selectors.review_counts(application), "mine": mine, "progress": selectors.progress_of(mine)}
    return Panel("reviews/queue/_panel_review.html", context)


def _rows(application: Application) -> list[dict]:
    """The secretariat's: each active assignment's expert and progress, linking to the review (read-only)."""
    assignments = (
        Assignment.objects.filter(application=application, status=AssignmentStatus.ACTIVE)
        .select_related("expert__user", "review")
        .order_by("expert__user__name", "pk")
    )
    return [{"assignment": a, "progress": selectors.progress_of(a)} for a in assignments]
