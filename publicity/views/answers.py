"""The questions about objections forwarded to a group or a recommender, and their answers.

What they read is the question as the secretariat worded it and the project it is about: never who objected,
the grounds as filed, the evidence, or the questions forwarded to anyone else. To anyone but the organisation's
staff and the secretariat, a question is not found (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from portal.views.helpers import REFUSED, add_service_errors, bound, fetch, paginate
from publicity.forms.objections import AnswerForm
from publicity.models import ObjectionForward
from publicity.models.objections import PENDING
from publicity.selectors import objections as selectors
from publicity.services import objections as services

CONFLICT = 409


@require_safe
@login_required
def answer_list(request: HttpRequest) -> HttpResponse:
    page_obj = paginate(request, selectors.forwards_for(request.user))
    return render(request, "publicity/answers/answer_list.html", {"page_obj": page_obj})


@require_http_methods(["GET", "POST"])
@login_required
def answer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    forward = fetch(selectors.forward_for_page(), pk=pk, user=request.user, can_see=selectors.may_read_forward)
    may_answer = selectors.may_answer(request.user, forward)
    if request.method == "POST" and not may_answer:
        raise PermissionDenied  # the secretariat reads here; it records an answer on the objection's page
    can_answer = may_answer and forward.answered_at is None and forward.objection.status in PENDING
    form = AnswerForm(**bound(request)) if can_answer else None
    context = {"forward": forward, "application": forward.objection.application, "form": form}
    if request.method != "POST":
        return render(request, "publicity/answers/answer_detail.html", context)
    if not can_answer:
        context["refusal"] = _refusal(forward)
        return render(request, "publicity/answers/answer_detail.html", context, status=CONFLICT)
    if form.is_valid():
        try:
            services.answer(forward=forward, by=request.user, text=form.cleaned_data["answer"])
        except services.ObjectionRefused as refusal:
            context["refusal"] = refusal.message
            return render(request, "publicity/answers/answer_detail.html", context, status=CONFLICT)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your answer is sent to the secretariat."))
            return redirect("publicity:answer_detail", pk=forward.pk)
    return render(request, "publicity/answers/answer_detail.html", context, status=REFUSED)


def _refusal(forward: ObjectionForward) -> str:
    if forward.answered_at is not None:
        return _("This question was answered on %(at)s: the answer can no longer change.") % {
            "at": services.beijing(forward.answered_at)
        }
    return _("The objection is decided: no answer is taken any more.")
