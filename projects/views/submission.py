"""Submitting an application: the confirmation page (what will be sent, the pledge once more), then the
receipt (回执) of each submission, printable (issue 10)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from portal.views.helpers import REFUSED, bound
from projects import workflow
from projects.completeness import missing_items
from projects.forms.submission import SubmitForm
from projects.models import ApplicationStatus
from projects.selectors import applications as selectors
from projects.selectors import submission
from projects.views.applications import CONFLICT, _fetch


@login_required
@require_http_methods(["GET", "POST"])
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what will be sent, and the pledge to confirm once more; POST (from that page): submit, then the receipt."""
    application = _fetch(request, pk)
    # 403 for who may see but never submit, then 409 once it is past submitting, before the form is judged.
    try:
        workflow.check(application, "submit", by=request.user)
    except workflow.InvalidTransition as error:
        return _submit_page(request, application, None, status=CONFLICT, refusal=str(error))
    form = SubmitForm(**bound(request))
    if not form.is_bound:
        return _submit_page(request, application, form)
    if not form.is_valid():
        return _submit_page(request, application, form, status=REFUSED)
    try:
        workflow.submit(application, by=request.user)
    except workflow.TransitionRefused as refusal:
        extra = {"refusal": refusal.message, "missing_now": refusal.missing}
        return _submit_page(request, application, form, status=REFUSED, **extra)
    except workflow.InvalidTransition as error:  # submitted in another window meanwhile
        return _submit_page(request, application, None, status=CONFLICT, refusal=str(error))
    application.refresh_from_db()
    if application.status == ApplicationStatus.RECOMMENDED:
        messages.success(request, _("Submitted. Your group applies directly: the secretariat will check it next."))
    else:
        messages.success(
            request,
            _("Submitted to %(recommender)s. It is read-only unless it is returned to you for revision.")
            % {"recommender": application.recommender.name},
        )
    return redirect("projects:application_receipt", pk=application.pk, number=application.submission_count)


def _submit_page(request, application, form, *, status: int = 200, **extra) -> HttpResponse:
    """The confirmation page; without a form (a conflict) only the refusal and the way back."""
    missing = missing_items(application)
    context = {
        "application": application,
        "form": form,
        "sections": submission.section_states(missing),
        "missing_count": sum(len(items) for items in missing.values()),
        "slots": submission.attachments_by_slot(application),
        "deadline": selectors.deadline_of(application, timezone.now()),
        "latest": submission.receipt(application, application.submission_count) if form is None else None,
        **extra,
    }
    return render(request, "projects/application_submit_confirm.html", context, status=status)


@require_safe
@login_required
def application_receipt(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The receipt (回执) of the application's `number`-th submission, printable; for whoever may see it."""
    application = _fetch(request, pk)
    receipt = submission.receipt(application, number)
    if receipt is None:
        raise Http404
    context = {"application": application, "receipt": receipt, "printed_at": timezone.now()}
    return render(request, "projects/application_receipt.html", context)
