"""An application's attachments: the page of slots and uploads, the checked download, the removal."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

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


def _slot_rows(application: Application) -> list[SlotRow]:
    attachments = list(application.attachments.select_related("uploaded_by").order_by("uploaded_at", "id"))
    return [
        SlotRow(
            slot=slot,
            label=str(slot.label),
            required=slot in REQUIRED_SLOTS,
            multiple=slot in MULTIPLE_SLOTS,
            attachments=[attachment for attachment in attachments if attachment.slot == slot],
        )
        for slot in AttachmentSlot
    ]


@login_required
@require_http_methods(["GET", "POST"])
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone who may see the application sees its attachments; its group uploads while it may edit."""
    application = _fetch_application(request, pk)
    can_edit = permissions.can_edit(request.user, application)
    status = 200
    if request.method == "POST":
        if not permissions.may_edit(request.user, application):
            raise PermissionDenied
        form = AttachmentUploadForm(request.POST, request.FILES)
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
                messages.success(request, _uploaded_message(created))
                return redirect("projects:attachment_upload", pk=application.pk)
        status = REFUSED
    else:
        slot = request.GET.get("slot")
        form = AttachmentUploadForm(initial={"slot": slot if slot in AttachmentSlot.values else ""})
    return _page(request, application, form, can_edit=can_edit, status=status)


def _page(request, application: Application, form: AttachmentUploadForm, *, can_edit: bool, status: int):
    context = {
        # Why its group may not change them now (409), when it may not.
        "locked": not_editable_message(application) if status == CONFLICT else "",
        "application": application,
        "slots": _slot_rows(application),
        "form": form,
        "can_edit": can_edit,
        "max_upload_bytes": files.max_upload_bytes(),
    }
    return render(request, "projects/attachments.html", context, status=status)


def _uploaded_message(created: list[Attachment]) -> str:
    names = "、".join(attachment.original_name for attachment in created)
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
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    application = _fetch_application(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    if not permissions.may_edit(request.user, application):
        raise PermissionDenied
    if not permissions.can_edit(request.user, application):
        return _page(request, application, AttachmentUploadForm(), can_edit=False, status=CONFLICT)
    services.delete_attachment(attachment=attachment, by=request.user)
    messages.success(request, _("Removed: %(name)s.") % {"name": attachment.original_name})
    return redirect("projects:attachment_upload", pk=application.pk)
