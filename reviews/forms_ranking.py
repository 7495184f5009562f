"""Forms of the ranking and the shortlist: they shape what the secretariat asks for; the services decide."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.widgets import Select
from reviews.models import Panel
from reviews.services import shortlisting
from standards.numbers import InvalidNumberError, normalise_number

REASON_MAX = 2000
LIST_MAX = 20000  # characters of standard numbers, one per line: several hundred applications


class RankingFilterForm(forms.Form):
    """Which ranking: the whole call's or a panel's."""

    panel = forms.ModelChoiceField(
        queryset=Panel.objects.none(),
        required=False,
        label=_("Ranking of"),
        empty_label=_("The whole call"),
        widget=Select,
    )

    def __init__(self, *args, panels, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels


class StandardNumbersField(forms.CharField):
    """Standard numbers, one per line (or separated by commas or 、), as typed in any written form."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, max_length=LIST_MAX, **kwargs)

    def clean(self, value) -> list[str]:
        text = super().clean(value)
        parts = [part.strip() for part in text.replace("、", "\n").replace(",", "\n").replace("，", "\n").splitlines()]
        numbers = []
        for part in filter(None, parts):
            try:
                numbers.append(normalise_number(part))
            except InvalidNumberError as error:
                raise forms.ValidationError(str(error)) from error
        return numbers


class ShortlistForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Select"),
        widget=forms.RadioSelect,
        choices=[
            (shortlisting.TOP_N, _("The top N of the ranking")),
            (shortlisting.THRESHOLD, _("Every application at or above a score")),
            (shortlisting.BY_HAND, _("Only the applications listed below")),
        ],
        initial=shortlisting.TOP_N,
    )
    count = forms.IntegerField(label=_("N"), required=False, min_value=1, max_value=100000)
    threshold = forms.DecimalField(
        label=_("Score"),
        required=False,
        max_digits=7,
        decimal_places=3,
        min_value=Decimal(-1000),
        max_value=Decimal(1000),
        help_text=_("On the aggregate the call is ranked by."),
    )
    include = StandardNumbersField(
        label=_("Also shortlist"), help_text=_("Standard numbers, one per line; the reason says why.")
    )
    exclude = StandardNumbersField(
        label=_("Do not shortlist"), help_text=_("Standard numbers, one per line; the reason says why.")
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the choice departs from the ranking or an application does not have every review in."),
    )

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        if mode == shortlisting.TOP_N and data.get("count") is None:
            self.add_error("count", _("Say how many of the ranking to shortlist."))
        if mode == shortlisting.THRESHOLD and data.get("threshold") is None:
            self.add_error("threshold", _("Give the lowest score that is shortlisted."))
        if mode == shortlisting.BY_HAND and not data.get("include"):
            self.add_error("include", _("List the standard numbers of the applications to shortlist."))
        return data


class OutcomeForm(forms.Form):
    """One application's outcome, by hand."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("shortlist", _("Shortlist for the public notice")), ("not_select", _("Not selected"))],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed when the choice departs from the ranking or the application does not have every review in."
        ),
    )
