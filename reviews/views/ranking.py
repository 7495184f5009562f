"""The ranking of a call (or a panel), its export, the shortlist, and one application's outcome by hand.

The secretariat's: a call's pages send anonymous users to log in and give other users 403 (the call is public);
an application's outcome page is 404 to whoever may not see the application, 403 to whoever may see it but not
decide, 409 when the application is not under review. Every opening of the ranking and every export is
recorded in the audit log (who read the scores, and when).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django_htmx.http import HttpResponseClientRefresh

from portal import audit
from portal.choices import Role
from portal.permissions import role_required
from portal.views.helpers import PAGE_SIZE, REFUSED, add_service_errors, bound
from projects import workflow
from projects.models import Application, ApplicationStatus, Call
from reviews import exports
from reviews import selectors as review_selectors
from reviews import selectors_ranking as selectors
from reviews.forms_ranking import OutcomeForm, RankingFilterForm, ShortlistForm
from reviews.models import Panel
from reviews.services import shortlisting
from reviews.views.fetching import secretariat_application

secretariat_only = role_required(Role.SECRETARIAT)
CONFLICT = 409


# The ranking's sortable columns in their order (selectors_ranking.SORTS).
SORT_COLUMNS = [
    ("rank", gettext_lazy("Rank")),
    ("mean", gettext_lazy("Mean")),
    ("trimmed_mean", gettext_lazy("Trimmed mean")),
    ("normalised", gettext_lazy("Normalised (z)")),
    ("stdev", gettext_lazy("Standard deviation")),
    ("reviews", gettext_lazy("Reviews in")),
]


def _chosen_panel(request: HttpRequest, call: Call) -> tuple[RankingFilterForm, Panel | None]:
    form = RankingFilterForm(request.GET or None, panels=review_selectors.panels_to_choose(call))
    panel = form.cleaned_data["panel"] if form.is_bound and form.is_valid() else None
    return form, panel


def _sort(request: HttpRequest) -> str:
    sort = request.GET.get("sort", "rank")
    return sort if sort.removeprefix("-") in selectors.SORTS else "rank"


def _rules(settings) -> dict:
    return {
        "rank_by": settings.get_rank_by_display(),
        "tie_break": settings.get_tie_break_display(),
        "threshold": settings.divergence_threshold,
        "k": settings.reviews_per_application,
        "frozen_at": settings.frozen_at,
    }


@require_safe
@secretariat_only
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.select_related("review_settings"), pk=pk)
    filters, panel = _chosen_panel(request, call)
    settings, kept, incomplete = selectors.ranked_rows(call, panel=panel)
    sort = _sort(request)
    page_obj = Paginator(selectors.sorted_kept(kept, sort), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.rows_of(page_obj.object_list)
    applications = selectors.page_applications([row.application_id for row in rows])
    audit.record(action="review.ranking_read", target=call, actor=request.user, note=panel.name if panel else "")
    context = {
        "call": call,
        "rules": _rules(settings),
        "filters": filters,
        "panel": panel,
        "sort": sort,
        "page_obj": page_obj,
        "rows": [{"row": row, "application": applications[row.application_id]} for row in rows],
        "incomplete": incomplete,
        "sort_columns": SORT_COLUMNS,
    }
    status = REFUSED if filters.is_bound and not filters.is_valid() else 200
    return render(request, "reviews/ranking/ranking.html", context, status=status)


@require_safe
@secretariat_only
def ranking_export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk)
    filters, panel = _chosen_panel(request, call)
    if filters.is_bound and not filters.is_valid():
        return ranking(request, pk)  # the page, saying what is wrong with the choice (400)
    the_ranking = selectors.ranking(call, panel=panel)
    audit.record(
        action="review.ranking_export",
        target=call,
        actor=request.user,
        note=f"{kind.upper()} {panel.name}" if panel else kind.upper(),
    )
    return exports.ranking_response(the_ranking, kind)


# --- the shortlist ---------------------------------------------------------------------------------------------
def _resolve(call: Call, form: ShortlistForm) -> shortlisting.Selection | None:
    """The form's selection with the listed standard numbers as the call's applications under review; None (the
    form's errors say which number) when one is not."""
    data = form.cleaned_data
    listed = set(data["include"]) | set(data["exclude"])
    found = dict(
        Application.objects.filter(
            call=call, status=ApplicationStatus.UNDER_REVIEW, standard__number__in=listed
        ).values_list("standard__number", "pk")
    )
    for name in ("include", "exclude"):
        unknown = [number for number in data[name] if number not in found]
        if unknown:
            form.add_error(
                name,
                _("Not an application under review in this call: %(numbers)s") % {"numbers": ", ".join(unknown)},
            )
    if form.errors:
        return None
    return shortlisting.Selection(
        mode=data["mode"],
        count=data["count"],
        threshold=data["threshold"],
        include=frozenset(found[number] for number in data["include"]),
        exclude=frozenset(found[number] for number in data["exclude"]),
    )


@secretariat_only
def shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form; POST: the plan shown for confirmation, then (`confirm`) every decision made at once."""
    call = get_object_or_404(Call, pk=pk)
    form = ShortlistForm(**bound(request))
    context = {"call": call, "form": form}
    status = 200
    if form.is_bound:
        status = REFUSED
        selection = _resolve(call, form) if form.is_valid() else None
        if selection is not None:
            plan = shortlisting.plan(call, selection)
            context |= _plan_context(plan)
            status = 200
            if "confirm" in request.POST:
                outcome = _decide(request, call, form, selection)
                if isinstance(outcome, HttpResponse):
                    return outcome
                status = outcome
    if "plan" not in context:
        context |= {"rules": _rules(selectors.settings_of(call)), "open_count": _open_count(call)}
    return render(request, "reviews/ranking/shortlist.html", context, status=status)


def _open_count(call: Call) -> int:
    return Application.objects.filter(call=call, status=ApplicationStatus.UNDER_REVIEW).count()


def _plan_context(plan: shortlisting.Plan) -> dict:
    shown = plan.chosen + plan.departures
    applications = selectors.page_applications([row.application_id for row in shown])
    departing = {row.application_id for row in plan.departures}
    return {
        "plan": plan,
        "rules": _rules(plan.ranking.settings),
        "chosen_rows": [
            {
                "row": row,
                "application": applications[row.application_id],
                "departs": row.application_id in departing,
                "score": row.value(plan.ranking.settings.rank_by),
            }
            for row in plan.chosen
        ],
        "left_out_departing": [
            {"row": row, "application": applications[row.application_id]}
            for row in plan.departures
            if row not in plan.chosen
        ],
    }


def _decide(request: HttpRequest, call: Call, form: ShortlistForm, selection) -> HttpResponse | int:
    reason = form.cleaned_data["reason"]
    try:
        done = shortlisting.start_decision(call=call, by=request.user, selection=selection, reason=reason)
    except shortlisting.NeedsReason as refusal:
        form.add_error("reason", str(refusal))
        return REFUSED
    except ValidationError as error:
        add_service_errors(form, error)
        return REFUSED
    except workflow.InvalidTransition:
        form.add_error(None, _("An application of the call was decided meanwhile: nothing was changed. Try again."))
        return CONFLICT
    if isinstance(done, str):  # a large call: a task decides it, its page shows the progress
        return redirect("reviews:shortlist_progress", pk=call.pk, token=done)
    messages.success(
        request,
        _("%(chosen)s applications are shortlisted and %(rest)s marked not selected; their groups are notified.")
        % {"chosen": len(done.chosen), "rest": len(done.rest)},
    )
    return redirect("reviews:ranking", pk=call.pk)


@require_safe
@secretariat_only
def shortlist_progress(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """A large call's decision while its task runs (htmx polls), then its outcome."""
    call = get_object_or_404(Call, pk=pk)
    state = shortlisting.read_decision(token)
    if state is None or state["call"] != call.pk:
        raise Http404
    if request.htmx and state["state"] not in {"queued", "running"}:
        return HttpResponseClientRefresh()  # finished: the whole page shows the outcome
    context = {"call": call, "state": state, "token": token}
    status = CONFLICT if state["state"] == "failed" else 200
    return render(request, "reviews/ranking/shortlist_progress.html", context, status=status)


# --- one application's outcome, by hand ---------------------------------------------------------------------------
@login_required
def application_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    application = secretariat_application(request, pk)
    form = OutcomeForm(**bound(request))
    settings, kept, _incomplete = selectors.ranked_rows(application.call)
    mine = [item for item in kept if item[0] == application.pk]  # a kept row starts with its application's key
    row = selectors.rows_of(mine)[0] if mine else None
    context = {"application": application, "form": form, "row": row, "rules": _rules(settings)}
    moves = [form.data.get("decision")] if form.data.get("decision") in ("shortlist", "not_select") else []
    try:
        workflow.check(application, *(moves or ["shortlist", "not_select"]), by=request.user)
    except workflow.InvalidTransition as error:
        context["refusal"] = str(error)
        return render(request, "reviews/ranking/outcome.html", context, status=CONFLICT)
    if not form.is_bound:
        return render(request, "reviews/ranking/outcome.html", context)
    if form.is_valid():
        data = form.cleaned_data
        try:
            shortlisting.decide_one(
                application=application,
                by=request.user,
                shortlist=data["decision"] == "shortlist",
                reason=data["reason"],
            )
        except shortlisting.NeedsReason as refusal:
            form.add_error("reason", str(refusal))
        except workflow.InvalidTransition as error:
            context["refusal"] = str(error)
            return render(request, "reviews/ranking/outcome.html", context, status=CONFLICT)
        else:
            messages.success(request, _("The outcome is recorded; the group is notified."))
            return redirect(application)
    return render(request, "reviews/ranking/outcome.html", context, status=REFUSED)
