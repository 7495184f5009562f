"""The upload form of one attachment slot: which slot (its own form's hidden field), which files."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from projects import files
from projects.models import Attachment, AttachmentSlot
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
    """Each slot has its own form, its controls named after the slot (`id_<slot>_file`), so a refusal is shown
    at the slot it concerns. `current` is what the slot holds: in a single-file slot the upload replaces it."""

    slot = forms.ChoiceField(choices=AttachmentSlot.choices, widget=forms.HiddenInput)
    file = AttachmentFilesField(
        label=_("Files"),
        error_messages={"required": _("Choose a file to upload.")},
        widget=MultipleFileInput(attrs={"accept": files.ACCEPT_ATTRIBUTE}),
    )

    def __init__(self, *args, slot: str = "", current: list[Attachment] = (), **kwargs):
        if slot:
            kwargs.setdefault("auto_id", f"id_{slot}_%s")
            kwargs.setdefault("initial", {"slot": slot})
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        self.replaces = list(current) if slot and slot not in MULTIPLE_SLOTS else []
        hint = ""
        if slot not in MULTIPLE_SLOTS:
            # The browser offers one file; the server still reads a list, and refuses more than one (clean).
            field.widget.attrs.pop("multiple", None)
        if slot in MULTIPLE_SLOTS:
            field.label = _("Add one or more files")
            hint = _("Several files may be chosen at once.")
        elif self.replaces:
            field.label = _("Replace with another file")
            names = "、".join(attachment.original_name for attachment in self.replaces)
            hint = _("The new file replaces “%(name)s”.") % {"name": names}
        else:
            field.label = _("Choose the file")
        field.help_text = " ".join(str(text) for text in (files.accepted_summary(), hint) if text)
        self.submit_label = _("Replace") if self.replaces else _("Upload")

    def clean(self) -> dict:
        cleaned = super().clean()
        slot, uploads = cleaned.get("slot"), cleaned.get("file")
        if slot and uploads and len(uploads) > 1 and slot not in MULTIPLE_SLOTS:
            self.add_error("file", _("“%(slot)s” takes one file.") % {"slot": AttachmentSlot(slot).label})
        return cleaned
