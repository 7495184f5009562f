"""Reads the shared pages need."""

from django.utils import timezone

from portal.workdays import local_zone, years_without_data


def calendar_years_missing() -> list[int]:
    """This year and next, where the working-day calendar has no data yet (the secretariat's warning)."""
    this_year = timezone.now().astimezone(local_zone()).year
    return years_without_data([this_year, this_year + 1])
