"""The assignment pages: the secretariat's list and proposals for a call, an application's assignments (by hand,
unassigning, the replacement proposal), and the expert's own page to decline (declaring a conflict).

The secretariat's call pages send anonymous users to log in and give other users 403 (the call is public). An
application's or an assignment's page is 404 to whoever may not see it, 403 to whoever may see but not act.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from portal.choices import Role
from portal.permissions import is_secretariat, role_required
from portal.views.helpers import REFUSED, bound, fetch, paginate
from projects.models import Application, ApplicationStatus, Call
from reviews import selectors
from reviews.assignment.solver import Infeasible
from reviews.forms_assignments import AssignForm, AssignmentFilterForm, ProposeForm, ReasonForm
from reviews.models import Assignment, AssignmentStatus, Expert, Panel
from reviews.services import assignments as services
from reviews.views.fetching import secretariat_application

secretariat_only = role_required(Role.SECRETARIAT)
CONFLICT = 409


# --- a call's assignments -----------------------------------------------------------------------------
def _loads(call: Call, expert_ids) -> dict[int, int]:
    """Each expert's active assignments in the call (one query)."""
    rows = Assignment.objects.filter(application__call=call, expert__in=expert_ids, status=AssignmentStatus.ACTIVE)
    return dict(rows.values_list("expert_id").annotate(n=Count("pk")).order_by())


@secretariat_only
def assignment_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Per application under review its experts and their status, per expert the load; a POST starts a proposal
    for the whole call or a panel (the proposal page shows it, or its progress)."""
    call = get_object_or_404(Call, pk=pk)
    panels = selectors.panels_to_choose(call)
    propose_form = ProposeForm(**bound(request), panels=panels)
    if propose_form.is_bound and propose_form.is_valid():
        data = propose_form.cleaned_data
        token = services.start_proposal(call, panel=data["panel"], seed=data["seed"], draw=data["draw"])
        return redirect("reviews:assignment_proposal", pk=call.pk, token=token)
    filters = AssignmentFilterForm(request.GET or None, panels=panels)
    applications = Application.objects.filter(call=call, status=ApplicationStatus.UNDER_REVIEW)
    status = REFUSED if propose_form.is_bound else 200
    if filters.is_bound and not filters.is_valid():
        applications, status = applications.none(), REFUSED
    elif filters.is_bound:
        field = filters.cleaned_data["panel"].field if filters.cleaned_data["panel"] else filters.cleaned_data["field"]
        applications = applications.filter(industry_field=field) if field else applications
    # Only what a row shows: a page holds some twenty applications and a hundred experts.
    rows = (
        Assignment.objects.select_related("expert__user")
        .only("application_id", "status", "expert__user__name", "expert__user__username")
        .order_by("status", "expert__user__name", "pk")
    )
    page_obj = paginate(
        request,
        applications.select_related("standard", "group")
        .only("industry_field", "standard__number", "standard__number_as_typed", "standard__title_zh", "group__name")
        .prefetch_related(Prefetch("assignments", queryset=rows))
        .order_by("pk"),
    )
    experts = {row.expert_id for application in page_obj for row in application.assignments.all()}
    loads = _loads(call, experts)
    for application in page_obj:
        for row in application.assignments.all():
            row.load = loads.get(row.expert_id, 0)
        application.active_count = sum(row.status == AssignmentStatus.ACTIVE for row in application.assignments.all())
    context = {
        "call": call,
        "settings": services.review_settings(call),
        "filters": filters,
        "propose_form": propose_form,
        "page_obj": page_obj,
    }
    return render(request, "reviews/assignments/list.html", context, status=status)


def _proposal_rows(proposal) -> list[dict]:
    """Per application of the proposal: the experts proposed, each with the load the proposal gives them."""
    by_application = defaultdict(list)
    for paper, expert in proposal.pairs:
        by_application[paper].append(expert)
    applications = Application.objects.filter(pk__in=list(by_application)).select_related("standard", "group")
    experts = Expert.objects.filter(pk__in=[e for _, e in proposal.pairs]).select_related("user").in_bulk()
    return [
        {
            "application": application,
            "experts": [(experts[e], proposal.loads.get(e, 0)) for e in by_application[application.pk]],
        }
        for application in applications.order_by("pk")
    ]


@secretariat_only
def assignment_proposal(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """A proposal for confirmation (its progress while the task runs; htmx polls); a POST confirms it."""
    call = get_object_or_404(Call, pk=pk)
    state = services.read_proposal(token)
    if state is None or state["call"] != call.pk:
        raise Http404
    panel = Panel.objects.filter(pk=state["panel"]).first() if state["panel"] else None
    context = {"call": call, "panel": panel, "state": state, "token": token}
    if state["state"] in {"queued", "running"}:
        if request.method == "POST":
            return render(request, "reviews/assignments/proposal.html", context, status=CONFLICT)
        return render(request, "reviews/assignments/proposal.html", context)
    if request.htmx:
        return HttpResponseClientRefresh()  # finished: the whole page shows the result
    if state["state"] == "infeasible":
        return render(request, "reviews/assignments/proposal.html", context, status=CONFLICT)
    proposal = services.proposal_of(state)
    if request.method == "POST":
        try:
            created = services.confirm(call, proposal, by=request.user, panel=panel)
        except ValidationError as error:
            context["refusals"] = error.messages
        else:
            services.forget_proposal(token)
            messages.success(request, _("%(count)s assignments are saved.") % {"count": len(created)})
            return redirect("reviews:assignment_list", pk=call.pk)
    context["rows"] = _proposal_rows(proposal)
    status = CONFLICT if "refusals" in context else 200
    return render(request, "reviews/assignments/proposal.html", context, status=status)


# --- an application's assignments ---------------------------------------------------------------------
def _candidates(application: Application):
    return (
        Expert.objects.filter(is_active=True, expertise__field=application.industry_field)
        .exclude(assignments__application=application, assignments__status=AssignmentStatus.ACTIVE)
        .select_related("user")
        .order_by("user__name", "pk")
    )


def _replacement(application: Application, assignments: list[Assignment], k: int) -> dict | None:
    """The proposal completing an application to k after a decline or an unassignment, or why there is none."""
    ended = [row for row in assignments if row.status != AssignmentStatus.ACTIVE]
    active = len(assignments) - len(ended)
    if not ended or active >= k or application.status != ApplicationStatus.UNDER_REVIEW:
        return None
    try:
        proposal = services.replacement_for(ended[-1])
    except Infeasible as infeasible:
        return {"reasons": infeasible.reasons}
    experts = Expert.objects.select_related("user").in_bulk([expert for _, expert in proposal.pairs])
    return {"experts": [(experts[e], proposal.loads.get(e, 0)) for _, e in proposal.pairs]}


def _application_page(request, application, *, form=None, refusals=(), status=200) -> HttpResponse:
    rows = list(application.assignments.select_related("expert__user", "assigned_by").order_by("assigned_at", "pk"))
    loads = _loads(application.call, [row.expert_id for row in rows])
    for row in rows:
        row.load = loads.get(row.expert_id, 0)
    k = services.review_settings(application.call).reviews_per_application
    context = {
        "application": application,
        "assignments": rows,
        "k": k,
        "form": form or AssignForm(candidates=_candidates(application)),
        "refusals": refusals,
        "replacement": _replacement(application, sorted(rows, key=lambda row: row.ended_at or row.assigned_at), k),
    }
    return render(request, "reviews/assignments/application.html", context, status=status)


@login_required
def application_assignments(request: HttpRequest, pk: int) -> HttpResponse:
    """The application's experts; a POST assigns one by hand (a refusal shows its reason, 400)."""
    application = secretariat_application(request, pk)
    form = AssignForm(**bound(request), candidates=_candidates(application))
    if form.is_bound and form.is_valid():
        try:
            services.assign(application, form.cleaned_data["expert"], by=request.user)
        except ValidationError as error:
            return _application_page(request, application, form=form, refusals=error.messages, status=REFUSED)
        messages.success(request, _("%(expert)s is assigned.") % {"expert": form.cleaned_data["expert"]})
        return redirect("reviews:application_assignments", pk=application.pk)
    return _application_page(request, application, form=form, status=REFUSED if form.is_bound else 200)


# --- one assignment -----------------------------------------------------------------------------------
def _is_own(user, assignment: Assignment) -> bool:
    return assignment.expert.user_id == user.pk


def _assignment(request: HttpRequest, pk: int, *, can_act) -> Assignment:
    return fetch(
        Assignment.objects.select_related("expert__user", "application__standard", "application__call"),
        user=request.user,
        can_see=lambda user, obj: _is_own(user, obj) or is_secretariat(user),
        can_act=can_act,
        pk=pk,
    )


@require_POST
@login_required
def assignment_unassign(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk, can_act=lambda user, obj: is_secretariat(user))
    form = ReasonForm(request.POST)
    try:
        services.unassign(assignment, by=request.user, reason=form.data.get("reason", ""))
    except ValidationError as error:
        application = secretariat_application(request, assignment.application_id)
        return _application_page(request, application, refusals=error.messages, status=REFUSED)
    messages.success(request, _("%(expert)s is unassigned.") % {"expert": assignment.expert.user.get_full_name()})
    return redirect("reviews:application_assignments", pk=assignment.application_id)


@login_required
def assignment_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """The expert's own assignment: declare a conflict of interest, with the reason, and decline it."""
    assignment = _assignment(request, pk, can_act=_is_own)
    form = ReasonForm(**bound(request))
    status = 200
    if form.is_bound and form.is_valid():
        try:
            services.decline(assignment, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("You have declined this assignment; the secretariat is told."))
            return redirect(reverse("portal:dashboard"))
    if form.is_bound:
        status = CONFLICT if assignment.status != AssignmentStatus.ACTIVE else REFUSED
    context = {"assignment": assignment, "form": form}
    return render(request, "reviews/assignments/decline.html", context, status=status)
