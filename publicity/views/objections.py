"""Objections: filing one on an open notice and reading its status (the public), handling it (the secretariat).

An objection is the secretariat's alone: to anyone else signed in it is not found (404). A wrong state (an
objection decided already, a notice closed) is a 409 or 410 with the page saying why; a form refused is a 400
with everything typed kept; too many submissions from one address or one contact is a 429, the same.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from portal.choices import Role
from portal.permissions import role_required
from portal.public_cache import public_page
from portal.ratelimits import TOO_MANY, client_address
from portal.uploads import KIND_BY_EXTENSION, extension_of
from portal.views.helpers import REFUSED, add_service_errors, bound, fetch, key_or_none, paginate
from publicity.forms.objections import (
    DISMISS,
    UPHOLD,
    AnswerForm,
    DecisionForm,
    ForwardForm,
    ObjectionFilterForm,
    ObjectionForm,
    StatusForm,
)
from publicity.models import Objection, ObjectionStatus
from publicity.models.objections import PENDING
from publicity.selectors import objections as selectors
from publicity.services import objections as services

CONFLICT = 409
GONE = 410
secretariat_only = role_required(Role.SECRETARIAT)


# --- the limits (django-ratelimit, on the shared cache) -----------------------------------------------------
def filing_rate(group: str, request: HttpRequest) -> str:
    """Objections per client address; read at each request, so a deployment (or a test) may change it."""
    return settings.OBJECTION_RATE


def contact_rate(group: str, request: HttpRequest) -> str:
    """Objections per e-mail address and per phone number, whatever address they come from."""
    return settings.OBJECTION_CONTACT_RATE


def status_rate(group: str, request: HttpRequest) -> str:
    return settings.OBJECTION_STATUS_RATE


def contact_email(group: str, request: HttpRequest) -> str:
    return "email:" + request.POST.get("email", "").strip().lower()[:254]


def contact_phone(group: str, request: HttpRequest) -> str:
    # The digits only: "138 0013 8000" and "13800138000" are one phone.
    return "phone:" + "".join(char for char in request.POST.get("phone", "")[:40] if char.isdigit())


def _limited(request: HttpRequest) -> bool:
    return getattr(request, "limited", False)


# --- filing (anyone) ------------------------------------------------------------------------------------
@public_page("notices", seconds=60)
@require_http_methods(["GET", "POST"])
@ratelimit(key=client_address, rate=filing_rate, method="POST", block=False, group="objection-address")
@ratelimit(key=contact_email, rate=contact_rate, method="POST", block=False, group="objection-email")
@ratelimit(key=contact_phone, rate=contact_rate, method="POST", block=False, group="objection-phone")
def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The objection form of an open notice's project (?project=<its number in the list>)."""
    notice = selectors.notice_taking_objections(pk)
    if notice is None:
        raise Http404
    entries = selectors.listed_entries(notice)
    initial = {}
    if "project" in request.GET:
        position = key_or_none(request.GET["project"])
        if position not in {entry.position for entry in entries}:
            raise Http404
        initial["project"] = position
    form = ObjectionForm(**bound(request), entries=entries, initial=initial)
    context = {"notice": notice, "form": form, "choose_file_again": "evidence" in request.FILES}
    if not selectors.is_open_at(notice, timezone.now()):
        context["closed"] = services.closed_message(notice)
        return render(request, "publicity/objections/objection_form.html", context, status=GONE)
    if request.method != "POST":
        return render(request, "publicity/objections/objection_form.html", context)
    if _limited(request):
        form.is_valid()  # the fields' own messages too, beside what was typed
        form.add_error(None, _("Too many objections from your address or contact in a short time: try again later."))
        return render(request, "publicity/objections/objection_form.html", context, status=TOO_MANY)
    if form.is_valid():
        try:
            objection = _file(form)
        except services.ObjectionRefused as refusal:
            context["closed"] = refusal.message
            return render(request, "publicity/objections/objection_form.html", context, status=GONE)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(request, "publicity/objections/objection_filed.html", {"objection": objection})
    return render(request, "publicity/objections/objection_form.html", context, status=REFUSED)


def _file(form: ObjectionForm) -> Objection:
    data = form.cleaned_data
    filer = services.Filer(
        name=data["name"], organisation=data["organisation"], phone=data["phone"], email=data["email"]
    )
    return services.file_objection(
        entry=form.entry(), filer=filer, grounds=data["grounds"], evidence=data["evidence"], checked=form.checked
    )


# --- the status (anyone with the number and the e-mail) ----------------------------------------------------
@public_page()
@require_http_methods(["GET", "POST"])
@ratelimit(key=client_address, rate=status_rate, method="POST", block=False, group="objection-status")
def objection_status(request: HttpRequest) -> HttpResponse:
    """POST, so that the e-mail address is never in a URL; one message for a wrong number and a wrong e-mail."""
    form = StatusForm(**bound(request))
    context = {"form": form, "objection": None}
    if request.method != "POST":
        return render(request, "publicity/objections/objection_status.html", context)
    if _limited(request):
        form.add_error(None, _("Too many look-ups from your address in a short time: try again in an hour."))
        return render(request, "publicity/objections/objection_status.html", context, status=TOO_MANY)
    if form.is_valid():
        objection = selectors.objection_of_filer(**form.cleaned_data)
        if objection is not None:
            context["objection"] = objection
            return render(request, "publicity/objections/objection_status.html", context)
        form.add_error(None, _("No objection has this tracking number and e-mail address. Check both and try again."))
    return render(request, "publicity/objections/objection_status.html", context, status=REFUSED)


# --- the secretariat's list and page -----------------------------------------------------------------------
@require_safe
@secretariat_only
def objection_list(request: HttpRequest) -> HttpResponse:
    notices = list(selectors.notices_with_objections())
    form = ObjectionFilterForm(request.GET or None, notices=notices)
    page_obj = paginate(request, selectors.objection_list(**form.filters()))
    return render(request, "publicity/objections/objection_list.html", {"form": form, "page_obj": page_obj})


def _fetch(request: HttpRequest, pk: int) -> Objection:
    """The objection, or 404 to anyone but the secretariat (its existence is nobody else's business)."""
    return fetch(selectors.objection_for_page(), pk=pk, user=request.user, can_see=selectors.may_handle)


@require_safe
@login_required
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    objection = _fetch(request, pk)
    services.record_read(objection=objection, by=request.user)
    return _render_detail(request, objection)


def _render_detail(
    request: HttpRequest,
    objection: Objection,
    *,
    status: int = 200,
    refusal: str = "",
    forward_form: ForwardForm | None = None,
    decision_form: DecisionForm | None = None,
    answer_form: AnswerForm | None = None,
    answer_pk: int | None = None,
) -> HttpResponse:
    pending = objection.status in PENDING
    forwards = selectors.forwards_of(objection)
    targets = services.forward_targets(objection) if pending else []
    if pending and targets and forward_form is None:
        forward_form = ForwardForm(targets=targets, initial={"question": objection.grounds})
    rows = [
        {
            "forward": forward,
            "form": (answer_form if forward.pk == answer_pk else AnswerForm(forward_pk=forward.pk))
            if pending and forward.answered_at is None
            else None,
        }
        for forward in forwards
    ]
    context = {
        "objection": objection,
        "application": objection.application,
        "rows": rows,
        "refusal": refusal,
        "pending": pending,
        "can_investigate": objection.status == ObjectionStatus.RECEIVED,
        "forward_form": forward_form if pending and targets else None,
        "decision_form": (decision_form or DecisionForm()) if pending else None,
    }
    return render(request, "publicity/objections/objection_detail.html", context, status=status)


# --- the secretariat's actions ---------------------------------------------------------------------------
@require_POST
@login_required
def objection_investigate(request: HttpRequest, pk: int) -> HttpResponse:
    objection = _fetch(request, pk)
    try:
        services.investigate(objection=objection, by=request.user)
    except services.ObjectionRefused as refusal:
        return _render_detail(request, objection, status=CONFLICT, refusal=refusal.message)
    messages.success(request, _("The objection is under investigation."))
    return redirect("publicity:objection_detail", pk=objection.pk)


@require_POST
@login_required
def objection_forward(request: HttpRequest, pk: int) -> HttpResponse:
    objection = _fetch(request, pk)
    form = ForwardForm(request.POST, targets=services.forward_targets(objection))
    if objection.status not in PENDING:
        return _render_detail(request, objection, status=CONFLICT, refusal=_decided(objection))
    if form.is_valid():
        try:
            services.forward(
                objection=objection,
                by=request.user,
                organisations=form.chosen(),
                question=form.cleaned_data["question"],
            )
        except services.ObjectionRefused as refusal:
            return _render_detail(request, objection, status=CONFLICT, refusal=refusal.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The question is forwarded; the organisations are notified."))
            return redirect("publicity:objection_detail", pk=objection.pk)
    return _render_detail(request, objection, status=REFUSED, forward_form=form)


def _decided(objection: Objection) -> str:
    return _("This objection was decided on %(at)s: it can no longer change.") % {
        "at": services.beijing(objection.decided_at)
    }


@require_POST
@login_required
def objection_record_answer(request: HttpRequest, pk: int, forward_pk: int) -> HttpResponse:
    """An answer the secretariat received outside the portal (a letter, a call), recorded on the forward."""
    objection = _fetch(request, pk)
    forward = get_object_or_404(objection.forwards.select_related("organisation"), pk=forward_pk)
    form = AnswerForm(request.POST, forward_pk=forward.pk)
    if form.is_valid():
        try:
            services.answer(forward=forward, by=request.user, text=form.cleaned_data["answer"])
        except services.ObjectionRefused as refusal:
            return _render_detail(request, objection, status=CONFLICT, refusal=refusal.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The answer of %(name)s is recorded.") % {"name": forward.organisation.name})
            return redirect("publicity:objection_detail", pk=objection.pk)
    return _render_detail(request, objection, status=REFUSED, answer_form=form, answer_pk=forward.pk)


@require_POST
@login_required
def objection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    objection = _fetch(request, pk)
    form = DecisionForm(request.POST)
    if objection.status not in PENDING:
        return _render_detail(request, objection, status=CONFLICT, refusal=_decided(objection))
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == UPHOLD:
                services.uphold(
                    objection=objection, by=request.user, finding=data["finding"], response=data["response"]
                )
            else:
                services.dismiss(objection=objection, by=request.user, response=data["response"])
        except services.ObjectionRefused as refusal:
            return _render_detail(request, objection, status=CONFLICT, refusal=refusal.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = {UPHOLD: _("The objection is upheld."), DISMISS: _("The objection is dismissed.")}[data["decision"]]
            messages.success(request, done + " " + _("The filer is told by e-mail."))
            return redirect("publicity:objection_detail", pk=objection.pk)
    return _render_detail(request, objection, status=REFUSED, decision_form=form)


@require_safe
@login_required
def objection_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence, as a download with the type its content was recognised as (never rendered here)."""
    objection = _fetch(request, pk)
    if not objection.evidence:
        raise Http404
    try:
        handle = objection.evidence.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    services.record_evidence_download(objection=objection, by=request.user)
    kind = KIND_BY_EXTENSION.get(extension_of(objection.evidence_name))
    content_type = kind.content_type if kind else "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=objection.evidence_name, content_type=content_type)
