"""The ranking form of a group's summary table: one rank per application, 1..n, each used once."""

from collections import Counter

from django import forms
from django.utils.translation import gettext as _

from projects.models import Application


class GroupRankForm(forms.Form):
    def __init__(self, *args, applications: list[Application], initial_ranks: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        count = len(applications)
        out_of_range = _("Give a rank from 1 to %(count)d.") % {"count": count}
        for application in applications:
            self.fields[self.field_name(application)] = forms.IntegerField(
                label=_("Rank of %(standard)s") % {"standard": application.standard.number},
                min_value=1,
                max_value=count,
                initial=initial_ranks.get(application.pk),
                error_messages={
                    "required": out_of_range,
                    "invalid": out_of_range,
                    "min_value": out_of_range,
                    "max_value": out_of_range,
                },
                widget=forms.NumberInput(attrs={"class": "rank-input"}),
            )
        self.applications = applications

    @staticmethod
    def field_name(application: Application) -> str:
        return f"rank_{application.pk}"

    def clean(self) -> dict:
        cleaned = super().clean()
        used = Counter(value for value in cleaned.values() if value is not None)
        for name, value in list(cleaned.items()):
            if value is not None and used[value] > 1:
                self.add_error(name, _("Rank %(rank)d is given to more than one application.") % {"rank": value})
        return cleaned

    def ranks(self) -> dict[int, int]:
        """Application id → rank, from a valid form."""
        return {application.pk: self.cleaned_data[self.field_name(application)] for application in self.applications}

    def rank_fields(self) -> list[forms.BoundField]:
        """The rank fields in the applications' order, for the table to show each beside its application."""
        return [self[self.field_name(application)] for application in self.applications]
