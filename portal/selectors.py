"""Reads the shared pages need."""

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from portal.models import AuditEvent, CalendarDay, Invitation, Membership, Organisation, RegistrationRequest
from portal.workdays import local_zone, years_without_data


def calendar_years_missing() -> list[int]:
    """This year and next, where the working-day calendar has no data yet (the secretariat's warning)."""
    this_year = timezone.now().astimezone(local_zone()).year
    return years_without_data([this_year, this_year + 1])


def events_for(obj) -> list[AuditEvent]:
    """The object's audit trail, oldest first, in one query, each event labelled for `_timeline.html`.

    `action_label` comes from the apps' `audit_actions`; `from_label` and `to_label` from the choices of the
    object's `status` field, when it has one.
    """
    actions = _audit_action_labels()
    states = _status_labels(obj)
    events = list(AuditEvent.objects.for_object(obj).select_related("actor").order_by("id"))
    for event in events:
        event.action_label = actions.get(event.action, event.action)
        event.from_label = states.get(event.from_state, event.from_state)
        event.to_label = states.get(event.to_state, event.to_state)
    return events


def _audit_action_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for config in apps.get_app_configs():
        labels.update(getattr(config, "audit_actions", {}))
    return labels


def _status_labels(obj) -> dict[str, str]:
    try:
        field = obj._meta.get_field("status")
    except FieldDoesNotExist:
        return {}
    return {str(value): label for value, label in field.flatchoices}


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


# --- organisations and their people ---------------------------------------------------------------------
# How long the dashboard keeps showing an approved registration (with its "invite your colleagues").
APPROVED_SHOWN_FOR = timedelta(days=14)


def registration_requests_of(user) -> list[RegistrationRequest]:
    """The person's registration requests the dashboard shows, newest first: those waiting, those refused since
    the last approval, and an approval of the last two weeks."""
    shown = []
    for request in RegistrationRequest.objects.filter(contact=user).order_by("-created_at", "-id"):
        if request.status == RegistrationRequest.Status.APPROVED:
            if timezone.now() - request.decided_at <= APPROVED_SHOWN_FOR:
                shown.append(request)
            break
        shown.append(request)
    return shown


def registration_queue(*, status: str = RegistrationRequest.Status.PENDING) -> QuerySet[RegistrationRequest]:
    """The secretariat's queue: requests in `status`, oldest first, with their contacts."""
    return RegistrationRequest.objects.filter(status=status).select_related("contact").order_by("created_at", "id")


def members_of(organisation) -> QuerySet[Membership]:
    """The organisation's members, administrators first, with their accounts."""
    members = Membership.objects.filter(organisation=organisation).select_related("user")
    return members.order_by("-is_admin", "user__name", "pk")


def open_invitations(organisation) -> QuerySet[Invitation]:
    return organisation.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gte=timezone.now()
    ).select_related("invited_by")


def organisations_for_secretariat() -> QuerySet[Organisation]:
    """Every organisation with its counts of members and administrators, for the secretariat's list."""
    organisations = Organisation.objects.annotate(
        member_count=Count("memberships", distinct=True),
        admin_count=Count("memberships", filter=Q(memberships__is_admin=True), distinct=True),
    )
    return organisations.order_by("kind", "name")
