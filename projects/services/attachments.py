"""Adding and removing an application's attachments while its group may still edit it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from portal import audit
from portal.models import User
from projects import files, permissions
from projects.models import Application, Attachment, AttachmentSlot
from standards.services.common import schedule_file_removal

# Slots that hold several files; in the others a new file replaces the one there.
MULTIPLE_SLOTS = frozenset({AttachmentSlot.IMPLEMENTATION_PROOF, AttachmentSlot.OTHER})


def _lock_editable(application: Application, by: User) -> Application:
    # The same row lock as workflow.submit: a file cannot slip in while the application is being submitted.
    locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if not permissions.can_edit(by, locked):
        raise PermissionDenied
    return locked


@transaction.atomic
def add_attachment(*, application: Application, slot: str, uploads: list[File], by: User) -> list[Attachment]:
    """Store `uploads` in `slot` of an application its group may edit (draft or returned).

    Every file is checked by content before any is stored; one refusal refuses all and changes nothing.
    In a single-file slot the new file replaces the old one (its file is removed after commit), audited as one
    `attachment.replace` naming both; otherwise audited as `attachment.add` on the application, one per file.
    """
    locked = _lock_editable(application, by)
    if slot not in AttachmentSlot.values:
        raise ValidationError({"slot": _("Choose the kind of attachment.")})
    if not uploads:
        raise ValidationError({"file": _("Choose a file to upload.")})
    if len(uploads) > 1 and slot not in MULTIPLE_SLOTS:
        raise ValidationError(
            {"file": _("“%(slot)s” takes one file.") % {"slot": AttachmentSlot(slot).label}},
        )
    checked = _check_all(uploads)
    replaced = [] if slot in MULTIPLE_SLOTS else list(Attachment.objects.filter(application=locked, slot=slot))
    for old in replaced:
        _remove(old)
    created = []
    try:
        for upload, check in zip(uploads, checked, strict=True):
            created.append(_store(locked, slot=slot, upload=upload, check=check, by=by))
    except Exception:
        # The rows roll back with the transaction; the stored files would not.
        for attachment in created:
            default_storage.delete(attachment.file.name)
        raise
    if replaced:
        # One event for what the applicant did, a replacement, rather than a removal and an upload.
        note = f"{_describe_all(replaced)} → {created[0].original_name}"
        audit.record(action="attachment.replace", target=locked, actor=by, note=note)
    else:
        for attachment in created:
            audit.record(action="attachment.add", target=locked, actor=by, note=_describe(attachment))
    return created


def _check_all(uploads: list[File]) -> list[files.CheckedFile]:
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(files.check_upload(upload))
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError({"file": errors})
    return checked


def _store(application: Application, *, slot: str, upload: File, check: files.CheckedFile, by: User) -> Attachment:
    attachment = Attachment(
        application=application,
        slot=slot,
        original_name=check.original_name,
        size=check.size,
        content_type=check.kind.content_type,
        uploaded_by=by,
    )
    upload.seek(0)
    attachment.file.save(check.stored_name, File(upload), save=False)
    attachment.save()
    return attachment


def _describe(attachment: Attachment) -> str:
    return f"{AttachmentSlot(attachment.slot).label}: {attachment.original_name}"


def _describe_all(attachments: list[Attachment]) -> str:
    names = "、".join(attachment.original_name for attachment in attachments)
    return f"{AttachmentSlot(attachments[0].slot).label}: {names}"


def _remove(attachment: Attachment) -> None:
    name = attachment.file.name
    attachment.delete()
    schedule_file_removal(name)


@transaction.atomic
def delete_attachment(*, attachment: Attachment, by: User) -> None:
    """Remove an attachment of an application its group may edit; the file goes after commit.

    Audited as `attachment.delete` on the application.
    """
    locked = _lock_editable(attachment.application, by)
    current = Attachment.objects.filter(pk=attachment.pk, application=locked).first()
    if current is not None:  # already removed by another request: nothing left to do
        _remove(current)
        audit.record(action="attachment.delete", target=locked, actor=by, note=_describe(current))


@transaction.atomic
def record_download(*, attachment: Attachment, by: User) -> None:
    """Log that `by` downloaded the attachment (`attachment.download`, on the attachment itself)."""
    note = f"{_('Application')} {attachment.application_id} · {_describe(attachment)}"
    audit.record(action="attachment.download", target=attachment, actor=by, note=note)
