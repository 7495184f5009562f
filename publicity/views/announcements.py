"""Announcements (公告): the public page and its list's downloads; the secretariat's draft, publishing, corrections."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal.choices import Role
from portal.permissions import is_secretariat, role_required
from portal.public_cache import public_page
from portal.views.helpers import REFUSED, bound, fetch, form_status
from projects.models import Call
from publicity.forms.announcements import AnnouncementForm, CorrectionForm
from publicity.models import Announcement, PublishedList
from publicity.selectors import register as selectors
from publicity.services import announcements as services

secretariat_only = role_required(Role.SECRETARIAT)
# A version is a small integer: anything larger names no list (and never reaches the database).
MAX_VERSION = 32767
CONFLICT = 409


def _announcement(request: HttpRequest, pk: int) -> Announcement:
    return fetch(selectors.announcements(), pk=pk, user=request.user, can_see=selectors.can_see_announcement)


@require_safe
@public_page("register")
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = _announcement(request, pk)
    published, document = selectors.current_list(announcement)
    secretariat = request.user.is_authenticated and is_secretariat(request.user)
    links = selectors.project_links(announcement)
    context = {
        "announcement": announcement,
        "published": published,
        "document": document,
        # Each entry of the stored list, with its project's page on the register.
        "entries": [{**entry, "pk": links.get(entry["number"])} for entry in (document or {}).get("projects", [])],
        "versions": selectors.versions(announcement),
        "can_prepare": secretariat and announcement.published_at is None and announcement.call_id is not None,
        "can_correct": secretariat and announcement.published_at is not None and not announcement.imported,
    }
    return render(request, "publicity/announcement_detail.html", context)


@require_safe
def announcement_list_download(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    """The exact bytes of one version of the list, so that `sha256sum` of the file equals the hash shown."""
    announcement = _announcement(request, pk)
    if version > MAX_VERSION:
        raise Http404
    published = get_object_or_404(PublishedList, announcement=announcement, version=version)
    response = HttpResponse(bytes(published.content), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="announcement-{announcement.pk}-v{version}.json"'
    return response


def _prepare_page(request: HttpRequest, call: Call, *, form=None, status: int = 200) -> HttpResponse:
    announcement = Announcement.objects.filter(call=call).first()
    if form is None and (announcement is None or announcement.published_at is None):
        initial = {} if announcement is not None else {"title": services.default_title(call)}
        form = AnnouncementForm(instance=announcement, initial=initial)
    refusal = services.publish_refusal(call)
    context = {
        "call": call,
        "announcement": announcement,
        "form": form,
        "refusal": refusal,
        "applications": list(services.announced_applications(call)),
        "can_publish": announcement is not None and announcement.published_at is None and not refusal,
    }
    return render(request, "publicity/announcement_prepare.html", context, status=status)


@secretariat_only
def announcement_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft of the call's announcement, and what publishing it would publish now."""
    call = get_object_or_404(Call, pk=pk)
    if request.method != "POST":
        return _prepare_page(request, call)
    draft = Announcement.objects.filter(call=call).first()
    form = AnnouncementForm(request.POST, instance=draft)
    if form.is_valid():
        try:
            services.save_draft(
                call, by=request.user, **{name: form.cleaned_data[name] for name in services.DRAFT_FIELDS}
            )
        except services.AnnouncementRefused as error:
            _show_refusal(form, error)
            status = CONFLICT if draft is not None and draft.published_at is not None else REFUSED
            return _prepare_page(request, call, form=form, status=status)
        messages.success(request, _("The draft of the announcement is saved."))
        return redirect("publicity:announcement_prepare", pk=call.pk)
    return _prepare_page(request, call, form=form, status=form_status(request))


def _show_refusal(form, error: services.AnnouncementRefused) -> None:
    for name, message in error.errors.items():
        form.add_error(name if name in form.fields else None, message)
    if not error.errors:
        form.add_error(None, error.message)


@require_POST
@secretariat_only
def announcement_publish(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_object_or_404(selectors.announcements(), pk=pk)
    try:
        published = services.publish_announcement(announcement, by=request.user)
    except services.AnnouncementRefused as error:
        if announcement.call_id is None or announcement.published_at is not None:
            return _refused(request, announcement, error.message)
        messages.error(request, error.message)
        return _prepare_page(request, announcement.call, status=CONFLICT)
    messages.success(
        request,
        _("The announcement is published with %(count)d projects; SHA-256 of its list: %(hash)s")
        % {"count": published.entry_count, "hash": published.sha256},
    )
    return redirect(announcement)


def _refused(request: HttpRequest, announcement: Announcement, message: str) -> HttpResponse:
    context = {"announcement": announcement, "message": message}
    return render(request, "publicity/announcements/refused.html", context, status=CONFLICT)


@secretariat_only
def announcement_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """A corrected version of a published list, from what its projects say now, with the reason."""
    announcement = get_object_or_404(selectors.announcements(), pk=pk)
    if announcement.published_at is None:
        return _refused(request, announcement, _("A draft announcement has no published list yet."))
    if announcement.imported:
        return _refused(
            request, announcement, _("An imported list is corrected by importing the corrected file again.")
        )
    form = CorrectionForm(**bound(request))
    status = form_status(request)
    if form.is_bound and form.is_valid():
        try:
            published = services.correct_announcement(announcement, by=request.user, reason=form.cleaned_data["reason"])
        except services.AnnouncementRefused as error:
            _show_refusal(form, error)
            status = CONFLICT
        else:
            messages.success(
                request,
                _("Version %(version)d of the list is published; SHA-256: %(hash)s")
                % {"version": published.version, "hash": published.sha256},
            )
            return redirect(announcement)
    published, _document = selectors.current_list(announcement)
    context = {"announcement": announcement, "form": form, "published": published}
    return render(request, "publicity/announcement_correct.html", context, status=status)
