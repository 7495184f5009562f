"""The secretariat's forms for an announcement: its draft, and the reason of a correction of its list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from publicity.models import Announcement


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Announcement
        fields = ["number", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def validate_unique(self) -> None:
        # The service says when the number is taken (it locks the call first); the form only shapes the input.
        pass


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Published with the new version of the list."),
    )
