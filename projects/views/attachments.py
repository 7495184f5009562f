"""An application's attachments: the page of slots, each with its upload, the checked download, the removal
and the question before it."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from portal.views.helpers import REFUSED, fetch
from projects import files, permissions
from projects.completeness import REQUIRED_SLOTS
from projects.forms.attachments import AttachmentUploadForm
from projects.models import Application, Attachment, AttachmentSlot
from projects.services import attachments as services
from projects.services.attachments import MULTIPLE_SLOTS
from projects.views.applications import CONFLICT, not_editable_message


def _fetch_application(request: HttpRequest, pk: int) -> Application:
    """The application, or 404 when it does not exist or the user may not see it."""
    queryset = Application.objects.select_related("call", "group", "standard")
    return fetch(queryset, pk=pk, user=request.user, can_see=permissions.can_view)


@dataclass(frozen=True)
class SlotRow:
    slot: str
    label: str
    required: bool
    multiple: bool
    attachments: list[Attachment]
    # Its own upload form: the refused one, bound, at its slot; None when the attachments cannot change now.
    form: AttachmentUploadForm | None


@dataclass(frozen=True)
class SummaryItem:
    message: str
    href: str  # the control or slot the message is about, "" when it is about none


def _slot_rows(application: Application, *, can_edit: bool, refused: AttachmentUploadForm | None) -> list[SlotRow]:
    attachments = list(application.attachments.select_related("uploaded_by").order_by("uploaded_at", "id"))
    rows = []
    for slot in AttachmentSlot:
        held = [attachment for attachment in attachments if attachment.slot == slot]
        form = None
        if can_edit:
            form = refused if refused is not None and _slot_of(refused) == slot else None
            form = form or AttachmentUploadForm(slot=slot, current=held)
        rows.append(
            SlotRow(
                slot=slot,
                label=str(slot.label),
                required=slot in REQUIRED_SLOTS,
                multiple=slot in MULTIPLE_SLOTS,
                attachments=held,
                form=form,
            )
        )
    return rows


def _slot_of(form: AttachmentUploadForm) -> str:
    """The slot a posted form was for, or "" when what was posted names none."""
    slot = form.data.get("slot", "")
    return slot if slot in AttachmentSlot.values else ""


def _summary(form: AttachmentUploadForm | None) -> list[SummaryItem]:
    """A refused upload's messages for the top of the page, each linking to the control (or slot) it is about."""
    if form is None:
        return []
    slot = _slot_of(form)
    # A file's message links to the file's control; another (the slot, the whole form) to the slot, if any.
    targets = {"file": f"#{form['file'].id_for_label}"} if slot else {}
    fallback = f"#upload-{slot}" if slot else ""
    return [
        SummaryItem(str(message), targets.get(name, fallback))
        for name, errors in form.errors.items()
        for message in errors
    ]


def _posted_form(request: HttpRequest, application: Application) -> AttachmentUploadForm:
    slot = request.POST.get("slot", "")
    slot = slot if slot in AttachmentSlot.values else ""
    current = list(application.attachments.filter(slot=slot)) if slot else []
    return AttachmentUploadForm(request.POST, request.FILES, slot=slot, current=current)


@login_required
@require_http_methods(["GET", "POST"])
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone who may see the application sees its attachments; its group uploads while it may edit."""
    application = _fetch_application(request, pk)
    can_edit = permissions.can_edit(request.user, application)
    if request.method != "POST":
        return _page(request, application, None, can_edit=can_edit)
    if not permissions.may_edit(request.user, application):
        raise PermissionDenied
    form = _posted_form(request, application)
    if not can_edit:
        return _page(request, application, form, can_edit=False, status=CONFLICT)
    if form.is_valid():
        try:
            created = services.add_attachment(
                application=application,
                slot=form.cleaned_data["slot"],
                uploads=form.cleaned_data["file"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _uploaded_message(created, replaced=form.replaces))
            return redirect("projects:attachment_upload", pk=application.pk)
    return _page(request, application, form, can_edit=can_edit, status=REFUSED)


def _page(
    request, application: Application, refused: AttachmentUploadForm | None, *, can_edit: bool, status: int = 200
):
    context = {
        # Why its group may not change them now (409), when it may not.
        "locked": not_editable_message(application) if status == CONFLICT else "",
        "application": application,
        "slots": _slot_rows(application, can_edit=can_edit, refused=refused if status == REFUSED else None),
        "summary": _summary(refused) if status == REFUSED else [],
        "can_edit": can_edit,
        "max_upload_bytes": files.max_upload_bytes(),
    }
    return render(request, "projects/attachments.html", context, status=status)


def _uploaded_message(created: list[Attachment], *, replaced: list[Attachment]) -> str:
    names = "、".join(attachment.original_name for attachment in created)
    if replaced:
        old = "、".join(attachment.original_name for attachment in replaced)
        return _("Replaced %(old)s with %(new)s.") % {"old": old, "new": names}
    return ngettext("Uploaded: %(names)s.", "Uploaded %(count)d files: %(names)s.", len(created)) % {
        "names": names,
        "count": len(created),
    }


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """The file, as a download under its sanitised original name, for whoever may see the application."""
    application = _fetch_application(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    services.record_download(attachment=attachment, by=request.user)
    # Always a download with the type its content was recognised as: never rendered in the portal's origin.
    return FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
@require_http_methods(["GET", "POST"])
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """A page that names the file and asks (GET), as removal acts at once; the removal itself (POST), audited.

    Both refused in order: 404 for who may not see the application, 403 for who may never edit it, 409 for its
    group once it is no longer editable.
    """
    application = _fetch_application(request, pk)
    attachment = get_object_or_404(
        Attachment.objects.select_related("uploaded_by"), pk=attachment_pk, application=application
    )
    if not permissions.may_edit(request.user, application):
        raise PermissionDenied
    can_edit = permissions.can_edit(request.user, application)
    if request.method == "GET":
        return _question(request, application, attachment, can_edit=can_edit)
    if not can_edit:
        return _page(request, application, None, can_edit=False, status=CONFLICT)
    services.delete_attachment(attachment=attachment, by=request.user)
    messages.success(request, _("Removed: %(name)s.") % {"name": attachment.original_name})
    return redirect("projects:attachment_upload", pk=application.pk)


def _question(request, application: Application, attachment: Attachment, *, can_edit: bool) -> HttpResponse:
    context = {
        "application": application,
        "attachment": attachment,
        "slot_label": AttachmentSlot(attachment.slot).label,
        "locked": "" if can_edit else not_editable_message(application),
    }
    return render(request, "projects/attachment_delete.html", context, status=200 if can_edit else CONFLICT)
