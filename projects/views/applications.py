"""The applicant's pages: the list of applications, starting one, its sections, submitting, withdrawing and
printing the 申报书. Recommenders and the secretariat read the same list, detail and print pages."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.panels import collect
from portal.selectors import events_for
from portal.views.helpers import REFUSED, add_service_errors, bound, fetch, key_or_none
from projects import panels, pdf, permissions, rules, snapshots, workflow
from projects.completeness import SECTION_BY_KEY, SECTIONS, Section, missing_items
from projects.forms.applications import (
    ClaimForm,
    StartForm,
    WithdrawForm,
    formset_rows,
    row_formset,
    section_form,
)
from projects.models import Application, ApplicationStatus, Call
from projects.selectors import applications as selectors
from projects.selectors.calls import open_calls
from projects.services import applications as services
from publicity import panels as notice_panels
from publicity import panels_objections as objection_panels
from reviews import panels as review_panels

PAGE_SIZE = 20
CONFLICT = 409  # the move is not legal from the application's current status
EDITABLE_SECTIONS = [section.key for section in SECTIONS if section.key != "attachments"]
# What each stage shows on the application page, in lifecycle order (portal.panels): a stage adds its function.
PANELS = (
    panels.recommendation,
    panels.formal_check,
    review_panels.review,
    notice_panels.notice,
    objection_panels.objections,
)


def _fetch(request: HttpRequest, pk: int, *, can_act=None) -> Application:
    """The application, or 404 when the user may not see it, or 403 when they may see but not act."""
    permissions.read_rights_once(request.user)  # the page asks several rights on it
    return fetch(
        selectors.application_with_details(), pk=pk, user=request.user, can_see=permissions.can_view, can_act=can_act
    )


def _posted_moves(request: HttpRequest, moves: dict[str, str]) -> list[str]:
    """The move the posted `decision` chose (choice → move), or every move offered when it names none."""
    chosen = moves.get(request.POST.get("decision", ""))
    return [chosen] if chosen else list(moves.values())


# --- list --------------------------------------------------------------------------------------------
@require_safe
@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    search = selectors.application_search(user=request.user, params=request.GET)
    page_obj = Paginator(search.qs.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": search,
        "page_obj": page_obj,
        "rows": selectors.list_rows(request.user, selectors.listed(list(page_obj.object_list))),
        "can_apply": bool(selectors.applicant_groups(request.user)),
    }
    return render(request, "projects/application_list.html", context)


# --- create ------------------------------------------------------------------------------------------
@login_required
def application_create(request: HttpRequest) -> HttpResponse:
    groups = selectors.applicant_groups(request.user)
    if not groups:
        raise PermissionDenied
    call_pk = request.GET.get("call", "")
    if not call_pk:
        context = {"open_calls": open_calls(timezone.now(), groups=groups)}
        return render(request, "projects/application_create.html", context)
    if key_or_none(call_pk) is None:
        raise Http404
    call = get_object_or_404(Call.objects.published(), pk=key_or_none(call_pk))
    candidates = selectors.candidate_standards(call, groups)
    eligible = [candidate for candidate in candidates if not candidate.problems]
    form = StartForm(**bound(request), candidates=candidates)
    status = 200
    if request.method == "POST":
        status = REFUSED
        if form.is_valid():
            standard = form.cleaned_data["standard"]
            group = next(c.group for c in eligible if c.standard.pk == standard.pk)
            try:
                application = workflow.create(call, group=group, standard=standard, by=request.user)
            except workflow.TransitionRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("The draft is started. Fill in the sections in any order and save."))
                return redirect("projects:application_edit", pk=application.pk, section=EDITABLE_SECTIONS[0])
    now = timezone.now()
    context = {
        "call": call,
        "form": form,
        "eligible": eligible,
        "ineligible": [candidate for candidate in candidates if candidate.problems],
        "closed_message": "" if any(rules.is_open_for(call, g, now) for g in groups) else _closed(call, groups[0]),
        "latest_implementation": rules.latest_implementation_date(call),
    }
    return render(request, "projects/application_create.html", context, status=status)


def _closed(call: Call, group) -> str:
    deadline = rules.submission_deadline(call, group)
    beijing = timezone.get_default_timezone()  # Asia/Shanghai, whatever zone a request may have activated
    return _("The call is not open for applications: it opens %(opens)s and closes %(closes)s (Beijing time).") % {
        "opens": date_format(timezone.localtime(call.opens_at, beijing), "DATETIME_FORMAT"),
        "closes": date_format(timezone.localtime(deadline, beijing), "DATETIME_FORMAT"),
    }


# --- detail ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SectionState:
    section: Section
    missing: list[str]
    edit_url: str


def _section_states(application: Application, missing: dict[str, list[str]], can_edit: bool) -> list[SectionState]:
    def edit_url(key: str) -> str:
        if not can_edit:
            return ""
        if key == "attachments":
            return reverse("projects:attachment_upload", kwargs={"pk": application.pk})
        return reverse("projects:application_edit", kwargs={"pk": application.pk, "section": key})

    return [SectionState(section, missing.get(section.key, []), edit_url(section.key)) for section in SECTIONS]


def _detail_context(
    request: HttpRequest, application: Application, *, forms_shown: dict | None = None, **extra: object
) -> dict:
    """The application page; `forms_shown` maps a panel function to its stage's bound form (a refusal)."""
    user = request.user
    can_edit = permissions.can_edit(user, application)
    missing = missing_items(application)
    events = list(events_for(application))
    shown = collect(PANELS, request, application, forms_shown=forms_shown)
    return {
        "application": application,
        "sections": _section_states(application, missing, can_edit),
        "missing_count": sum(len(items) for items in missing.values()),
        "events": events,
        "applicant_messages": [
            {"event": event, "status": ApplicationStatus(event.to_state).label}
            for event in selectors.messages_in(events)
        ],
        "deadline": selectors.deadline_of(application, timezone.now()),
        "can_edit": can_edit,
        "can_submit": can_edit and "submit" in workflow.allowed_transitions(application),
        "can_withdraw": permissions.can_withdraw(user, application),
        "revision": snapshots.last_revision(application),
        # In the page's flow above the content, and beside it (a form read with the content).
        "panels": [panel for panel in shown if not panel.aside],
        "aside_panels": [panel for panel in shown if panel.aside],
        **extra,
    }


@require_safe
@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _fetch(request, pk)
    return render(request, "projects/application_detail.html", _detail_context(request, application))


def not_editable_message(application: Application) -> str:
    return _(
        "This application is “%(status)s”: it can be changed only while it is a draft or returned for revision."
    ) % {"status": application.get_status_display()}


# --- edit one section --------------------------------------------------------------------------------
@login_required
def application_edit(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    if section not in SECTION_BY_KEY:
        raise Http404
    application = _fetch(request, pk, can_act=permissions.may_edit)
    if not permissions.can_edit(request.user, application):
        # The group's own, but submitted (or withdrawn) meanwhile: a state to explain, not a right refused.
        context = _detail_context(request, application, refusal=not_editable_message(application))
        return render(request, "projects/application_detail.html", context, status=CONFLICT)
    if section == "attachments":
        return redirect("projects:attachment_upload", pk=application.pk)
    # Before a form is bound: a ModelForm writes what was typed onto the instance while validating it.
    missing = missing_items(application)
    if section == "claim":
        return _edit_claim(request, application, missing)
    return _edit_section(request, application, section, missing)


def _edit_claim(request: HttpRequest, application: Application, missing: dict[str, list[str]]) -> HttpResponse:
    form = ClaimForm(
        **bound(request), application=application, recommenders=rules.allowed_recommenders(application.group)
    )
    if form.is_bound and form.is_valid():

        def save() -> None:
            services.save_claim(
                application=application,
                by=request.user,
                claims=form.claims(),
                industry_field=form.cleaned_data["industry_field"],
                recommender=form.cleaned_data.get("recommender"),
            )

        outcome = _try_save(request, application, "claim", form, save)
        if isinstance(outcome, HttpResponse):
            return outcome
    return _render_edit(request, application, "claim", missing, form, None)


def _edit_section(
    request: HttpRequest, application: Application, section: str, missing: dict[str, list[str]]
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = section_form(section)(data, instance=application)
    formset = row_formset(section, application, data)
    if form.is_bound and form.is_valid() and (formset is None or formset.is_valid()):
        fields = dict(form.cleaned_data)

        def save() -> None:
            rows = None if formset is None else formset_rows(formset)
            services.save_section(application=application, by=request.user, section=section, fields=fields, rows=rows)

        outcome = _try_save(request, application, section, form, save)
        if isinstance(outcome, HttpResponse):
            return outcome
    return _render_edit(request, application, section, missing, form, formset)


def _try_save(request, application, section, form, save) -> HttpResponse | None:
    """Run the service and redirect; on a refusal leave the error on the form, set the status, return None."""
    try:
        save()
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    except PermissionDenied:
        # Submitted or withdrawn in another window since this page was opened: keep what was typed.
        form.add_error(None, _("This application can no longer be changed: it is no longer a draft."))
        form.refused_status = CONFLICT
        return None
    messages.success(request, _("Saved. A draft may stay incomplete until you submit it."))
    target = _next_section(section) if "save_next" in request.POST else section
    if target is None:
        return redirect(application)
    return redirect("projects:application_edit", pk=application.pk, section=target)


def _next_section(section: str) -> str | None:
    keys = [item.key for item in SECTIONS]
    position = keys.index(section) + 1
    return keys[position] if position < len(keys) else None


def _render_edit(request, application, section, missing, form, formset) -> HttpResponse:
    status = getattr(form, "refused_status", REFUSED) if request.method == "POST" else 200
    next_key = _next_section(section)
    context = {
        "application": application,
        "section": SECTION_BY_KEY[section],
        "sections": _section_states(application, missing, can_edit=True),
        "form": form,
        "formset": formset,
        "next_section": SECTION_BY_KEY[next_key] if next_key else None,
        "is_ministry_managed": application.group.ministry_managed,
    }
    return render(request, "projects/application_edit.html", context, status=status)


# --- withdraw (submitting is in projects/views/submission.py) ----------------------------------------
@login_required
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _fetch(request, pk)
    # 403 for who may never withdraw it, then 409 for its group once it is past withdrawing, form or not.
    try:
        workflow.check(application, "withdraw", by=request.user)
    except workflow.InvalidTransition as error:
        context = {"application": application, "form": None, "refusal": str(error)}
        return render(request, "projects/application_withdraw.html", context, status=CONFLICT)
    form = WithdrawForm(**bound(request))
    status = 200
    if form.is_bound:
        status = REFUSED
        if form.is_valid():
            try:
                workflow.withdraw(application, by=request.user, reason=form.cleaned_data["reason"])
            except workflow.TransitionRefused as refusal:
                form.add_error(None, refusal.message)
            except workflow.InvalidTransition as error:
                form.add_error(None, str(error))
                status = CONFLICT
            else:
                messages.success(request, _("The application is withdrawn."))
                return redirect(application)
    context = {"application": application, "form": form}
    return render(request, "projects/application_withdraw.html", context, status=status)


# --- print -------------------------------------------------------------------------------------------
@require_safe
@login_required
def application_print(request: HttpRequest, pk: int) -> HttpResponse:
    application = _fetch(request, pk)
    return render(request, "projects/application_print.html", _print_context(application))


def _print_context(application: Application) -> dict:
    return {
        "application": application,
        "sections": [section for section in SECTIONS if section.key not in {"pledge", "attachments"}],
        "printed_at": timezone.now(),
    }


@require_safe
@login_required
def application_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The print view as a PDF file, downloaded under the standard's number."""
    application = _fetch(request, pk)
    html = render_to_string("projects/application_print.html", _print_context(application), request=request)
    try:
        document = pdf.render(html, base_url=request.build_absolute_uri("/"))
    except pdf.PdfUnavailable:
        context = {"application": application}
        return render(request, "projects/application_pdf_unavailable.html", context, status=503)
    response = HttpResponse(document, content_type="application/pdf")
    name = _("Application form %(number)s.pdf") % {"number": application.standard.display_number.replace("/", "-")}
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response
