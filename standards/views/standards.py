"""Maintaining group standards, their adoptions and evaluations: the issuer's staff, or the secretariat."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.views.helpers import add_service_errors, bound, fetch, form_status
from standards import permissions, selectors, services
from standards.forms import AdoptionForm, EvaluationForm, GroupStandardForm
from standards.models import Adoption, Evaluation, GroupStandard


def _editable_standard(request: HttpRequest, pk: int) -> GroupStandard:
    return fetch(
        GroupStandard.objects.select_related("issuer__organisation", "replaced_by"),
        pk=pk,
        user=request.user,
        can_act=permissions.can_edit_standard,
    )


@login_required
def standard_create(request: HttpRequest) -> HttpResponse:
    issuers = selectors.editable_groups(request.user)
    if not issuers.exists():
        raise PermissionDenied
    form = GroupStandardForm(**bound(request), issuers=issuers, initial={"issuer": request.GET.get("group")})
    if form.is_bound and form.is_valid():
        fields = form.service_fields()
        try:
            standard = services.create_standard(co_issuers=form.cleaned_data["co_issuers"], by=request.user, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(number)s is in the registry.") % {"number": standard.display_number})
            return redirect(standard)
    return render(request, "standards/standard_form.html", {"form": form}, status=form_status(request))


@login_required
def standard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _editable_standard(request, pk)
    issuers = selectors.editable_groups(request.user)
    form = GroupStandardForm(**bound(request), instance=standard, issuers=issuers)
    if form.is_bound and form.is_valid():
        try:
            services.update_standard(
                standard=standard, co_issuers=form.cleaned_data["co_issuers"], by=request.user, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(number)s is saved.") % {"number": standard.display_number})
            return redirect(standard)
    return render(
        request, "standards/standard_form.html", {"form": form, "standard": standard}, status=form_status(request)
    )


@login_required
def adoption_create(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _editable_standard(request, pk)
    form = AdoptionForm(**bound(request))
    if form.is_bound and form.is_valid():
        try:
            services.add_adoption(standard=standard, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The adoption is recorded."))
            return redirect(standard)
    return render(
        request, "standards/adoption_form.html", {"form": form, "standard": standard}, status=form_status(request)
    )


@login_required
@require_POST
def adoption_delete(request: HttpRequest, pk: int, adoption_pk: int) -> HttpResponse:
    adoption = fetch(
        Adoption.objects.select_related("standard__issuer__organisation"),
        pk=adoption_pk,
        standard_id=pk,
        user=request.user,
        can_act=lambda user, adoption: permissions.can_edit_standard(user, adoption.standard),
    )
    services.remove_adoption(adoption=adoption, by=request.user)
    messages.success(request, _("The adoption is removed."))
    return redirect(adoption.standard)


@login_required
def evaluation_create(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _editable_standard(request, pk)
    form = EvaluationForm(**bound(request))
    if form.is_bound and form.is_valid():
        try:
            services.add_evaluation(standard=standard, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The evaluation is recorded."))
            return redirect(standard)
    context = {"form": form, "standard": standard}
    return render(request, "standards/evaluation_form.html", context, status=form_status(request))


@login_required
@require_POST
def evaluation_delete(request: HttpRequest, pk: int, evaluation_pk: int) -> HttpResponse:
    evaluation = fetch(
        Evaluation.objects.select_related("standard__issuer__organisation"),
        pk=evaluation_pk,
        standard_id=pk,
        user=request.user,
        can_act=lambda user, evaluation: permissions.can_edit_standard(user, evaluation.standard),
    )
    services.remove_evaluation(evaluation=evaluation, by=request.user)
    messages.success(request, _("The evaluation is removed."))
    return redirect(evaluation.standard)
