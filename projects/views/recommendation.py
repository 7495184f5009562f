"""The recommender's pages: the inbox of applications naming their organisation, the decision on one, the
order of its recommendations in a call and its recommendation letter (推荐函)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.models import Organisation
from portal.permissions import is_secretariat
from portal.views.helpers import add_service_errors, bound, form_status, key_or_none
from projects import panels, rules, workflow
from projects.forms.recommendation import CONFIRMED, DECLINE, RECOMMEND, RETURN, DecisionForm, RanksForm
from projects.models import Application, Call
from projects.selectors import recommendation as selectors
from projects.selectors import recommended
from projects.selectors.applications import recommendation_deadline_of
from projects.services import recommendation as services
from projects.views.applications import CONFLICT, REFUSED, _detail_context, _fetch, _posted_moves

PAGE_SIZE = 20
# The decision form's choices, and the move each makes.
MOVES = {RECOMMEND: "recommend", RETURN: "return_for_revision", DECLINE: "decline"}


@require_safe
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    organisations = selectors.recommender_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    calls = selectors.inbox_calls(request.user, organisations)
    call = calls[0] if calls else None
    requested = request.GET.get("call", "")
    if requested:
        call = next((c for c in calls if str(c.pk) == requested), None)
        if call is None:
            raise Http404
    context = {"organisations": organisations, "calls": calls, "call": call}
    if call is not None:
        now = timezone.now()
        base = selectors.inbox_applications(request.user, organisations).filter(call=call)
        search = selectors.inbox_search(base, request.GET)
        counts = selectors.inbox_counts(base)
        paginator = Paginator(search.qs, PAGE_SIZE)
        if search.is_valid() and not any(search.form.cleaned_data.values()):
            paginator.count = counts.received  # unfiltered, the list is every application received: no count
        page_obj = paginator.get_page(request.GET.get("page"))
        context |= {
            "filter": search,
            "page_obj": page_obj,
            "counts": counts,
            # Each organisation's own deadline: the secretariat may have extended one and not another.
            "recommenders": recommended.recommender_rows(call, selectors.quota_rows(call, organisations), now),
        }
    return render(request, "projects/recommendation_inbox.html", context)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The recommender's decision, from the application page. A return or a decline is asked about first: the
    confirmation page repeats the reasons and posts everything back with `confirm` (or `change`, to the form)."""
    application = _fetch(request, pk)
    # Who may decide (403), then whether it awaits a decision (409), before what was typed is judged (400).
    try:
        workflow.check(application, *_posted_moves(request, MOVES), by=request.user)
    except workflow.InvalidTransition as error:
        return _detail(request, application, CONFLICT, refusal=str(error))
    form = DecisionForm(request.POST, quota=rules.quota_for(application.call, application.recommender))
    if not form.is_valid():
        return _detail(request, application, REFUSED, form=form)
    data = form.cleaned_data
    if "change" in request.POST:  # back from the confirmation page, everything typed still there
        return _detail(request, application, 200, form=form)
    if data["decision"] in CONFIRMED and "confirm" not in request.POST:
        return _confirmation(request, application, form)
    try:
        if data["decision"] == RECOMMEND:
            workflow.recommend(application, by=request.user, opinion=data["opinion"], rank=data["rank"])
            done = _("The application is recommended with rank %(rank)d.") % {"rank": data["rank"]}
        elif data["decision"] == RETURN:
            workflow.return_for_revision(application, by=request.user, reason=data["reason"])
            done = _("The application is returned to the group for revision.")
        else:  # DECLINE: the form's choices are the three decisions
            workflow.decline(application, by=request.user, reason=data["reason"])
            done = _("The application is declined; the group sees your reason.")
    except workflow.TransitionRefused as refusal:
        return _detail(request, application, REFUSED, refusal=refusal.message, form=form)
    except workflow.InvalidTransition as error:
        return _detail(request, application, CONFLICT, refusal=str(error))
    messages.success(request, done)
    return redirect(application)


def _detail(
    request: HttpRequest, application: Application, status: int, *, form: DecisionForm | None = None, **extra: object
) -> HttpResponse:
    """The application page again, the decision panel holding what was typed."""
    forms_shown = {panels.recommendation: form} if form is not None else None
    context = _detail_context(request, application, forms_shown=forms_shown, **extra)
    return render(request, "projects/application_detail.html", context, status=status)


def _confirmation(request: HttpRequest, application: Application, form: DecisionForm) -> HttpResponse:
    """Asked before a return or a decline: what it does, the reasons as the group will read them."""
    context = {
        "application": application,
        "form": form,
        "decision": form.cleaned_data["decision"],
        "reason": form.cleaned_data["reason"].strip(),
        "deadline": recommendation_deadline_of(application),
    }
    return render(request, "projects/application_decision_confirm.html", context)


# --- the order of the recommendations, and the letter (推荐函) ----------------------------------------------
def _recommender_in_call(
    request: HttpRequest, call_pk: int, *, secretariat_may: bool = False
) -> tuple[Call, Organisation, list[Organisation]]:
    """The call and the recommender whose recommendations are shown: `?organisation=` among the user's (else
    their first). 403 for a user of no recommender (the secretariat excepted when `secretariat_may`, who names
    any recommender); 404 for an unknown call or organisation, or a call with none of its applications."""
    organisations = selectors.recommender_organisations(request.user)
    wanted = request.GET.get("organisation", "")
    if not organisations:
        if not (secretariat_may and is_secretariat(request.user)):
            raise PermissionDenied
        call = get_object_or_404(Call, pk=call_pk)
        if key_or_none(wanted) is None:
            raise Http404
        return call, get_object_or_404(Organisation, pk=key_or_none(wanted), kind__in=selectors.RECOMMENDER_KINDS), []
    call = get_object_or_404(Call, pk=call_pk)
    organisation = next((o for o in organisations if str(o.pk) == wanted), None) if wanted else organisations[0]
    # As in the inbox: a call is theirs to open when one of their organisations received an application in it.
    if organisation is None or not selectors.inbox_applications(request.user, organisations).filter(call=call).exists():
        raise Http404
    return call, organisation, organisations


def _ranks_url(call: Call, organisation: Organisation) -> str:
    return f"{reverse('projects:recommendation_ranks', kwargs={'call_pk': call.pk})}?organisation={organisation.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_ranks(request: HttpRequest, call_pk: int) -> HttpResponse:
    call, organisation, organisations = _recommender_in_call(request, call_pk)
    # Every recommendation that counts, in rank order; those the formal check decided on keep their ranks.
    applications = list(recommended.recommended_applications(call, organisation))
    movable = [application for application in applications if not services.rank_is_fixed(application)]
    fixed = {
        application.recommendation_rank: services.fixed_rank_message(application.recommendation_rank, application)
        for application in applications
        if services.rank_is_fixed(application)
    }
    quota = rules.quota_for(call, organisation)
    deadline = rules.recommendation_deadline(call, organisation)
    form = RanksForm(**bound(request), applications=movable, quota=quota, fixed=fixed)
    if form.is_bound and form.is_valid():
        try:
            services.reorder_recommendations(call=call, recommender=organisation, ranks=form.ranks(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The ranks of your recommendations are saved."))
            return redirect(_ranks_url(call, organisation))
    context = {
        "call": call,
        "organisation": organisation,
        "organisations": organisations,
        "form": form,
        "quota": quota,
        "ranked": [(application, form.field_of(application)) for application in applications],
        "movable": bool(movable),
        "has_fixed": bool(fixed),
        "closed": services.reorder_closed_reason(deadline, timezone.now()),
        "deadline": recommended.beijing(deadline),
    }
    return render(request, "projects/recommendation_ranks.html", context, status=form_status(request))


@require_safe
@login_required
def recommendation_letter(request: HttpRequest, call_pk: int) -> HttpResponse:
    call, organisation, organisations = _recommender_in_call(request, call_pk, secretariat_may=True)
    now = timezone.now()
    context = {
        "call": call,
        "organisation": organisation,
        "organisations": organisations,
        "rows": list(recommended.recommended_applications(call, organisation)),
        "quota": rules.quota_for(call, organisation),
        "still_open": now <= rules.recommendation_deadline(call, organisation),
        "today": timezone.localtime(now, timezone.get_default_timezone()).date(),
        "printed_at": now,
    }
    return render(request, "projects/recommendation_letter.html", context)
