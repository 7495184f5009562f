"""Forms of the secretariat's oversight of the recommendation stage: a recommender's extension, the formal check.

They shape what was typed; the service and the workflow decide (deadlines, states, rights).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.fields import ModelMultipleChoiceField
from projects.forms.calls import BeijingDateTimeField
from projects.models import Application, Call

ADMIT, REJECT = "admit", "reject"


class RecommenderExtensionForm(forms.Form):
    until = BeijingDateTimeField(label=_("Extended until"))
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class FormalCheckForm(forms.Form):
    """Admit to expert review (an optional note) or reject as ineligible (reasons required); the button decides."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[(ADMIT, _("Admit to expert review")), (REJECT, _("Reject as ineligible"))]
    )
    note = forms.CharField(
        label=_("Note (for an admission, optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("Reasons (for a rejection)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The applicant sees these reasons."),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == REJECT and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reasons why the application is ineligible."))
        return data


class BulkFormalCheckForm(FormalCheckForm):
    """The same decision for each selected application of the call; each is then moved on its own."""

    applications = ModelMultipleChoiceField(
        label=_("Applications"),
        queryset=Application.objects.none(),
        error_messages={"required": _("Select at least one application.")},
    )

    def __init__(self, *args, call: Call, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Any of the call's: one checked in another window since is refused by the workflow, with its reason.
        self.fields["applications"].queryset = (
            Application.objects.filter(call=call).select_related("standard", "group").order_by("pk")
        )

    def selected(self) -> set[str]:
        """The primary keys ticked, as typed, to tick them again when the page is shown back."""
        return {str(value) for value in self["applications"].value() or []}
