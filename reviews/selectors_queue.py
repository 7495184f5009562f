"""Reads of the review queue: an expert's assignments, one review with its scores, who may read or score it.

An assignment's review page is its expert's (while the assignment is active and they hold the review right on
the application) and the secretariat's to read; to anyone else it does not exist (404).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce

from portal.models import User
from portal.permissions import is_secretariat
from projects.models import Application, ApplicationStatus
from reviews.models import Assignment, AssignmentStatus, Criterion, Review, ReviewStatus, Score

NOT_STARTED = "not_started"


def queue_of(user: User) -> QuerySet[Assignment]:
    """The expert's active assignments, soonest due first, with what a row shows in one query."""
    due = Coalesce("due_at", "application__call__review_settings__due_at")
    return (
        Assignment.objects.filter(expert__user=user, status=AssignmentStatus.ACTIVE)
        .select_related("application__standard", "application__group", "application__call__review_settings", "review")
        .annotate(due=due)
        .order_by(F("due").asc(nulls_last=True), "pk")
    )


def assignment_for_page() -> QuerySet[Assignment]:
    return Assignment.objects.select_related("expert__user", "application__call__review_settings", "review")


def review_of(assignment: Assignment) -> Review | None:
    """The assignment's review, or None before the expert saves anything (from the row `select_related` read)."""
    try:
        return assignment.review
    except Review.DoesNotExist:
        return None


def progress_of(assignment: Assignment) -> str:
    """`not_started`, or the review's status (`draft`, `submitted`)."""
    review = review_of(assignment)
    return review.status if review is not None else NOT_STARTED


def due_of(assignment: Assignment) -> datetime | None:
    """The assignment's own due date, else the call's."""
    if assignment.due_at is not None:
        return assignment.due_at
    settings = getattr(assignment.application.call, "review_settings", None)
    return settings.due_at if settings is not None else None


# --- who may do what --------------------------------------------------------------------------------------
def is_reviewer(user: User, assignment: Assignment) -> bool:
    """The assigned expert, while the assignment is active and they hold the review right on the application."""
    return (
        user.is_authenticated
        and assignment.status == AssignmentStatus.ACTIVE
        and assignment.expert.user_id == user.pk
        and user.has_perm("projects.review_application", assignment.application)
    )


def may_read(user: User, assignment: Assignment) -> bool:
    """The assigned expert and the secretariat (which reads, never scores)."""
    return is_reviewer(user, assignment) or (user.is_authenticated and is_secretariat(user))


def can_score(user: User, assignment: Assignment) -> bool:
    """The assigned expert, while the application is under review and the review is not submitted."""
    return (
        is_reviewer(user, assignment)
        and assignment.application.status == ApplicationStatus.UNDER_REVIEW
        and progress_of(assignment) != ReviewStatus.SUBMITTED
    )


# --- a review and its scores ----------------------------------------------------------------------------------
def criteria_of(call) -> list[Criterion]:
    return list(Criterion.objects.filter(call=call).order_by("position", "pk"))


def scores_of(review: Review | None) -> dict[int, Score]:
    """The review's scores by criterion key."""
    if review is None:
        return {}
    return {score.criterion_id: score for score in Score.objects.filter(review=review)}


@dataclass(frozen=True)
class Counts:
    submitted: int
    assigned: int

    @property
    def all_in(self) -> bool:
        return self.assigned > 0 and self.submitted == self.assigned


def review_counts(application: Application) -> Counts:
    """How many of the application's active assignments have a submitted review, in one query."""
    active = Assignment.objects.filter(application=application, status=AssignmentStatus.ACTIVE)
    counts = active.aggregate(
        assigned=Count("pk"), submitted=Count("pk", filter=Q(review__status=ReviewStatus.SUBMITTED))
    )
    return Counts(submitted=counts["submitted"], assigned=counts["assigned"])
