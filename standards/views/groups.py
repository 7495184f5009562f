"""Maintaining a social group's record and published documents: its own staff, or the secretariat."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.views.helpers import add_service_errors, bound, fetch, form_status
from standards import permissions, selectors, services
from standards.forms import GroupDocumentForm, GroupProfileForm, OrganisationForm
from standards.models import GroupDocument


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_register_group(request.user):
        raise PermissionDenied
    organisation_form = OrganisationForm(**bound(request), prefix="organisation")
    profile_form = GroupProfileForm(**bound(request), prefix="profile")
    if organisation_form.is_bound and organisation_form.is_valid() and profile_form.is_valid():
        try:
            group = services.register_social_group(
                organisation=organisation_form.service_fields(), profile=profile_form.service_fields(), by=request.user
            )
        except ValidationError as error:
            add_service_errors(organisation_form, error)
        else:
            messages.success(request, _("%(group)s is in the registry.") % {"group": group})
            return redirect(group)
    context = {"organisation_form": organisation_form, "form": profile_form}
    return render(request, "standards/group_form.html", context, status=form_status(request))


@login_required
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = fetch(selectors.groups_with_profile(), pk=pk, user=request.user, can_act=permissions.can_edit_group)
    form = GroupProfileForm(**bound(request), instance=group)
    if form.is_bound and form.is_valid():
        try:
            services.update_group_profile(group=group, by=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The group's record is saved."))
            return redirect(group)
    context = {"form": form, "group": group}
    return render(request, "standards/group_form.html", context, status=form_status(request))


@login_required
def group_document_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = fetch(selectors.groups_with_profile(), pk=pk, user=request.user, can_act=permissions.can_edit_group)
    form = GroupDocumentForm(**bound(request))
    if form.is_bound and form.is_valid():
        try:
            services.publish_group_document(group=group, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The document is published."))
            return redirect(group)
    context = {"form": form, "group": group}
    return render(request, "standards/groupdocument_form.html", context, status=form_status(request))


@login_required
@require_POST
def group_document_delete(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    document = fetch(
        GroupDocument.objects.select_related("group__organisation"),
        pk=document_pk,
        group_id=pk,
        user=request.user,
        can_act=lambda user, document: permissions.can_edit_group(user, document.group),
    )
    services.withdraw_group_document(document=document, by=request.user)
    messages.success(request, _("The document is withdrawn."))
    return redirect(document.group)
