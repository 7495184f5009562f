"""When a public notice closes: the end of its last working day (NOTICE_CLOSES_AT, Beijing time)."""

from datetime import datetime, time

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

from portal.workdays import local_zone, working_days_from


def closing_time() -> time:
    hours, _, minutes = settings.NOTICE_CLOSES_AT.partition(":")
    return time(int(hours), int(minutes or 0))


def notice_end(starts_at: datetime, working_days: int) -> datetime:
    """The close of a notice of `working_days` working days that opens at `starts_at`.

    The opening day counts as the first when it is a working day and the notice opens before the closing time,
    as official notices count; a notice opening after the closing time counts from the next working day.
    """
    zone = local_zone()
    local = starts_at.astimezone(zone)
    closes = closing_time()
    first = local.date()
    days = working_days_from(first, working_days + 1)
    if local.time() >= closes and days[0] == first:
        days = days[1:]
    return datetime.combine(days[working_days - 1], closes, tzinfo=zone)


def beijing(moment: datetime) -> str:
    """A moment as the pages and messages give it: Beijing time, the active language's date-time format."""
    return date_format(timezone.localtime(moment, timezone.get_default_timezone()), "DATETIME_FORMAT")
