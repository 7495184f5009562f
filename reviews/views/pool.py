"""The secretariat's pages of the expert pool (专家库) and of a call's panels (评审组).

Every page is the secretariat's: anonymous users are sent to log in, other users get 403 before anything is
looked up; a pool entry, call or panel that does not exist is 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal.choices import Role
from portal.permissions import role_required
from portal.views.helpers import REFUSED, add_service_errors, bound, form_status, paginate
from portal.views.imports import ImportPage, import_page, import_template
from projects.models import Call
from reviews import selectors
from reviews.filters import ExpertFilter
from reviews.forms import ChairForm, ExpertForm, MemberForm, PanelForm
from reviews.importing import EXPERT_COLUMNS, import_experts
from reviews.models import Expert, Panel
from reviews.services import experts as services

secretariat_only = role_required(Role.SECRETARIAT)

IMPORT_EXAMPLE = {
    "name": "张伟",
    "email": "zhang.wei@example.cn",
    "phone": "13800138000",
    "affiliation": "清华大学",
    "title": "教授",
    "fields": "装备制造、电子信息",
    "province": "北京",
    "kept_away": "CNTAC|原单位|2027-06-30",
}


# --- the pool ----------------------------------------------------------------------------------------
@require_safe
@secretariat_only
def expert_list(request: HttpRequest) -> HttpResponse:
    filterset = ExpertFilter(request.GET, queryset=selectors.experts_for_list())
    if not filterset.is_valid():
        return render(request, "reviews/expert_list.html", {"filter": filterset, "page_obj": None}, status=400)
    page_obj = paginate(request, filterset.qs)
    return render(request, "reviews/expert_list.html", {"filter": filterset, "page_obj": page_obj})


@secretariat_only
def expert_add(request: HttpRequest) -> HttpResponse:
    form = ExpertForm(**bound(request))
    if form.is_bound and form.is_valid():
        try:
            expert = services.add_expert(by=request.user, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            named = {"name": expert.user.get_full_name(), "email": expert.user.email}
            if expert.user.has_usable_password():
                messages.success(request, _("%(name)s is in the pool.") % named)
            else:
                messages.success(
                    request, _("%(name)s is in the pool; a link to choose a password is sent to %(email)s.") % named
                )
            return redirect("reviews:expert_detail", pk=expert.pk)
    return render(request, "reviews/expert_form.html", {"form": form, "expert": None}, status=form_status(request))


@secretariat_only
def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_object_or_404(selectors.expert_for_page(pk), pk=pk)
    form = ExpertForm(**bound(request), expert=expert)
    if form.is_bound and form.is_valid():
        try:
            changed = services.update_expert(expert=expert, by=request.user, **form.values())
            if services.set_expert_active(expert=expert, active=form.cleaned_data["is_active"], by=request.user):
                changed.append("is_active")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved.") if changed else _("Nothing has changed."))
            return redirect("reviews:expert_detail", pk=expert.pk)
    context = {"form": form, "expert": expert}
    return render(request, "reviews/expert_form.html", context, status=form_status(request))


EXPERTS_IMPORT = ImportPage(
    columns=EXPERT_COLUMNS,
    run=import_experts,
    page="reviews/expert_import.html",
    example=IMPORT_EXAMPLE,
    download_name="experts-template.csv",
)


@secretariat_only
def expert_import(request: HttpRequest) -> HttpResponse:
    return import_page(request, EXPERTS_IMPORT)


@require_safe
@secretariat_only
def expert_import_template(request: HttpRequest) -> HttpResponse:
    return import_template(request, EXPERTS_IMPORT)


@secretariat_only
def panel_list(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk)
    form = PanelForm(**bound(request))
    if form.is_bound and form.is_valid():
        try:
            panel = services.create_panel(call=call, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The panel %(name)s is created.") % {"name": panel.name})
            return redirect("reviews:panel_detail", pk=panel.pk)
    context = {"call": call, "panels": selectors.panels_of_call(call), "form": form}
    return render(request, "reviews/panel_list.html", context, status=form_status(request))


def _panel(pk: int) -> Panel:
    return get_object_or_404(Panel.objects.select_related("call", "chair__user"), pk=pk)


@secretariat_only
def panel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The panel's members; a POST adds the chosen expert."""
    panel = _panel(pk)
    form = MemberForm(**bound(request), candidates=selectors.candidates_for(panel))
    if form.is_bound and form.is_valid():
        try:
            services.add_panel_member(panel=panel, expert=form.cleaned_data["expert"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(expert)s joins the panel.") % {"expert": form.cleaned_data["expert"]})
            return redirect("reviews:panel_detail", pk=panel.pk)
    return _panel_page(request, panel, member_form=form, status=form_status(request))


def _panel_page(request, panel: Panel, *, member_form=None, chair_form=None, status: int = 200) -> HttpResponse:
    members = list(selectors.members_of(panel))
    member_experts = Expert.objects.filter(panel_memberships__panel=panel).select_related("user")
    context = {
        "panel": panel,
        "members": members,
        "member_form": member_form or MemberForm(candidates=selectors.candidates_for(panel)),
        "chair_form": chair_form or ChairForm(members=member_experts, initial={"chair": panel.chair_id}),
    }
    return render(request, "reviews/panel_detail.html", context, status=status)


@require_POST
@secretariat_only
def panel_member_remove(request: HttpRequest, pk: int, expert_pk: int) -> HttpResponse:
    panel = _panel(pk)
    expert = get_object_or_404(Expert.objects.select_related("user"), pk=expert_pk)
    if services.remove_panel_member(panel=panel, expert=expert, by=request.user):
        messages.success(request, _("%(expert)s has left the panel.") % {"expert": expert})
    else:
        messages.info(request, _("%(expert)s is not on the panel.") % {"expert": expert})
    return redirect("reviews:panel_detail", pk=panel.pk)


@require_POST
@secretariat_only
def panel_chair(request: HttpRequest, pk: int) -> HttpResponse:
    panel = _panel(pk)
    members = Expert.objects.filter(panel_memberships__panel=panel).select_related("user")
    form = ChairForm(request.POST, members=members)
    if form.is_valid():
        try:
            changed = services.set_chair(panel=panel, expert=form.cleaned_data["chair"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The chair is saved.") if changed else _("Nothing has changed."))
            return redirect("reviews:panel_detail", pk=panel.pk)
    return _panel_page(request, panel, chair_form=form, status=REFUSED)
