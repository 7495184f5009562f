"""Reads the shared pages need."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import Count, Model, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from portal.models import AuditEvent, CalendarDay, Invitation, Membership, Organisation, RegistrationRequest
from portal.workdays import local_zone, years_without_data


def calendar_years_missing() -> list[int]:
    """This year and next, where the working-day calendar has no data yet (the secretariat's warning)."""
    this_year = timezone.now().astimezone(local_zone()).year
    return years_without_data([this_year, this_year + 1])


def events_for(obj) -> list[AuditEvent]:
    """The object's audit trail, oldest first, in one query, each event labelled for `_timeline.html`
    (see `label_events`)."""
    events = AuditEvent.objects.for_object(obj).select_related("actor").order_by("id")
    return label_events(events, model=type(obj))


def label_events(events: Iterable[AuditEvent], *, model: type[Model] | None = None) -> list[AuditEvent]:
    """The events, each with what a person reads in the active language instead of the codes it stores.

    `action_label` comes from the apps' `audit_actions`; `from_label` and `to_label` from the choices of the
    object's state field (`status`, or a calendar day's `kind`); `note_label` is the note with the codes some
    actions write in it (field names, a section's key: the apps' `audit_notes` say which) as labels. `model` is
    the events' object type when they share one, else each event's `target_type` (content types are cached).
    A code without a label is shown as it is. No query.
    """
    actions = _audit_action_labels()
    note_kinds = _audit_note_kinds()
    labelled = []
    for event in events:
        event_model = model or (_model_of(event.target_type_id) if event.target_type_id else None)
        states = _state_labels(event_model)
        event.action_label = actions.get(event.action, event.action)
        event.from_label = states.get(event.from_state, event.from_state)
        event.to_label = states.get(event.to_state, event.to_state)
        event.note_label = _note_label(note_kinds.get(event.action), event.note, event_model)
        labelled.append(event)
    return labelled


def _model_of(content_type_id: int) -> type[Model] | None:
    return ContentType.objects.get_for_id(content_type_id).model_class()


def _audit_action_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for config in apps.get_app_configs():
        labels.update(getattr(config, "audit_actions", {}))
    return labels


def _audit_note_kinds() -> dict[str, str]:
    kinds: dict[str, str] = {}
    for config in apps.get_app_configs():
        kinds.update(getattr(config, "audit_notes", {}))
    return kinds


# The field whose choices name an object's states in its audit events, by preference.
_STATE_FIELDS = ("status", "kind")


def _state_labels(model: type[Model] | None) -> dict[str, str]:
    for name in _STATE_FIELDS:
        try:
            field = model._meta.get_field(name) if model is not None else None
        except FieldDoesNotExist:
            continue
        if field is not None and field.choices:
            return {str(value): label for value, label in field.flatchoices}
    return {}


def _field_label(model: type[Model] | None, name: str) -> str | None:
    try:
        field = model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None
    label = getattr(field, "verbose_name", None)
    return str(label) if label else None


def _labelled_pair(label: str, value: str) -> str:
    return pgettext("label and value", "%(label)s: %(value)s") % {"label": label, "value": value}


def _note_field_names(note: str, model: type[Model] | None) -> str | None:
    # "opens_at, deadline" then, on the next lines, the reason given: the names become labels.
    names, newline, rest = note.partition("\n")
    labels = [_field_label(model, name.strip()) for name in names.split(",")]
    if None in labels:
        return None
    return pgettext("list separator", ", ").join(labels) + newline + rest


def _note_field_values(note: str, model: type[Model] | None) -> str | None:
    # "opens_at 2027-01-01 09:00, deadline 2027-01-31 17:00": each name before its value.
    pairs = [part.partition(" ") for part in note.split(", ")]
    labels = [_field_label(model, name) for name, _space, _value in pairs]
    if None in labels:
        return None
    shown = [_labelled_pair(label, value) for label, (_name, _space, value) in zip(labels, pairs, strict=True)]
    return pgettext("list of labelled values", "; ").join(shown)


def _note_field_changes(note: str, model: type[Model] | None) -> str | None:
    # "name: old → new; code: OLD → NEW".
    pairs = [part.partition(": ") for part in note.split("; ")]
    labels = [_field_label(model, name) for name, _colon, _change in pairs]
    if None in labels:
        return None
    shown = [_labelled_pair(label, change) for label, (_name, _colon, change) in zip(labels, pairs, strict=True)]
    return pgettext("list of labelled values", "; ").join(shown)


def _note_named(note: str, model: type[Model] | None) -> str | None:
    # "浙江省经济和信息化厅: 3 → 5" then the reason: the colon after the name in the reader's language.
    first, newline, rest = note.partition("\n")
    name, colon, value = first.partition(": ")
    return _labelled_pair(name, value) + newline + rest if colon else None


def _note_section(note: str, model: type[Model] | None) -> str | None:
    from projects.completeness import SECTION_BY_KEY  # the application's sections; projects builds on portal

    section = SECTION_BY_KEY.get(note)
    return str(section.title) if section else None


_EXPORT_NOTE = re.compile(r"(?P<count>\d+) events; filter: (?P<query>.*)", re.DOTALL)
_VERIFIED_NOTE = re.compile(r"(?P<count>\d+) events checked")
# The audit filter's fields (portal.filters.AuditEventFilter) as its form labels them.
_AUDIT_FILTER_LABELS = {
    "action": gettext_lazy("Action"),
    "actor": gettext_lazy("Actor"),
    "date_from": pgettext_lazy("date range", "From"),
    "date_to": pgettext_lazy("date range", "To"),
    "object_type": gettext_lazy("Object type"),
    "q": gettext_lazy("Search"),
}


def _note_export(note: str, model: type[Model] | None) -> str | None:
    # Written by portal.views.audit as "12 events; filter: action=application.submit&q=…".
    match = _EXPORT_NOTE.fullmatch(note)
    if match is None:
        return None
    count = int(match["count"])
    query = QueryDict(match["query"] if match["query"] != "-" else "")
    actions = _audit_action_labels()
    shown = []
    for key, value in query.items():
        if key in _AUDIT_FILTER_LABELS and value:
            shown.append(_labelled_pair(str(_AUDIT_FILTER_LABELS[key]), _filter_value(key, value, actions)))
    criteria = pgettext("list of labelled values", "; ").join(shown) or pgettext("audit filter", "none")
    return ngettext(
        "%(count)s event exported; filter: %(filter)s", "%(count)s events exported; filter: %(filter)s", count
    ) % {"count": count, "filter": criteria}


def _filter_value(key: str, value: str, actions: dict[str, str]) -> str:
    if key == "action":
        return str(actions.get(value, value))
    if key == "object_type":
        try:
            return str(capfirst(apps.get_model(value)._meta.verbose_name))
        except (LookupError, ValueError):
            return value
    return value


def _note_verified(note: str, model: type[Model] | None) -> str | None:
    match = _VERIFIED_NOTE.fullmatch(note)
    if match is None:
        return None
    count = int(match["count"])
    return ngettext("%(count)s event checked", "%(count)s events checked", count) % {"count": count}


# What the notes of an action hold (the apps' `audit_notes` name the kind), and how each is shown.
_NOTE_KINDS: dict[str, Callable[[str, type[Model] | None], str | None]] = {
    "field_names": _note_field_names,
    "field_values": _note_field_values,
    "field_changes": _note_field_changes,
    "named": _note_named,
    "section": _note_section,
    "export": _note_export,
    "verified": _note_verified,
}


def _note_label(kind: str | None, note: str, model: type[Model] | None) -> str:
    """The note as a person reads it; a note not written as its kind says (an older one) is shown as it is."""
    if not note or kind is None:
        return note
    return _NOTE_KINDS[kind](note, model) or note


def audit_events() -> QuerySet[AuditEvent]:
    """Every audit event, newest first, ready for a list that shows its actor and object type."""
    return AuditEvent.objects.select_related("actor", "target_type").order_by("-id")


def audit_actions() -> list[tuple[str, str]]:
    """The actions the log holds with their labels, for the list's filter: in the order the apps declare them
    (grouped by the kind of object), then any action without a label."""
    labels = _audit_action_labels()
    order = {action: index for index, action in enumerate(labels)}
    actions = sorted(_distinct_audit_values("action"), key=lambda action: (order.get(action, len(order)), action))
    return [(action, str(labels.get(action, action))) for action in actions]


def audit_target_types() -> list[ContentType]:
    """The kinds of object the log has events about, for the list's filter."""
    used = _distinct_audit_values("target_type")
    return list(ContentType.objects.filter(pk__in=used).order_by("app_label", "model"))


def _distinct_audit_values(field: str) -> list:
    """The distinct values of an indexed column of the log, one index probe per value (a loose index scan).

    A plain DISTINCT reads every event; this reads as many index entries as there are values (some fifty
    actions, a dozen kinds of object), however long the log grows.
    """
    column = connection.ops.quote_name(AuditEvent._meta.get_field(field).column)
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    sql = f"""
        WITH RECURSIVE found(value) AS (
            (SELECT {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY {column} LIMIT 1)
            UNION ALL
            SELECT (SELECT {column} FROM {table} WHERE {column} > found.value ORDER BY {column} LIMIT 1)
            FROM found WHERE found.value IS NOT NULL
        )
        SELECT value FROM found WHERE value IS NOT NULL
    """  # noqa: S608 -- identifiers from the model's own metadata, no input
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


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


def active_administrators(organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation=organisation, is_admin=True, user__is_active=True)


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
