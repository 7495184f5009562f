"""The secretariat's organisations: the registration requests it decides, and the recommending organisations
(and ministry departments) it creates with their first administrator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal import members, permissions, registration, selectors
from portal.choices import Role
from portal.exceptions import Conflict
from portal.filters import OrganisationFilter
from portal.forms import ApproveForm, OrganisationForm, RefuseForm
from portal.models import RegistrationRequest
from portal.permissions import role_required
from portal.uploads import KIND_BY_EXTENSION, extension_of
from portal.views.helpers import REFUSED, add_service_errors, bound, fetch, paginate

CONFLICT = 409
S = RegistrationRequest.Status


@require_safe
@role_required(Role.SECRETARIAT)
def organisation_list(request: HttpRequest) -> HttpResponse:
    filterset = OrganisationFilter(request.GET, queryset=selectors.organisations_for_secretariat())
    if not filterset.is_valid():
        return render(request, "portal/organisation_list.html", {"filter": filterset, "page_obj": None}, status=400)
    page_obj = paginate(request, filterset.qs)
    return render(request, "portal/organisation_list.html", {"filter": filterset, "page_obj": page_obj})


@role_required(Role.SECRETARIAT)
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(**bound(request))
    if form.is_bound and form.is_valid():
        try:
            organisation, invitation = members.create_with_administrator(
                admin_email=form.cleaned_data["admin_email"], by=request.user, **form.organisation()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is created; its first administrator is invited at %(email)s.")
                % {"name": organisation.name, "email": invitation.email},
            )
            return redirect("portal:organisation_detail", pk=organisation.pk)
    status = REFUSED if form.is_bound else 200
    return render(request, "portal/organisation_form.html", {"form": form}, status=status)


# --- registration requests ------------------------------------------------------------------------------
@require_safe
@role_required(Role.SECRETARIAT)
def registration_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", S.PENDING)
    status = status if status in S.values else S.PENDING
    page_obj = paginate(request, selectors.registration_queue(status=status))
    context = {"page_obj": page_obj, "status": status, "statuses": S.choices}
    return render(request, "portal/registration_list.html", context)


def _registration(request: HttpRequest, pk: int, *, decide: bool = False) -> RegistrationRequest:
    """404 for who is neither its contact nor the secretariat; 403 for the contact trying to decide."""
    return fetch(
        RegistrationRequest.objects.select_related("contact", "decided_by", "organisation"),
        pk=pk,
        user=request.user,
        can_see=permissions.can_see_registration,
        can_act=(lambda user, _request: permissions.can_decide_registration(user)) if decide else None,
    )


def _detail(request, registration_request, *, approve_form=None, refuse_form=None, status=200) -> HttpResponse:
    decide = permissions.can_decide_registration(request.user) and registration_request.is_pending
    context = {
        "registration": registration_request,
        "can_decide": decide,
        "approve_form": approve_form or (ApproveForm() if decide else None),
        "refuse_form": refuse_form or (RefuseForm() if decide else None),
        "events": selectors.events_for(registration_request),
    }
    return render(request, "portal/registration_detail.html", context, status=status)


@require_safe
@login_required
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _registration(request, pk))


@require_safe
@login_required
def registration_certificate(request: HttpRequest, pk: int) -> FileResponse:
    """The certificate as uploaded, to the secretariat and the contact only; as an attachment, never inline."""
    registration_request = _registration(request, pk)
    try:
        handle = registration_request.certificate.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    kind = KIND_BY_EXTENSION.get(extension_of(registration_request.certificate.name))
    return FileResponse(
        handle,
        as_attachment=True,
        filename=registration_request.certificate_name,
        content_type=kind.content_type if kind else "application/octet-stream",
    )


@require_POST
@login_required
def registration_approve(request: HttpRequest, pk: int) -> HttpResponse:
    registration_request = _registration(request, pk, decide=True)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _detail(request, registration_request, approve_form=form, status=REFUSED)
    try:
        organisation = registration.approve(
            request=registration_request, by=request.user, ministry_managed=form.cleaned_data["ministry_managed"]
        )
    except Conflict as conflict:
        messages.error(request, conflict.message)
        return _detail(request, registration_request, approve_form=form, status=CONFLICT)
    messages.success(request, _("%(name)s is registered; its contact is told.") % {"name": organisation.name})
    return redirect("portal:registration_list")


@require_POST
@login_required
def registration_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    registration_request = _registration(request, pk, decide=True)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        return _detail(request, registration_request, refuse_form=form, status=REFUSED)
    try:
        registration.refuse(request=registration_request, by=request.user, reason=form.cleaned_data["reason"])
    except Conflict as conflict:
        messages.error(request, conflict.message)
        return _detail(request, registration_request, refuse_form=form, status=CONFLICT)
    messages.success(
        request,
        _("The request of %(name)s is refused; its contact reads the reason.") % {"name": registration_request.name},
    )
    return redirect("portal:registration_list")
