"""The forms of objections: the public's filing and status lookup, the secretariat's handling, the answer."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from portal.accounts import normalise_mobile
from portal.uploads import ALL_KINDS, CheckedFile, accept_attribute, accepted_summary, check_upload
from projects.files import max_upload_bytes
from publicity.models import Notice, NoticeEntry, ObjectionStatus

GROUNDS_MAX = 2000
TEXT_MAX = 3000
# A mainland landline: an area code of 3 or 4 digits starting with 0, then 7 or 8 digits, maybe an extension.
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(?:-\d{1,6})?")


def normalise_phone(text: str) -> str:
    """A mainland mobile (its 11 digits) or landline (as 010-68205245); ValidationError for anything else."""
    try:
        return normalise_mobile(text)
    except ValidationError:
        pass
    compact = re.sub(r"[\s()（）]", "", text).removeprefix("+86").removeprefix("86-")
    if _LANDLINE.fullmatch(compact):
        return compact
    raise ValidationError(
        _("Enter a mainland mobile (e.g. 13800138000) or landline number with its area code (e.g. 010-68205245)."),
        code="phone",
    )


class ObjectionForm(forms.Form):
    project = forms.TypedChoiceField(label=_("Project objected to"), coerce=int)
    name = forms.CharField(label=_("Real name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("Optional: the organisation you object for, if any."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        help_text=_("A mobile, or a landline with its area code."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("Your tracking number is sent there; with it you read the objection's status."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    grounds = forms.CharField(
        label=_("Grounds of the objection"),
        max_length=GROUNDS_MAX,
        help_text=_("What is wrong with the project, and how you know it: at most %(count)d characters.")
        % {"count": GROUNDS_MAX},
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": GROUNDS_MAX}),
    )
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(ALL_KINDS)}),
    )

    def __init__(self, *args, entries: list[NoticeEntry], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.entries = {entry.position: entry for entry in entries}
        self.fields["project"].choices = [("", _("Choose the project"))] + [
            (
                entry.position,
                f"{entry.position}. {entry.application.standard.display_number} {entry.application.standard.title_zh}",
            )
            for entry in entries
        ]
        self.fields["evidence"].help_text = accepted_summary(ALL_KINDS, max_upload_bytes())
        self.checked: CheckedFile | None = None

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    def clean_evidence(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("evidence")
        if upload:
            self.checked = check_upload(upload, kinds=ALL_KINDS, max_bytes=max_upload_bytes())
        return upload or None

    def entry(self) -> NoticeEntry:
        return self.entries[self.cleaned_data["project"]]


class StatusForm(forms.Form):
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=30,
        help_text=_("As in the receipt, e.g. YY2026-7KQ4MWX9."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("The address you gave when you filed it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


# --- the secretariat's -----------------------------------------------------------------------------------
class ObjectionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *ObjectionStatus.choices]
    )
    notice = forms.TypedChoiceField(label=_("Public notice"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, notices: list[Notice], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.notices = {notice.pk: notice for notice in notices}
        self.fields["notice"].choices = [("", _("Every notice"))] + [(notice.pk, notice.title) for notice in notices]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {"status": self.cleaned_data["status"], "notice": self.notices.get(self.cleaned_data["notice"])}


class ForwardForm(forms.Form):
    organisations = forms.TypedMultipleChoiceField(
        label=_("Forward to"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    question = forms.CharField(
        label=_("Question"),
        max_length=TEXT_MAX,
        help_text=_("The grounds as they will read them: leave out anything that names the person who objected."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, targets: list, **kwargs) -> None:
        super().__init__(*args, prefix="forward", **kwargs)
        self.targets = {organisation.pk: organisation for organisation in targets}
        self.fields["organisations"].choices = [(organisation.pk, organisation.name) for organisation in targets]

    def chosen(self) -> list:
        return [self.targets[pk] for pk in self.cleaned_data["organisations"]]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, forward_pk: int | None = None, **kwargs) -> None:
        if forward_pk is not None:
            kwargs.setdefault("prefix", f"answer-{forward_pk}")
        super().__init__(*args, **kwargs)


UPHOLD, DISMISS = "uphold", "dismiss"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(UPHOLD, _("Uphold: the project is withdrawn")), (DISMISS, _("Dismiss"))],
        widget=forms.RadioSelect,
    )
    finding = forms.CharField(
        label=_("Finding"),
        max_length=TEXT_MAX,
        required=False,
        help_text=_("When upheld: what was found. It is on the application's timeline, which the group reads."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    response = forms.CharField(
        label=_("Response to the filer"),
        max_length=TEXT_MAX,
        help_text=_("What the person who objected reads with their tracking number."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, prefix="decide", **kwargs)

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("decision") == UPHOLD and not (cleaned.get("finding") or "").strip():
            self.add_error("finding", _("Give the finding: it is what the application's timeline says."))
        return cleaned
