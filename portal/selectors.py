"""Reads the shared pages need."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from portal.models import AuditEvent, CalendarDay
from portal.workdays import local_zone, years_without_data


def calendar_years_missing() -> list[int]:
    """This year and next, where the working-day calendar has no data yet (the secretariat's warning)."""
    this_year = timezone.now().astimezone(local_zone()).year
    return years_without_data([this_year, this_year + 1])


def events_for(obj) -> QuerySet[AuditEvent]:
    """The object's audit trail, oldest first, each actor loaded in the same query (for `_timeline.html`)."""
    return AuditEvent.objects.for_object(obj).select_related("actor").order_by("id")


def audit_events() -> QuerySet[AuditEvent]:
    """Every audit event, newest first, ready for a list that shows its actor and object type."""
    return AuditEvent.objects.select_related("actor", "target_type").order_by("-id")


def audit_actions() -> list[str]:
    """The actions the log holds, for the list's filter."""
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def audit_target_types() -> list[ContentType]:
    """The kinds of object the log has events about, for the list's filter."""
    used = AuditEvent.objects.filter(target_type__isnull=False).values("target_type").distinct()
    return list(ContentType.objects.filter(pk__in=used).order_by("app_label", "model"))


@dataclass(frozen=True)
class CalendarYear:
    year: int
    holidays: int
    workdays: int


def calendar_years() -> list[CalendarYear]:
    """The years the working-day calendar has data for, with their counts of days off and make-up days."""
    rows = (
        CalendarDay.objects.annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(
            holidays=Count("id", filter=Q(kind=CalendarDay.Kind.HOLIDAY)),
            workdays=Count("id", filter=Q(kind=CalendarDay.Kind.WORKDAY)),
        )
        .order_by("year")
    )
    return [CalendarYear(**row) for row in rows]


def calendar_days(year: int) -> QuerySet[CalendarDay]:
    """The year's exceptions to Monday–Friday, in date order."""
    return CalendarDay.objects.filter(date__year=year).order_by("date")
