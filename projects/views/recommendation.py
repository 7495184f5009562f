"""The recommender's pages: the inbox of applications naming their organisation, and the decision on one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from projects import rules, workflow
from projects.forms.recommendation import RECOMMEND, RETURN, DecisionForm
from projects.selectors import recommendation as selectors
from projects.views.applications import CONFLICT, REFUSED, _detail_context, _fetch

PAGE_SIZE = 20
RECOMMEND_PERM = "projects.recommend_application"


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
        page_obj = Paginator(search.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        beijing = timezone.get_default_timezone()  # Asia/Shanghai, whatever zone a request may have activated
        context |= {
            "filter": search,
            "page_obj": page_obj,
            "counts": selectors.inbox_counts(base),
            "quotas": selectors.quota_rows(call, organisations),
            "deadline": date_format(timezone.localtime(call.recommendation_deadline, beijing), "DATETIME_FORMAT"),
            "deadline_passed": not rules.recommendation_open(call, now),
        }
    return render(request, "projects/recommendation_inbox.html", context)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = _fetch(request, pk)
    # Who may act, whatever the state: the state itself is the workflow's to judge (409 when not submitted).
    if not request.user.has_perm(RECOMMEND_PERM, application) or application.recommender is None:
        raise PermissionDenied
    form = DecisionForm(request.POST, quota=rules.quota_for(application.call, application.recommender))
    if not form.is_valid():
        context = _detail_context(request, application, decision_form=form)
        return render(request, "projects/application_detail.html", context, status=REFUSED)
    data = form.cleaned_data
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
        context = _detail_context(request, application, refusal=refusal.message, decision_form=form)
        return render(request, "projects/application_detail.html", context, status=REFUSED)
    except workflow.InvalidTransition as error:
        context = _detail_context(request, application, refusal=str(error))
        return render(request, "projects/application_detail.html", context, status=CONFLICT)
    messages.success(request, done)
    return redirect(application)
