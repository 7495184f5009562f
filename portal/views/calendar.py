"""The working-day calendar's pages: the secretariat enters each year's holidays and make-up days."""

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import selectors, services
from portal.choices import Role
from portal.forms import CalendarDayForm
from portal.models import CalendarDay
from portal.permissions import role_required
from portal.workdays import local_zone

FIRST_YEAR, LAST_YEAR = 2000, 2100


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
            entry = services.set_calendar_day(
                day=form.cleaned_data["date"],
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                by=request.user,
            )
            messages.success(
                request,
                _("%(date)s is saved as: %(kind)s.")
                % {"date": date_format(entry.date), "kind": entry.get_kind_display()},
            )
            return redirect("portal:calendar_year", year=year)
        return _render_year(request, year, form, status=400)
    return _render_year(request, year, CalendarDayForm(year=year, initial=_initial(request, year)))


@role_required(Role.SECRETARIAT)
@require_POST
def calendar_delete(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    _check_year(year)
    entry = get_object_or_404(CalendarDay, pk=pk, date__year=year)
    services.delete_calendar_day(day=entry.date, by=request.user)
    messages.success(
        request, _("%(date)s is removed: it counts Monday to Friday again.") % {"date": date_format(entry.date)}
    )
    return redirect("portal:calendar_year", year=year)


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


def _render_year(request: HttpRequest, year: int, form: CalendarDayForm, status: int = 200) -> HttpResponse:
    days = list(selectors.calendar_days(year))
    context = {
        "year": year,
        "days": days,
        "form": form,
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < LAST_YEAR else None,
    }
    return render(request, "portal/calendar_year.html", context, status=status)
