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
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.choices import OrganisationKind, Role
from portal.exceptions import Conflict
from portal.public_cache import public_page
from portal.roles import has_role, organisations_of
from portal.selectors import events_for
from portal.views.helpers import add_service_errors, bound, fetch, form_status, key_or_none
from projects import files, permissions, rules
from projects.forms.calls import CallAttachmentForm, CallForm, ExtensionForm, QuotaForm
from projects.models import ApplicationStatus, Call, CallAttachment, DeadlineExtension
from projects.selectors import calls as selectors
from projects.selectors.summary import summary_tables
from projects.services import calls as services

PAGE_SIZE = 20
CONFLICT = 409  # the move is not possible in the call's present state
NOTICE_STATUSES = {ApplicationStatus.SHORTLISTED, ApplicationStatus.IN_PUBLICITY, ApplicationStatus.ANNOUNCED}


def _managed_call(request: HttpRequest, pk: int) -> Call:
    """The call, or 404 when there is none (or it is an unpublished draft and the user is not the secretariat);
    403 for anyone but the secretariat (a published call is a public notice)."""
    return fetch(
        Call.objects.all(),
        pk=pk,
        user=request.user,
        can_see=permissions.can_view_call,
        can_act=lambda user, call: permissions.can_manage_calls(user),
    )


@public_page("calls", seconds=60)  # a call's phase moves with the clock
@require_safe
def call_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    can_manage = permissions.can_manage_calls(request.user)
    calls = selectors.call_list(now, unpublished=can_manage)
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "entries": [selectors.call_entry(call, now) for call in page],
        "can_manage": can_manage,
    }
    return render(request, "projects/call_list.html", context)


def _visible_call(request: HttpRequest, pk: int) -> Call:
    """The call, or 404 when there is none or it is not published and the user is not the secretariat."""
    return fetch(Call.objects.all(), pk=pk, user=request.user, can_see=permissions.can_view_call)


def _detail_context(request: HttpRequest, call: Call, *, as_public: bool = False) -> dict:
    """What the call page shows the user; `as_public`, what it shows the public (the secretariat's preview)."""
    now = timezone.now()
    groups = []
    if not as_public and has_role(request.user, Role.APPLICANT):
        groups = organisations_of(request.user, OrganisationKind.SOCIAL_GROUP)
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
        # The group's summary table (汇总表), linked once it has two live applications in the call.
        "summary_tables": summary_tables([call], groups),
        "can_start_application": bool(groups) and entry.is_open and call.is_published,
        "can_manage": can_manage and not as_public,
        "preview": as_public,
        # The banner of a draft, with the step that publishes it; and, before the call opens, the way back.
        "can_publish": can_manage and not call.is_published,
        "can_unpublish": can_manage and call.is_published and now < call.opens_at,
    }
    if can_manage and not as_public:
        counts = selectors.application_counts(call)
        context |= {
            "frozen": selectors.is_frozen(call),
            "counts": counts,
            # The public notice's page (publicity:notice_prepare) once the call has a shortlist or a notice.
            "notice_link": any(row.status in NOTICE_STATUSES for row in counts),
            "quotas": list(selectors.quota_overrides(call)),
            "extensions": list(selectors.extensions(call)),
            "events": events_for(call),
        }
    return context


@public_page("calls", seconds=60)
@require_safe
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = _visible_call(request, pk)
    return render(request, "projects/call_detail.html", _detail_context(request, call))


@require_safe
@login_required
def call_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The call page as the public sees it (or will, once the call is published), for the secretariat."""
    call = _managed_call(request, pk)
    return render(request, "projects/call_detail.html", _detail_context(request, call, as_public=True))


@login_required
@require_POST
def call_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _publication(request, pk, services.publish_call, _("The call is published: everyone may read it now."))


@login_required
@require_POST
def call_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    done = _("The call is no longer published: only the secretariat sees it.")
    return _publication(request, pk, services.unpublish_call, done)


def _publication(request: HttpRequest, pk: int, move, done: str) -> HttpResponse:
    """Publish or withdraw the publication (`move`, an audited service); the call page says what happened."""
    call = _managed_call(request, pk)
    try:
        move(call=call, by=request.user)
    except Conflict as conflict:
        return _refused(request, call, conflict)
    messages.success(request, done)
    return redirect(call)


def _refused(request: HttpRequest, call: Call, conflict: Conflict) -> HttpResponse:
    """The call page again with the refusal: the move is not possible in the call's present state (409)."""
    context = _detail_context(request, call) | {"refusal": conflict.message}
    return render(request, "projects/call_detail.html", context, status=CONFLICT)


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
            messages.success(
                request,
                _("The call %(call)s is saved as a draft: only the secretariat sees it until it is published.")
                % {"call": call},
            )
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
    """Anyone may download a published call's attachments: they are part of a public notice."""
    attachment = fetch(
        CallAttachment.objects.select_related("call"),
        pk=attachment_pk,
        call_id=pk,
        user=request.user,
        can_see=lambda user, attachment: permissions.can_view_call(user, attachment.call),
    )
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
@require_http_methods(["GET", "POST"])
def call_attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """A page that names the file and asks (GET); the removal itself (POST), audited."""
    call = _managed_call(request, pk)
    attachment = get_object_or_404(CallAttachment.objects.select_related("call"), pk=attachment_pk, call=call)
    if request.method == "GET":
        context = {"call": call, "attachment": attachment, "file_name": services.download_name(attachment)}
        return render(request, "projects/call_attachment_delete.html", context)
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
