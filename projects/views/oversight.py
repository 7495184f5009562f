"""The secretariat's oversight of the recommendation stage: the recommenders of a call (page and CSV), a
recommender's deadline extension, and the formal check (形式审查) of recommended applications."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from portal import csv_export
from portal.models import Organisation, User
from portal.views.helpers import REFUSED, add_service_errors, bound, form_status, key_or_none, paginate
from projects import panels, workflow
from projects.forms.oversight import ADMIT, REJECT, BulkFormalCheckForm, FormalCheckForm, RecommenderExtensionForm
from projects.models import Application, RecommenderExtension
from projects.permissions import SUBMITTED_ONCE
from projects.selectors import oversight as selectors
from projects.selectors.calls import RECOMMENDER_KINDS
from projects.services import calls as services
from projects.views.applications import CONFLICT, _detail_context, _fetch, _posted_moves
from projects.views.calls import _managed_call

MOVES = {ADMIT: "admit", REJECT: "reject_ineligible"}  # the formal check's choices, and the move each makes


# --- the recommenders of a call ----------------------------------------------------------------------
@require_safe
@login_required
def call_recommenders(request: HttpRequest, pk: int) -> HttpResponse:
    call = _managed_call(request, pk)
    overview = selectors.recommender_overview(call, timezone.now())
    return render(request, "projects/call_recommenders.html", {"call": call, "overview": overview})


@require_safe
@login_required
def call_recommenders_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The recommenders' table as a CSV file for Excel (UTF-8 with a byte-order mark, formulas defused)."""
    call = _managed_call(request, pk)
    rows = selectors.recommender_rows(call, timezone.now())
    headers = [
        _("Recommender"),
        _("Received"),
        _("Recommended"),
        _("Returned for revision"),
        _("Declined"),
        _("Undecided"),
        _("Quota"),
        _("Recommendation deadline (Beijing time)"),
        _("Deadline passed"),
    ]
    lines = csv_export.lines(headers, [_csv_row(row) for row in rows])
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().astimezone(timezone.get_default_timezone()).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="recommenders-{call.pk}-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def _csv_row(row: selectors.RecommenderRow) -> list[object]:
    return [
        row.recommender.name,
        row.received,
        row.recommended,
        row.returned,
        row.declined,
        row.undecided,
        row.quota,
        services.beijing(row.deadline),
        _("yes") if row.passed else _("no"),
    ]


@login_required
def recommender_extension(request: HttpRequest, pk: int, organisation_pk: int) -> HttpResponse:
    """Give one recommender a later recommendation deadline in the call, or change the one it has."""
    call = _managed_call(request, pk)
    recommender = get_object_or_404(Organisation, pk=organisation_pk, kind__in=RECOMMENDER_KINDS)
    existing = RecommenderExtension.objects.filter(call=call, recommender=recommender).first()
    initial = {"until": existing.until, "reason": existing.reason} if existing else {}
    form = RecommenderExtensionForm(**bound(request), initial=initial)
    if form.is_bound and form.is_valid():
        try:
            extension = services.extend_recommendation_deadline(
                call=call, recommender=recommender, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(recommender)s may decide until %(until)s (Beijing time).")
                % {"recommender": recommender.name, "until": services.beijing(extension.until)},
            )
            return redirect("projects:call_recommenders", pk=call.pk)
    context = {"call": call, "recommender": recommender, "existing": existing, "form": form}
    return render(request, "projects/recommender_extension.html", context, status=form_status(request))


# --- the formal check --------------------------------------------------------------------------------
@dataclass
class CheckOutcome:
    done: list[Application] = field(default_factory=list)
    refused: list[tuple[Application, str]] = field(default_factory=list)


def _check(application: Application, *, by: User, data: dict) -> None:
    if data["decision"] == ADMIT:
        workflow.admit(application, by=by, note=data["note"])
    else:
        workflow.reject_ineligible(application, by=by, reason=data["reason"])


def _check_each(user: User, data: dict) -> CheckOutcome:
    """Each application moved on its own transition: one refusal leaves the others done."""
    outcome = CheckOutcome()
    for application in data["applications"]:
        try:
            _check(application, by=user, data=data)
        except workflow.TransitionRefused as refusal:
            outcome.refused.append((application, refusal.message))
        except workflow.InvalidTransition as error:
            outcome.refused.append((application, str(error)))
        except PermissionDenied:
            outcome.refused.append((application, _("You may not make the formal check of this application.")))
        else:
            outcome.done.append(application)
    return outcome


def _done_message(decision: str, count: int) -> str:
    if decision == ADMIT:
        return ngettext(
            "%(count)d application is admitted to expert review.",
            "%(count)d applications are admitted to expert review.",
            count,
        ) % {"count": count}
    return ngettext(
        "%(count)d application is rejected as ineligible; its group sees the reasons.",
        "%(count)d applications are rejected as ineligible; their groups see the reasons.",
        count,
    ) % {"count": count}


@login_required
def formal_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The call's recommended applications: admit or reject a selection (`?recommender=` narrows the list)."""
    call = _managed_call(request, pk)
    recommenders = selectors.check_recommenders(call)
    chosen = request.GET.get("recommender", "")
    recommender = recommenders.filter(pk=key_or_none(chosen)).first() if key_or_none(chosen) else None
    form = BulkFormalCheckForm(**bound(request), call=call)
    # A draft never submitted is its group's own: not even a choice here, so that no refusal names it.
    choices = form.fields["applications"]
    choices.queryset = choices.queryset.filter(SUBMITTED_ONCE)
    outcome = None
    if form.is_bound and form.is_valid():
        outcome = _check_each(request.user, form.cleaned_data)
        if outcome.done:
            messages.success(request, _done_message(form.cleaned_data["decision"], len(outcome.done)))
        if not outcome.refused:
            return redirect(request.get_full_path())
    # A page of them at a time: a province recommends hundreds in a large call. The form posts back to this
    # page, and after the moves the same page is shown again (or the last one, once this one is emptied).
    page_obj = paginate(request, selectors.awaiting_formal_check(call, recommender=recommender))
    context = {
        "call": call,
        "form": form,
        "selected": form.selected() if form.is_bound else set(),
        "outcome": outcome,
        "page_obj": page_obj,
        "rows": selectors.check_rows(page_obj.object_list, timezone.now()),
        "counts": selectors.check_counts(call),
        "recommenders": list(recommenders),
        "recommender": recommender,
    }
    return render(request, "projects/formal_check.html", context, status=form_status(request))


@login_required
@require_POST
def application_formal_check(request: HttpRequest, pk: int) -> HttpResponse:
    """One application's formal check from its page; the state and the dates are the workflow's to judge."""
    application = _fetch(request, pk)
    # Who may check (403), then whether it awaits the check (409), before what was typed is judged (400).
    try:
        workflow.check(application, *_posted_moves(request, MOVES), by=request.user)
    except workflow.InvalidTransition as error:
        return _detail(request, application, CONFLICT, refusal=str(error))
    form = FormalCheckForm(request.POST)
    if not form.is_valid():
        return _detail(request, application, REFUSED, form=form)
    data = form.cleaned_data
    try:
        _check(application, by=request.user, data=data)
    except workflow.TransitionRefused as refusal:
        return _detail(request, application, REFUSED, refusal=refusal.message, form=form)
    except workflow.InvalidTransition as error:
        return _detail(request, application, CONFLICT, refusal=str(error))
    messages.success(request, _done_message(data["decision"], 1))
    return redirect(application)


def _detail(
    request: HttpRequest, application: Application, status: int, *, form: FormalCheckForm | None = None, **extra: object
) -> HttpResponse:
    """The application page again, the formal-check panel holding what was typed."""
    forms_shown = {panels.formal_check: form} if form is not None else None
    context = _detail_context(request, application, forms_shown=forms_shown, **extra)
    return render(request, "projects/application_detail.html", context, status=status)
