"""Counting working days (工作日) with China's holidays and make-up working days (调休).

Statutory windows — a public notice of five working days, say — are counted on the calendar kept in
`CalendarDay`. A year with no entries falls back to Monday–Friday: a window is never refused for want of
data, and the secretariat is warned on the dashboard instead (`years_without_data`).
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models.functions import ExtractYear

from portal.models import CalendarDay

_HORIZON_DAYS = 60  # exceptions fetched per query; a window longer than that fetches again


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _exceptions(start: date, end: date) -> dict[date, str]:
    rows = CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind")
    return dict(rows)


def is_working_day(day: date, exceptions: dict[date, str] | None = None) -> bool:
    """Whether `day` is worked: its calendar entry if it has one, else Monday to Friday."""
    if exceptions is None:
        exceptions = _exceptions(day, day)
    kind = exceptions.get(day)
    if kind is not None:
        return kind == CalendarDay.Kind.WORKDAY
    return day.weekday() < 5


def working_days_from(first: date, n: int) -> list[date]:
    """The first `n` working days on or after `first`."""
    found: list[date] = []
    window_start = first
    while len(found) < n:
        window_end = window_start + timedelta(days=_HORIZON_DAYS)
        exceptions = _exceptions(window_start, window_end)
        day = window_start
        while day <= window_end and len(found) < n:
            if is_working_day(day, exceptions):
                found.append(day)
            day += timedelta(days=1)
        window_start = window_end + timedelta(days=1)
    return found


def add_working_days(moment: datetime, n: int) -> datetime:
    """The close of a window of `n` working days that opens at `moment`, in Asia/Shanghai time.

    The day of `moment` counts as the first working day when it is one, as official notices count
    (a five-day notice published on Wednesday 2026-09-30 runs to Monday 2026-10-12); the window closes at
    the end of its last working day, i.e. at midnight after it. `n == 0` returns `moment` itself.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return moment
    zone = local_zone()
    last = working_days_from(moment.astimezone(zone).date(), n)[-1]
    return datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)


def years_without_data(years: Iterable[int]) -> list[int]:
    """Those of `years` for which the calendar holds no holiday data (so Monday–Friday is assumed)."""
    wanted = sorted(set(years))
    known = set(
        CalendarDay.objects.annotate(year=ExtractYear("date"))
        .filter(year__in=wanted)
        .order_by()  # DISTINCT over the default ordering would return every day
        .values_list("year", flat=True)
        .distinct()
    )
    return [year for year in wanted if year not in known]
