"""Forms of the assignment pages: they shape what the secretariat or the expert types, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.widgets import Select
from projects.models.applications import IndustryField
from reviews.models import Expert, Panel

_SEED_MAX = 2**31 - 1


class AssignmentFilterForm(forms.Form):
    """The list's filters: a panel of the call (its field), or a field."""

    panel = forms.ModelChoiceField(queryset=Panel.objects.none(), required=False, label=_("Panel"), widget=Select)
    field = forms.ChoiceField(
        choices=[("", "—"), *IndustryField.choices], required=False, label=_("Industry field"), widget=Select
    )

    def __init__(self, *args, panels, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels


class ProposeForm(forms.Form):
    panel = forms.ModelChoiceField(
        queryset=Panel.objects.none(),
        required=False,
        label=_("For"),
        empty_label=_("The whole call"),
        widget=Select,
        help_text=_("A panel proposes from its members, for the applications of its field."),
    )
    draw = forms.BooleanField(
        required=False,
        label=_("Draw at random (随机抽取)"),
        help_text=_("Picks at random among equally suitable experts; the seed is recorded for inspection."),
    )
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=_SEED_MAX,
        label=_("Seed"),
        help_text=_("Optional: repeats an earlier draw on the same data."),
    )

    def __init__(self, *args, panels, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Expert) -> str:
        return f"{obj.user.get_full_name()}（{obj.affiliation}）"


class AssignForm(forms.Form):
    expert = ExpertChoiceField(queryset=Expert.objects.none(), label=_("Expert"))

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = candidates


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
