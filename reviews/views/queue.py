"""The review queue: an expert's assignments, the review page (the 申报书 beside the scoring form), the
secretariat's rubric page and reopening, and a panel chair's opinion.

An assignment's review is its expert's and the secretariat's (which reads it): to anyone else it is not found.
The secretariat may read but never score (403); a submitted review, or a frozen rubric, is a state (409).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal import audit
from portal.choices import Role
from portal.permissions import is_secretariat, role_required
from portal.views.helpers import REFUSED, add_service_errors, bound, fetch, paginate
from projects import permissions as application_permissions
from projects.completeness import SECTIONS
from projects.models import Application, Call
from projects.selectors.applications import application_with_details
from reviews import selectors_queue as selectors
from reviews.forms_reviews import (
    CriterionFormSet,
    PanelOpinionForm,
    ReasonForm,
    ReviewForm,
    SettingsForm,
    criterion_initial,
)
from reviews.models import Assignment, Panel, PanelOpinion, ReviewStatus
from reviews.services import reviews as services
from reviews.services import rubric as rubric_services

CONFLICT = 409
# What the expert reads of the 申报书: every section but the applicant's pledge.
READ_SECTIONS = [section for section in SECTIONS if section.key != "pledge"]

secretariat_only = role_required(Role.SECRETARIAT)


# --- the rubric and settings of a call (the secretariat's) ----------------------------------------------------
@secretariat_only
def rubric(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk)
    settings = rubric_services.ensure_rubric(call)
    criteria = selectors.criteria_of(call)
    context = {"call": call, "settings": settings, "criteria": criteria, "frozen": settings.frozen_at is not None}
    if context["frozen"]:
        status = 200
        if request.method == "POST":
            context["refusal"] = str(rubric_services.RubricFrozen(settings.frozen_at))
            status = CONFLICT
        return render(request, "reviews/queue/rubric_form.html", context, status=status)
    form = SettingsForm(**bound(request), instance=settings)
    formset = CriterionFormSet(**bound(request), initial=criterion_initial(criteria), prefix="criteria")
    status = 200
    if request.method == "POST":
        status = REFUSED
        if form.is_valid() and formset.is_valid():
            values = {name: form.cleaned_data[name] for name in rubric_services.SETTINGS_FIELDS}
            try:
                rubric_services.save_rubric(call=call, by=request.user, settings=values, criteria=formset.rows())
            except rubric_services.RubricFrozen as refusal:
                context["refusal"] = str(refusal)
                status = CONFLICT
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The rubric and the review settings are saved."))
                return redirect("reviews:rubric", pk=call.pk)
    context |= {"form": form, "formset": formset}
    return render(request, "reviews/queue/rubric_form.html", context, status=status)


# --- the expert's queue ------------------------------------------------------------------------------------
@require_safe
@role_required(Role.EXPERT)
def queue(request: HttpRequest) -> HttpResponse:
    page_obj = paginate(request, selectors.queue_of(request.user))
    rows = [
        {"assignment": a, "progress": selectors.progress_of(a), "due": selectors.due_of(a)}
        for a in page_obj.object_list
    ]
    return render(request, "reviews/queue/queue_list.html", {"page_obj": page_obj, "rows": rows})


# --- one review ------------------------------------------------------------------------------------------
def _fetch(request: HttpRequest, pk: int) -> Assignment:
    """The assignment, or 404 unless the user is its expert (active) or the secretariat."""
    return fetch(selectors.assignment_for_page(), pk=pk, user=request.user, can_see=selectors.may_read)


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _fetch(request, pk)
    if request.method == "POST" and not selectors.is_reviewer(request.user, assignment):
        raise PermissionDenied  # the secretariat reads, never scores
    _log_read(request, assignment)
    can_score = selectors.can_score(request.user, assignment)
    form = ReviewForm(**(bound(request) if can_score else {}), **_form_arguments(assignment))
    status = 200
    if request.method == "POST" and not can_score:
        status = CONFLICT
        form.refusal = _locked_message(assignment)
    elif form.is_bound:
        status = REFUSED
        if form.is_valid():
            outcome = _save(request, assignment, form)
            if isinstance(outcome, HttpResponse):
                return outcome
            status = outcome
    return _render_review(request, assignment, form, status=status, can_score=can_score and status != CONFLICT)


def _log_read(request: HttpRequest, assignment: Assignment) -> None:
    """Who other than its expert opened a review's scores goes into the audit log (issue 12)."""
    current = selectors.review_of(assignment)
    # Whoever reached the page and is not its expert is the secretariat (`_fetch`).
    if current is not None and assignment.expert.user_id != request.user.pk:
        audit.record(action="review.read", target=current, actor=request.user)


def _form_arguments(assignment: Assignment) -> dict:
    rubric_services.ensure_rubric(assignment.application.call)
    current = selectors.review_of(assignment)
    return {
        "criteria": selectors.criteria_of(assignment.application.call),
        "review": current,
        "scores": selectors.scores_of(current),
    }


def _save(request: HttpRequest, assignment: Assignment, form: ReviewForm) -> HttpResponse | int:
    """Save the draft or submit it; a redirect, or the status of the refusal (its message on the form)."""
    submitting = "submit" in request.POST
    change = services.submit if submitting else services.save_draft
    try:
        change(assignment=assignment, by=request.user, draft=form.draft())
    except ValidationError as error:
        add_service_errors(form, error)
        form.add_error(None, _("The review is not submitted: complete what is marked, then submit again."))
        return REFUSED
    except services.ReviewLocked as refusal:
        form.refusal = str(refusal)
        return CONFLICT
    if submitting:
        messages.success(request, _("Your review is submitted. It is locked now; thank you."))
        return redirect("reviews:queue")
    messages.success(request, _("Your draft is saved. You may come back to it before submitting."))
    return redirect("reviews:review", pk=assignment.pk)


def _locked_message(assignment: Assignment) -> str:
    if selectors.progress_of(assignment) == ReviewStatus.SUBMITTED:
        return _("This review is submitted and locked: only the secretariat can reopen it.")
    return _("This application is no longer under review: its review cannot change.")


def _render_review(
    request: HttpRequest,
    assignment: Assignment,
    form: ReviewForm,
    *,
    status: int,
    can_score: bool,
    reason_form: ReasonForm | None = None,
) -> HttpResponse:
    if not can_score:
        form.disable()
    current = selectors.review_of(assignment)
    may_reopen = is_secretariat(request.user) and current is not None and current.status == ReviewStatus.SUBMITTED
    context = {
        "assignment": assignment,
        "application": application_with_details().get(pk=assignment.application_id),
        "sections": READ_SECTIONS,
        "form": form,
        "review": current,
        "can_score": can_score,
        "due": selectors.due_of(assignment),
        "reason_form": (reason_form or ReasonForm()) if may_reopen else None,
    }
    return render(request, "reviews/queue/review_detail.html", context, status=status)


@require_POST
@login_required
def review_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _fetch(request, pk)
    if not is_secretariat(request.user):
        raise PermissionDenied
    form = ReviewForm(**_form_arguments(assignment))
    current = selectors.review_of(assignment)
    reason_form = ReasonForm(request.POST)
    if current is None or current.status != ReviewStatus.SUBMITTED:
        form.refusal = _("This review is not submitted: there is nothing to reopen.")
        return _render_review(request, assignment, form, status=CONFLICT, can_score=False)
    if reason_form.is_valid():
        try:
            services.reopen(review=current, by=request.user, reason=reason_form.cleaned_data["reason"])
        except services.ReviewLocked as refusal:
            form.refusal = str(refusal)
            return _render_review(request, assignment, form, status=CONFLICT, can_score=False)
        except ValidationError as error:
            add_service_errors(reason_form, error)
        else:
            messages.success(request, _("The review is reopened; its expert is notified."))
            return redirect("reviews:review", pk=assignment.pk)
    return _render_review(request, assignment, form, status=REFUSED, can_score=False, reason_form=reason_form)


# --- a panel's opinion on an application (its chair's) ---------------------------------------------------
@login_required
def panel_opinion(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    panel = get_object_or_404(Panel.objects.select_related("chair", "call"), pk=pk)
    of_panel = Q(industry_field=panel.field) | Q(assignments__panel=panel)
    application = get_object_or_404(
        Application.objects.filter(of_panel, call=panel.call).select_related("standard", "group").distinct(),
        pk=application_pk,
    )
    chair = panel.chair
    if chair is None or chair.user_id != request.user.pk or not chair.is_active:
        if is_secretariat(request.user) or application_permissions.can_view(request.user, application):
            raise PermissionDenied
        raise Http404
    counts = selectors.review_counts(application)
    existing = PanelOpinion.objects.filter(panel=panel, application=application).first()
    form = PanelOpinionForm(**bound(request), initial={"opinion": existing.opinion if existing else ""})
    context = {"panel": panel, "application": application, "counts": counts, "form": form, "existing": existing}
    if not counts.all_in:
        context["refusal"] = _(
            "The panel's opinion is recorded once every review is in: %(submitted)s of %(assigned)s so far."
        ) % {"submitted": counts.submitted, "assigned": counts.assigned}
        return render(request, "reviews/queue/panel_opinion_form.html", context, status=CONFLICT)
    status = 200
    if form.is_bound:
        status = REFUSED
        if form.is_valid():
            try:
                services.record_panel_opinion(
                    panel=panel, application=application, by=chair, opinion=form.cleaned_data["opinion"]
                )
            except services.NotAllIn as refusal:
                context["refusal"] = str(refusal)
                status = CONFLICT
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The panel's opinion is recorded."))
                return redirect("reviews:panel_opinion", pk=panel.pk, application_pk=application.pk)
    return render(request, "reviews/queue/panel_opinion_form.html", context, status=status)
