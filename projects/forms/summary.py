"""The ranking form of a group's summary table: one rank per application, 1..n, each used once; or none at all,
which clears the order (the table then lists the applications in the order they were started)."""

from collections import Counter

from django import forms
from django.utils.translation import gettext as _

from projects.models import Application

CLEAR = "clear"  # the name of the "Clear the order" button


class GroupRankForm(forms.Form):
    def __init__(self, data=None, *args, applications: list[Application], initial_ranks: dict[int, int], **kwargs):
        if data is not None and CLEAR in data:
            # The button does what leaving every rank empty does, whatever the fields held.
            data = data.copy()
            for application in applications:
                data[self.field_name(application)] = ""
        super().__init__(data, *args, **kwargs)
        count = len(applications)
        out_of_range = _("Give a rank from 1 to %(count)d.") % {"count": count}
        for application in applications:
            self.fields[self.field_name(application)] = forms.IntegerField(
                label=_("Rank of %(standard)s") % {"standard": application.standard.display_number},
                min_value=1,
                max_value=count,
                required=False,
                initial=initial_ranks.get(application.pk),
                error_messages={"invalid": out_of_range, "min_value": out_of_range, "max_value": out_of_range},
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
        # Empty ranks clear the order only all together: one left out of a ranking would have no place in it.
        empty = [name for name in self.fields if cleaned.get(name) is None and name not in self.errors]
        if len(empty) < len(self.fields):
            for name in empty:
                self.add_error(
                    name,
                    _("Give a rank from 1 to %(count)d here too, or leave every rank empty to clear the order.")
                    % {"count": len(self.fields)},
                )
        return cleaned

    def ranks(self) -> dict[int, int | None]:
        """Application id → rank (None for every one when the order is cleared), from a valid form."""
        return {application.pk: self.cleaned_data[self.field_name(application)] for application in self.applications}

    def clears(self) -> bool:
        """Whether the valid form clears the order."""
        return all(rank is None for rank in self.ranks().values())

    def rank_fields(self) -> list[forms.BoundField]:
        """The rank fields in the applications' order, for the table to show each beside its application."""
        return [self[self.field_name(application)] for application in self.applications]
