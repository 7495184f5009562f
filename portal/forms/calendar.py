"""The working-day calendar's form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import CalendarDay


class CalendarDayForm(forms.Form):
    """One exception to Monday–Friday in the year being edited; an existing date is changed, not duplicated."""

    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDay.Kind.choices, widget=forms.RadioSelect)
    name = forms.CharField(
        label=_("Name"),
        max_length=CalendarDay._meta.get_field("name").max_length,
        required=False,
        help_text=_("e.g. National Day"),
    )

    def __init__(self, *args, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day.year != self.year:
            raise forms.ValidationError(
                _("Choose a date in %(year)s; this page edits that year only."), params={"year": self.year}
            )
        return day

    def clean(self) -> dict:
        cleaned = super().clean()
        day, kind = cleaned.get("date"), cleaned.get("kind")
        # 调休 moves work onto a weekend; a make-up day on a weekday would change nothing and hides a typo.
        if day and kind == CalendarDay.Kind.WORKDAY and day.weekday() < 5:
            self.add_error("date", _("A make-up working day falls on a Saturday or Sunday; this date is a weekday."))
        return cleaned
