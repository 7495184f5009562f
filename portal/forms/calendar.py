"""The working-day calendar's forms: a day or a range of days, and a pasted State Council schedule."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from portal.holiday_schedule import Schedule, ScheduleError, parse_schedule
from portal.models import CalendarDay

# The notice has seven short lines; room for the whole page copied with its preamble, and no more.
SCHEDULE_LENGTH = 10_000


class CalendarDayForm(forms.Form):
    """One exception to Monday–Friday in the year being edited, or a range of days of one kind and name;
    an existing date is changed, not duplicated."""

    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("To (for a range)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The last day of a range, all of one kind and name; leave it empty for one day."),
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

    def clean_date(self) -> datetime.date:
        return self._in_year(self.cleaned_data["date"])

    def clean_until(self) -> datetime.date | None:
        day = self.cleaned_data["until"]
        return day and self._in_year(day)

    def clean(self) -> dict:
        cleaned = super().clean()
        first, last, kind = cleaned.get("date"), cleaned.get("until"), cleaned.get("kind")
        if first and last and last < first:
            self.add_error("until", _("The last day comes before the first; choose a later one."))
            return cleaned
        # 调休 moves work onto a weekend; a make-up day on a weekday would change nothing and hides a typo.
        if first and kind == CalendarDay.Kind.WORKDAY:
            weekdays = [day for day in self.days() if day.weekday() < 5]
            if weekdays and not last:
                message = _("A make-up working day falls on a Saturday or Sunday; this date is a weekday.")
                self.add_error("date", message)
            elif weekdays:
                self.add_error(
                    "until",
                    _("A make-up working day falls on a Saturday or Sunday; these dates are weekdays: %(dates)s.")
                    % {"dates": pgettext("list separator", ", ").join(day.isoformat() for day in weekdays)},
                )
        return cleaned

    def days(self) -> list[datetime.date]:
        """The dates the form sets: its one date, or every date from it to `until`."""
        first = self.cleaned_data["date"]
        last = self.cleaned_data.get("until") or first
        return [first + datetime.timedelta(days=offset) for offset in range((last - first).days + 1)]

    def _in_year(self, day: datetime.date) -> datetime.date:
        if day.year != self.year:
            raise forms.ValidationError(
                _("Choose a date in %(year)s; this page edits that year only."), params={"year": self.year}
            )
        return day


class ScheduleForm(forms.Form):
    """The State Council's schedule pasted as published; the days are read from it again when saving."""

    text = forms.CharField(
        label=_("The State Council's holiday schedule"),
        max_length=SCHEDULE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Paste the notice's numbered lines as published, e.g. “二、春节：2月15日（农历腊月二十八、周日）至23日"
            "（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。” The rest of the notice may "
            "come with them: it is set apart."
        ),
    )

    def __init__(self, *args, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        self.schedule: Schedule | None = None

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        try:
            self.schedule = parse_schedule(text, year=self.year)
        except ScheduleError as error:
            if not error.number:
                raise forms.ValidationError(error.reason) from None
            raise forms.ValidationError(
                _("Line %(number)d could not be read: “%(line)s”. %(reason)s"),
                params={"number": error.number, "line": error.line, "reason": error.reason},
            ) from None
        return text
