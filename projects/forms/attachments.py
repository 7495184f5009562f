"""The upload form of an application's attachments: which slot, which files."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from projects import files
from projects.models import AttachmentSlot
from projects.services.attachments import MULTIPLE_SLOTS


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentFilesField(forms.FileField):
    """One or more files, each checked by content; the errors name every refused file."""

    widget = MultipleFileInput

    def clean(self, data, initial=None) -> list[UploadedFile]:
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        errors = []
        for upload in uploads:
            try:
                files.check_upload(upload)
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return uploads


class AttachmentUploadForm(forms.Form):
    slot = forms.ChoiceField(label=_("Kind of attachment"), choices=[("", "—"), *AttachmentSlot.choices])
    file = AttachmentFilesField(
        label=_("Files"),
        error_messages={"required": _("Choose a file to upload.")},
        widget=MultipleFileInput(attrs={"accept": files.ACCEPT_ATTRIBUTE, "multiple": True}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            files.accepted_summary()
            + " "
            + str(_("Proof of implementation and other attachments may be several files at once."))
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        slot, uploads = cleaned.get("slot"), cleaned.get("file")
        if slot and uploads and len(uploads) > 1 and slot not in MULTIPLE_SLOTS:
            self.add_error("file", _("“%(slot)s” takes one file.") % {"slot": AttachmentSlot(slot).label})
        return cleaned
