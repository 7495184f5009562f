"""Public notices (公示): the secretariat prepares, edits, schedules and corrects them; everyone reads the open ones.

The secretariat's pages send anonymous users to log in and give other users 403; an edit after the notice has
opened is 409. /publicity/ and a notice's page are cached for anonymous visitors (topic "notices", moved by every
audited notice action). A draft or scheduled notice is 404 to everyone but the secretariat.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal.choices import Role
from portal.permissions import role_required
from portal.public_cache import public_page
from portal.views.helpers import REFUSED, bound, paginate
from projects.models import Call
from publicity import lists
from publicity.forms.notices import CorrectionForm, NoticeForm
from publicity.models import Notice, NoticeStatus
from publicity.selectors import notices as selectors
from publicity.services import notices as services

secretariat_only = role_required(Role.SECRETARIAT)
CONFLICT = 409
PREVIEW = "preview"  # the submit button that shows the computed end and the list before saving


def _managed_notice(pk: int) -> Notice:
    return get_object_or_404(Notice.objects.select_related("call"), pk=pk)


def _refused(form, refusal: services.NoticeRefused) -> int:
    """The refusal on the form: beside its fields (400), or at the top when the state refuses it (409)."""
    for name, message in refusal.errors.items():
        form.add_error(name if name in form.fields else None, message)
    if not refusal.errors:
        form.add_error(None, refusal.message)
        return CONFLICT
    return REFUSED


def _preview_of(call: Call, form: NoticeForm, notice: Notice | None = None) -> selectors.Preview:
    data = form.cleaned_data
    return selectors.preview(call, data["starts_at"], data["working_days"], notice=notice)


# --- the secretariat's -----------------------------------------------------------------------------------------
@secretariat_only
def notice_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    """The call's notice: a form (with `preview`, its end and list shown first) while it has none, else the notice."""
    call = get_object_or_404(Call, pk=pk)
    existing = Notice.objects.filter(call=call).first()
    if existing is not None:
        return redirect(existing)
    initial = {
        "title": _("Public notice of the shortlist of %(call)s") % {"call": call.title},
        "working_days": call.publicity_working_days,
    }
    form = NoticeForm(**bound(request), initial=initial)
    context = {"call": call, "form": form, "notice": None}
    if not form.is_bound:
        return render(request, "publicity/notice_form.html", context)
    if not form.is_valid():
        return render(request, "publicity/notice_form.html", context, status=REFUSED)
    if PREVIEW in request.POST:
        context["preview"] = _preview_of(call, form)
        return render(request, "publicity/notice_form.html", context)
    try:
        notice = services.prepare_notice(call, by=request.user, **form.cleaned_data)
    except services.NoticeRefused as refusal:
        return render(request, "publicity/notice_form.html", context, status=_refused(form, refusal))
    messages.success(request, _("The notice is saved as a draft: check it, then schedule it."))
    return redirect(notice)


@secretariat_only
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _managed_notice(pk)
    refusal = services.frozen_refusal(notice, timezone.now())
    if refusal:
        return _conflict(request, notice, refusal)
    form = NoticeForm(**bound(request), initial=NoticeForm.initial_of(notice))
    context = {"call": notice.call, "form": form, "notice": notice}
    if not form.is_bound:
        return render(request, "publicity/notice_form.html", context)
    if not form.is_valid():
        return render(request, "publicity/notice_form.html", context, status=REFUSED)
    if PREVIEW in request.POST:
        context["preview"] = _preview_of(notice.call, form, notice)
        return render(request, "publicity/notice_form.html", context)
    try:
        services.update_notice(notice, by=request.user, **form.cleaned_data)
    except services.NoticeRefused as refused:
        return render(request, "publicity/notice_form.html", context, status=_refused(form, refused))
    messages.success(request, _("The notice is saved."))
    return redirect(notice)


def _conflict(request: HttpRequest, notice: Notice, message: str) -> HttpResponse:
    """The notice's page with the refusal: not possible in the notice's present state (409)."""
    messages.error(request, message)
    return render(request, "publicity/notice_detail.html", _detail_context(request, notice), status=CONFLICT)


@secretariat_only
@require_POST
def notice_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Schedule the draft: its list is published as version 1; each refusal is a message on the notice's page."""
    notice = _managed_notice(pk)
    try:
        published = services.schedule_notice(notice, by=request.user)
    except services.NoticeRefused as refusal:
        return _conflict(request, notice, refusal.message)
    notice.refresh_from_db()
    messages.success(
        request,
        _("The notice is scheduled with %(count)d projects: it opens %(opens)s and closes %(closes)s (Beijing time).")
        % {
            "count": published.entry_count,
            "opens": services.beijing(notice.starts_at),
            "closes": services.beijing(notice.ends_at),
        },
    )
    return redirect(notice)


@secretariat_only
def notice_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the next version of the list, from what the projects say now, with the reason."""
    notice = _managed_notice(pk)
    if notice.status == NoticeStatus.DRAFT:
        return _conflict(request, notice, _("A notice being prepared has no published list yet."))
    form = CorrectionForm(**bound(request))
    context = {"notice": notice, "form": form, "current": lists.current(notice)}
    if not form.is_bound:
        return render(request, "publicity/notice_correct.html", context)
    if not form.is_valid():
        return render(request, "publicity/notice_correct.html", context, status=REFUSED)
    try:
        published = services.correct_list(notice, by=request.user, reason=form.cleaned_data["reason"])
    except services.NoticeRefused as refusal:
        return render(request, "publicity/notice_correct.html", context, status=_refused(form, refusal))
    messages.success(
        request,
        _("Version %(version)d of the list is published; the earlier versions stay readable.")
        % {"version": published.version},
    )
    return redirect(notice)


# --- everyone's ------------------------------------------------------------------------------------------------
@public_page("notices")
@require_safe
def notice_list(request: HttpRequest) -> HttpResponse:
    page_obj = paginate(request, selectors.notice_list(request.user))
    context = {"page_obj": page_obj, "can_manage": selectors.may_see_unpublished(request.user)}
    return render(request, "publicity/notice_list.html", context)


def _detail_context(request: HttpRequest, notice: Notice) -> dict:
    can_manage = selectors.may_see_unpublished(request.user)
    published, document = selectors.current_document(notice)
    context = {
        "notice": notice,
        "published": published,
        "projects": document["projects"] if document else [],
        "versions": selectors.versions_of(notice) if published else [],
        "is_open": notice.status == NoticeStatus.OPEN,
        "can_manage": can_manage,
    }
    if can_manage:
        context |= {
            "can_edit": not services.frozen_refusal(notice, timezone.now()),
            "can_schedule": notice.status == NoticeStatus.DRAFT,
            "can_correct": notice.status != NoticeStatus.DRAFT,
        }
        if notice.status == NoticeStatus.DRAFT:  # what scheduling would publish, from the live shortlist
            context["preview"] = selectors.preview(notice.call, notice.starts_at, notice.working_days)
    return context


@public_page("notices")
@require_safe
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_for(request.user, pk)
    return render(request, "publicity/notice_detail.html", _detail_context(request, notice))


@public_page("notices")
@require_safe
def notice_list_download(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    """The stored bytes of one version, exactly: their SHA-256 is the one the notice's page shows."""
    notice = selectors.notice_for(request.user, pk)
    published = selectors.published_version(notice, version)
    response = HttpResponse(bytes(published.content), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"notice-{notice.pk}-list-v{published.version}.json"
    )
    return response
