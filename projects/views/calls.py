"""Calls (申报批次): public notice pages for everyone; the secretariat creates and manages them."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal.choices import OrganisationKind, Role
from portal.roles import has_role, organisations_of
from portal.selectors import events_for
from portal.views.helpers import add_service_errors, bound, form_status, key_or_none
from projects import files, permissions, rules
from projects.forms.calls import CallAttachmentForm, CallForm, ExtensionForm, QuotaForm
from projects.models import Call, CallAttachment, DeadlineExtension
from projects.selectors import calls as selectors
from projects.services import calls as services

PAGE_SIZE = 20


def _managed_call(request: HttpRequest, pk: int) -> Call:
    """The call, or 404 when there is none; 403 for anyone but the secretariat (calls are public notices)."""
    call = get_object_or_404(Call, pk=pk)
    if not permissions.can_manage_calls(request.user):
        raise PermissionDenied
    return call


@require_safe
def call_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    page = Paginator(selectors.call_list(now), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "entries": [selectors.call_entry(call, now) for call in page],
        "can_manage": permissions.can_manage_calls(request.user),
    }
    return render(request, "projects/call_list.html", context)


@require_safe
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk)
    now = timezone.now()
    groups = (
        organisations_of(request.user, OrganisationKind.SOCIAL_GROUP) if has_role(request.user, Role.APPLICANT) else []
    )
    own_extensions = selectors.extensions_for_groups(call, groups)
    entry = selectors.call_entry(call, now, own_extensions)
    can_manage = permissions.can_manage_calls(request.user)
    context = {
        "call": call,
        "entry": entry,
        "latest_implementation": rules.latest_implementation_date(call),
        "publicity_window": call.publicity_window(),
        "attachments": list(call.attachments.all()),
        "own_extensions": own_extensions,
        "can_start_application": bool(groups) and entry.is_open,
        "can_manage": can_manage,
    }
    if can_manage:
        context |= {
            "frozen": selectors.is_frozen(call),
            "counts": selectors.application_counts(call),
            "quotas": list(selectors.quota_overrides(call)),
            "extensions": list(selectors.extensions(call)),
            "events": events_for(call),
        }
    return render(request, "projects/call_detail.html", context)


@login_required
def call_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_calls(request.user):
        raise PermissionDenied
    form = CallForm(**bound(request), initial={"year": timezone.localdate().year})
    if form.is_bound and form.is_valid():
        try:
            call = services.create_call(by=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The call %(call)s is created.") % {"call": call})
            return redirect(call)
    return render(request, "projects/call_form.html", {"form": form}, status=form_status(request))


@login_required
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = _managed_call(request, pk)
    frozen = selectors.is_frozen(call)
    # A copy: the form writes what was typed into its instance, and the page's header keeps the stored title.
    form = CallForm(**bound(request), instance=copy(call), frozen=frozen)
    if form.is_bound and form.is_valid():
        try:
            changed = services.update_call(
                call=call, by=request.user, reason=form.cleaned_data.get("reason", ""), **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if changed:
                messages.success(request, _("The call is saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(call)
    context = {"form": form, "call": call, "frozen": frozen}
    return render(request, "projects/call_form.html", context, status=form_status(request))


@login_required
def call_attachment_create(request: HttpRequest, pk: int) -> HttpResponse:
    call = _managed_call(request, pk)
    form = CallAttachmentForm(**bound(request))
    if form.is_bound and form.is_valid():
        try:
            services.add_call_attachment(call=call, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The attachment is published with the call."))
            return redirect(call)
    context = {"form": form, "call": call}
    return render(request, "projects/call_attachment_form.html", context, status=form_status(request))


@require_safe
def call_attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Anyone may download a call's attachments: they are part of a public notice."""
    attachment = get_object_or_404(CallAttachment, pk=attachment_pk, call_id=pk)
    kind = files.KIND_BY_EXTENSION.get(files.extension_of(attachment.file.name))
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=services.download_name(attachment),
        content_type=kind.content_type if kind else "application/octet-stream",
    )


@login_required
@require_POST
def call_attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    call = _managed_call(request, pk)
    attachment = get_object_or_404(CallAttachment.objects.select_related("call"), pk=attachment_pk, call=call)
    services.delete_call_attachment(attachment=attachment, by=request.user)
    messages.success(request, _("The attachment %(title)s is removed.") % {"title": attachment.title})
    return redirect(call)


@login_required
def call_quotas(request: HttpRequest, pk: int) -> HttpResponse:
    """Per-recommender quotas: add or change one, or (quota left empty) put it back on the default."""
    call = _managed_call(request, pk)
    frozen = selectors.is_frozen(call)
    form = QuotaForm(**bound(request), frozen=frozen, initial={"recommender": request.GET.get("recommender")})
    if form.is_bound and form.is_valid():
        try:
            services.set_quota(
                call=call,
                recommender=form.cleaned_data["recommender"],
                quota=form.cleaned_data["quota"],
                reason=form.cleaned_data.get("reason", ""),
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The quota is saved."))
            return redirect("projects:call_quotas", pk=call.pk)
    context = {"call": call, "form": form, "frozen": frozen, "quotas": list(selectors.quota_overrides(call))}
    return render(request, "projects/call_quotas.html", context, status=form_status(request))


@login_required
def call_extensions(request: HttpRequest, pk: int) -> HttpResponse:
    """Deadline extensions: grant one group an extension, or change the one it has (`?organisation=` fills in)."""
    call = _managed_call(request, pk)
    form = ExtensionForm(**bound(request), initial=_extension_initial(call, request.GET.get("organisation")))
    if form.is_bound and form.is_valid():
        try:
            extension = services.grant_extension(call=call, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(group)s may submit until %(until)s (Beijing time).")
                % {"group": extension.organisation.name, "until": services.beijing(extension.until)},
            )
            return redirect("projects:call_extensions", pk=call.pk)
    context = {"call": call, "form": form, "extensions": list(selectors.extensions(call))}
    return render(request, "projects/call_extensions.html", context, status=form_status(request))


def _extension_initial(call: Call, organisation: str | None) -> dict:
    if key_or_none(organisation) is None:
        return {}
    existing = DeadlineExtension.objects.filter(call=call, organisation_id=organisation).first()
    if existing is None:
        return {"organisation": organisation}
    return {"organisation": organisation, "until": existing.until, "reason": existing.reason}
