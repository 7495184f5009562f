"""The working-day calendar's pages: the secretariat enters each year's holidays and make-up days."""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import selectors, services
from portal.choices import Role
from portal.forms import CalendarDayForm
from portal.forms.calendar import ScheduleForm
from portal.holiday_schedule import Schedule, ScheduledDay
from portal.models import CalendarDay
from portal.permissions import role_required
from portal.views.helpers import bound, form_status
from portal.workdays import local_zone

FIRST_YEAR, LAST_YEAR = 2000, 2100
# The session's copy of the last removed day, offered once for undoing on its year's page.
REMOVED = "calendar_removed"


@role_required(Role.SECRETARIAT)
@require_GET
def calendar_index(request: HttpRequest) -> HttpResponse:
    this_year = timezone.now().astimezone(local_zone()).year
    context = {
        "years": selectors.calendar_years(),
        "missing_years": selectors.calendar_years_missing(),
        "this_year": this_year,
        "next_year": this_year + 1,
    }
    return render(request, "portal/calendar_index.html", context)


@role_required(Role.SECRETARIAT)
@require_http_methods(["GET", "POST"])
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    if request.method == "POST":
        form = CalendarDayForm(request.POST, year=year)
        if form.is_valid():
            _save_days(request, form)
            return redirect("portal:calendar_year", year=year)
        return _render_year(request, year, form, status=400)
    form = CalendarDayForm(year=year, initial=_initial(request, year))
    return _render_year(request, year, form, removed=_last_removed(request, year))


@role_required(Role.SECRETARIAT)
@require_POST
def calendar_delete(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    _check_year(year)
    entry = get_object_or_404(CalendarDay, pk=pk, date__year=year)
    services.delete_calendar_day(day=entry.date, by=request.user)
    # Undoing puts the entry back through the day form, as the secretariat would retype it.
    request.session[REMOVED] = {"date": entry.date.isoformat(), "kind": entry.kind, "name": entry.name}
    messages.success(
        request, _("%(date)s is removed: it counts Monday to Friday again.") % {"date": date_format(entry.date)}
    )
    return redirect("portal:calendar_year", year=year)


@role_required(Role.SECRETARIAT)
@require_http_methods(["GET", "POST"])
def calendar_schedule(request: HttpRequest, year: int) -> HttpResponse:
    """A pasted State Council schedule: read and shown for confirmation, then saved once confirmed.

    The confirmation posts the text again and it is read again: the days saved are the ones the text gives,
    checked as for the preview, never a list of days taken from the browser.
    """
    _check_year(year)
    form = ScheduleForm(**bound(request), year=year)
    if request.method == "POST" and form.is_valid():
        schedule = form.schedule
        if request.POST.get("confirm"):
            entries = [(day.date, day.kind, day.name) for day in schedule.days]
            changed = services.set_calendar_days(entries=entries, by=request.user)
            messages.success(
                request,
                ngettext(
                    "%(count)d day of the schedule is saved; %(changed)d of them new or changed.",
                    "%(count)d days of the schedule are saved; %(changed)d of them new or changed.",
                    len(entries),
                )
                % {"count": len(entries), "changed": changed},
            )
            return redirect("portal:calendar_year", year=year)
        context = {"year": year, "form": form, "schedule": schedule, "rows": _preview(schedule)}
        return render(request, "portal/calendar_schedule.html", context)
    context = {"year": year, "form": form, "schedule": None, "rows": []}
    return render(request, "portal/calendar_schedule.html", context, status=form_status(request))


def _save_days(request: HttpRequest, form: CalendarDayForm) -> None:
    days, kind, name = form.days(), form.cleaned_data["kind"], form.cleaned_data["name"]
    label = CalendarDay.Kind(kind).label
    if len(days) > 1:
        services.set_calendar_days(entries=[(day, kind, name) for day in days], by=request.user)
        message = ngettext(
            "%(count)d day, %(first)s to %(last)s, is saved as: %(kind)s.",
            "%(count)d days, %(first)s to %(last)s, are saved as: %(kind)s.",
            len(days),
        ) % {"count": len(days), "first": date_format(days[0]), "last": date_format(days[-1]), "kind": label}
    else:
        services.set_calendar_day(day=days[0], kind=kind, name=name, by=request.user)
        template = (
            _("%(date)s is back as: %(kind)s.") if request.POST.get("undo") else _("%(date)s is saved as: %(kind)s.")
        )
        message = template % {"date": date_format(days[0]), "kind": label}
    messages.success(request, message)


def _last_removed(request: HttpRequest, year: int) -> CalendarDay | None:
    """The day removed just before, if it is this year's: offered for undoing once, on the page that follows."""
    removed = request.session.get(REMOVED)
    if not removed or not removed["date"].startswith(f"{year:04d}-"):
        return None
    del request.session[REMOVED]
    return CalendarDay(date=date.fromisoformat(removed["date"]), kind=removed["kind"], name=removed["name"])


@dataclass(frozen=True)
class PreviewRow:
    day: ScheduledDay
    kind_label: str
    now: CalendarDay | None  # the calendar's entry for that date before saving
    change: str  # "new", "same" or "changed"


def _preview(schedule: Schedule) -> list[PreviewRow]:
    """Each day read, beside what the calendar holds for that date now."""
    current = CalendarDay.objects.in_bulk([day.date for day in schedule.days], field_name="date")
    rows = []
    for day in schedule.days:
        now = current.get(day.date)
        change = "new" if now is None else "same" if (now.kind, now.name) == (day.kind, day.name) else "changed"
        rows.append(PreviewRow(day, CalendarDay.Kind(day.kind).label, now, change))
    return rows


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404


def _initial(request: HttpRequest, year: int) -> dict[str, object]:
    """The form starts from the entry named by `?date=` (the list's "Change" link), if it is this year's."""
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return {}
    entry = CalendarDay.objects.filter(date=day, date__year=year).first()
    if entry is None:
        return {"date": day} if day.year == year else {}
    return {"date": entry.date, "kind": entry.kind, "name": entry.name}


def _render_year(
    request: HttpRequest, year: int, form: CalendarDayForm, status: int = 200, removed: CalendarDay | None = None
) -> HttpResponse:
    days = list(selectors.calendar_days(year))
    context = {
        "year": year,
        "days": days,
        "form": form,
        "schedule_form": ScheduleForm(year=year),
        "removed": removed,
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < LAST_YEAR else None,
    }
    return render(request, "portal/calendar_year.html", context, status=status)
