"""An expert's review of an assignment: saving a draft, submitting (which locks it), the secretariat reopening
it; and a panel chair's opinion once every review of an application is in.

Callers check who may open the page (`reviews.selectors_queue`); these functions check the actor again, the
review's state (`ReviewLocked`, 409) and the data (`ValidationError` keyed by the form's field names:
`score_<criterion pk>`, `opinion`, `recommendation`; 400). Submitting and reopening are audited without the
scores: the audit log says who did what when; the scores stay in the review, which the secretariat reads.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, notifications
from portal.models import User
from projects.models import Application, ApplicationStatus
from reviews import rubric
from reviews.models import (
    Assignment,
    AssignmentStatus,
    Criterion,
    Expert,
    Panel,
    PanelOpinion,
    Recommendation,
    Review,
    ReviewSettings,
    ReviewStatus,
    Score,
)
from reviews.selectors_queue import review_counts
from reviews.services import rubric as rubric_services


class ReviewLocked(Exception):
    """The review cannot change now: submitted, or its application is no longer under review (409)."""


class NotAllIn(Exception):
    """Not every review of the application is submitted yet (409)."""


@dataclass(frozen=True)
class ScoreInput:
    criterion_pk: int
    score: Decimal | None
    comment: str = ""


def score_field(criterion_pk: int) -> str:
    return f"score_{criterion_pk}"


@dataclass(frozen=True)
class Draft:
    """What the expert typed: a score (or None) and a comment per criterion, the opinion, the recommendation."""

    scores: list[ScoreInput]
    opinion: str = ""
    recommendation: str = ""


@transaction.atomic
def save_draft(*, assignment: Assignment, by: User, draft: Draft) -> Review:
    """Save what the expert typed as a draft; missing scores are allowed, scores out of range are not.

    Preconditions: `by` is the assignment's expert, the assignment active, the application under review and the
    review not submitted (else `ReviewLocked`). Not audited: a draft is the expert's work in progress.
    """
    review, criteria = _open_review(assignment, by)
    _check_ranges(criteria, draft)
    _write(review, draft, criteria)
    review.save(update_fields=["opinion", "recommendation", "updated_at"])
    return review


@transaction.atomic
def submit(*, assignment: Assignment, by: User, draft: Draft) -> Review:
    """Submit the review: every criterion scored, the opinion and the recommendation given.

    Effects: the weighted total computed (`reviews.rubric`), the review locked (submitted, `submitted_at`), the
    call's rubric and settings frozen on its first submission. Audited as `review.submit` (no scores).
    """
    # Locked first: the secretariat's save of the rubric waits for this, and this for it.
    ReviewSettings.objects.get_or_create(call=assignment.application.call)
    ReviewSettings.objects.select_for_update().get(call=assignment.application.call)
    review, criteria = _open_review(assignment, by)
    _check_ranges(criteria, draft)
    _check_complete(criteria, draft)
    _write(review, draft, criteria)
    given = {item.criterion_pk: item.score for item in draft.scores}
    review.total = rubric.weighted_total(
        rubric.Weighted(score=given[c.pk], max_score=c.max_score, weight=c.weight) for c in criteria
    )
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = timezone.now()
    review.save(update_fields=["opinion", "recommendation", "total", "status", "submitted_at", "updated_at"])
    froze = rubric_services.freeze(assignment.application.call)
    note = _("First review of the call: its rubric and settings are frozen.") if froze else ""
    audit.record(
        action="review.submit",
        target=review,
        actor=by,
        from_state=ReviewStatus.DRAFT,
        to_state=review.status,
        note=note,
    )
    return review


@transaction.atomic
def reopen(*, review: Review, by: User, reason: str) -> Review:
    """Put a submitted review back to draft, so that its expert may change and submit it again.

    Preconditions: the caller is the secretariat; the review is submitted and its application still under review
    (else `ReviewLocked`); a reason.
    Effects: the total cleared until the next submission; the rubric stays frozen. Audited as `review.reopen`
    with the reason; the expert is notified after the commit.
    """
    review = Review.objects.select_for_update().select_related("assignment__application").get(pk=review.pk)
    if review.status != ReviewStatus.SUBMITTED:
        raise ReviewLocked(_("This review is not submitted: there is nothing to reopen."))
    if review.assignment.application.status != ApplicationStatus.UNDER_REVIEW:
        raise ReviewLocked(_("This application is no longer under review: its review cannot change."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the review is reopened: the expert and the audit log read it.")})
    review.status = ReviewStatus.DRAFT
    review.total = None
    review.submitted_at = None
    review.save(update_fields=["status", "total", "submitted_at", "updated_at"])
    event = audit.record(
        action="review.reopen",
        target=review,
        actor=by,
        from_state=ReviewStatus.SUBMITTED,
        to_state=ReviewStatus.DRAFT,
        note=reason.strip(),
    )
    transaction.on_commit(lambda: _notify_reopened(review, reason.strip(), event.pk))
    return review


def _notify_reopened(review: Review, reason: str, event_pk: int) -> None:
    application = review.assignment.application
    named = {"number": application.standard.display_number, "reason": reason}
    notifications.notify(
        recipients=[review.assignment.expert.user],
        key=f"review.reopen.{event_pk}",
        subject=_("Your review of %(number)s is reopened") % named,
        body=_("The secretariat reopened your review of %(number)s: %(reason)s. Please check it and submit it again.")
        % named,
        url=reverse("reviews:review", kwargs={"pk": review.assignment_id}),
    )


@transaction.atomic
def record_panel_opinion(*, panel: Panel, application: Application, by: Expert, opinion: str) -> PanelOpinion:
    """Record (or change) the panel's opinion on the application.

    Preconditions: `by` chairs the panel (else `PermissionDenied`); every active assignment of the application has
    a submitted review (else `NotAllIn`); an opinion. Audited as `review.panel_opinion`.
    """
    if panel.chair_id != by.pk:
        raise PermissionDenied
    counts = review_counts(application)
    if not counts.all_in:
        raise NotAllIn(
            _("The panel's opinion is recorded once every review is in: %(submitted)s of %(assigned)s so far.")
            % {"submitted": counts.submitted, "assigned": counts.assigned}
        )
    if not opinion.strip():
        raise ValidationError({"opinion": _("Write the panel's opinion.")})
    row, created = PanelOpinion.objects.update_or_create(
        panel=panel, application=application, defaults={"opinion": opinion.strip(), "recorded_by": by}
    )
    # On the opinion, not the application: the application's timeline is the applicant's to read.
    audit.record(action="review.panel_opinion", target=row, actor=by.user, note="" if created else "changed")
    return row


# --- helpers -----------------------------------------------------------------------------------------
def _open_review(assignment: Assignment, by: User) -> tuple[Review, list[Criterion]]:
    """The assignment's review, locked, with the call's criteria; or the refusal of `by` or of the state."""
    assignment = Assignment.objects.select_related("application__call", "expert").get(pk=assignment.pk)
    if assignment.expert.user_id != by.pk or assignment.status != AssignmentStatus.ACTIVE:
        raise PermissionDenied
    if assignment.application.status != ApplicationStatus.UNDER_REVIEW:
        raise ReviewLocked(_("This application is no longer under review: its review cannot change."))
    Review.objects.get_or_create(assignment=assignment)
    review = Review.objects.select_for_update().get(assignment=assignment)
    if review.status == ReviewStatus.SUBMITTED:
        raise ReviewLocked(_("This review is submitted and locked: only the secretariat can reopen it."))
    rubric_services.ensure_rubric(assignment.application.call)
    return review, list(Criterion.objects.filter(call=assignment.application.call).order_by("position", "pk"))


def _check_ranges(criteria: list[Criterion], draft: Draft) -> None:
    by_pk = {criterion.pk: criterion for criterion in criteria}
    errors: dict[str, list[str]] = {}
    for item in draft.scores:
        criterion = by_pk.get(item.criterion_pk)
        if criterion is None:
            continue
        if item.score is None:
            if item.comment.strip():
                errors[score_field(criterion.pk)] = [_("A comment is kept with its score: give the score too.")]
            continue
        if not (0 <= item.score <= criterion.max_score and rubric.on_step(item.score)):
            errors[score_field(criterion.pk)] = [range_message(criterion.max_score)]
    if draft.recommendation and draft.recommendation not in Recommendation.values:
        errors["recommendation"] = [_("Choose recommend or do not recommend.")]
    if errors:
        raise ValidationError(errors)


def range_message(max_score: int) -> str:
    return _("A score is from 0 to %(max)s, in steps of 0.5.") % {"max": max_score}


def _check_complete(criteria: list[Criterion], draft: Draft) -> None:
    given = {item.criterion_pk for item in draft.scores if item.score is not None}
    errors: dict[str, list[str]] = {
        score_field(c.pk): [_("Score this criterion before submitting.")] for c in criteria if c.pk not in given
    }
    if not draft.opinion.strip():
        errors["opinion"] = [_("Write your overall opinion before submitting.")]
    if not draft.recommendation:
        errors["recommendation"] = [_("Say whether you recommend the application before submitting.")]
    if errors:
        raise ValidationError(errors)


def _write(review: Review, draft: Draft, criteria: list[Criterion]) -> None:
    """The draft's scores onto the review's rows (a cleared score removes its row), its opinion and choice."""
    known = {criterion.pk for criterion in criteria}
    existing = {score.criterion_id: score for score in Score.objects.filter(review=review)}
    for item in draft.scores:
        if item.criterion_pk not in known:
            continue
        row = existing.get(item.criterion_pk)
        if item.score is None:  # cleared (a comment alone was refused by `_check_ranges`)
            if row is not None:
                row.delete()
            continue
        if row is None:
            Score.objects.create(review=review, criterion_id=item.criterion_pk, score=item.score, comment=item.comment)
        elif (row.score, row.comment) != (item.score, item.comment):
            row.score, row.comment = item.score, item.comment
            row.save(update_fields=["score", "comment"])
    review.opinion = draft.opinion
    review.recommendation = draft.recommendation
