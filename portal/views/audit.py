"""The secretariat's audit log: a filtered list, and the same filter as a CSV file for an inspection."""

from collections.abc import Iterator
from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from portal import audit, csv_export, selectors
from portal.choices import Role
from portal.filters import AuditEventFilter
from portal.models import AuditEvent
from portal.permissions import role_required
from portal.workdays import local_zone

# As every list of the portal: a page of fifty events took longer to write than to find.
PAGE_SIZE = 20


@role_required(Role.SECRETARIAT)
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    filterset = AuditEventFilter(request.GET, queryset=selectors.audit_events())
    if not filterset.is_valid():
        return render(request, "portal/audit_list.html", {"filter": filterset, "page_obj": None}, status=400)
    page_obj = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page_obj.object_list = selectors.label_events(page_obj.object_list)
    return render(request, "portal/audit_list.html", {"filter": filterset, "page_obj": page_obj})


@role_required(Role.SECRETARIAT)
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered events as CSV, oldest first so each row's prev_hash is the row before's hash; audited."""
    filterset = AuditEventFilter(request.GET, queryset=selectors.audit_events())
    if not filterset.is_valid():
        return render(request, "portal/audit_list.html", {"filter": filterset, "page_obj": None}, status=400)
    # The file holds the log as it stood when asked for: events appended while it streams are left out.
    last_id = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
    events = filterset.qs.filter(id__lte=last_id).order_by("id")
    count = events.count()
    query = request.GET.urlencode()
    audit.record(action="audit.export", actor=request.user, note=f"{count} events; filter: {query or '-'}")

    # Headers are translated now, while the request's language is active; rows are written as the file streams.
    stamp = timezone.now().astimezone(local_zone()).strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(_lines(_headers(), events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"  # confidential: no copy left in a shared cache
    return response


def _headers() -> list[str]:
    return [
        _("ID"),
        _("Time (Asia/Shanghai)"),
        _("Actor"),
        _("User name"),
        _("Action"),
        _("Object type"),
        _("Object ID"),
        _("Object"),
        pgettext("state change", "From"),
        pgettext("state change", "To"),
        _("Note"),
        _("IP address"),
        _("Previous hash"),
        _("Hash"),
    ]


def _lines(headers: list[str], events: QuerySet[AuditEvent]) -> Iterator[str]:
    return csv_export.lines(headers, (_row(event) for event in events.iterator(chunk_size=2000)))


def _row(event: AuditEvent) -> list[object]:
    target_type = event.target_type
    return [
        event.id,
        _local(event.created_at),
        event.actor_label,
        event.actor.username if event.actor else "",
        event.action,
        f"{target_type.app_label}.{target_type.model}" if target_type else "",
        event.target_id,
        event.target_label,
        event.from_state,
        event.to_state,
        event.note,
        event.ip_address or "",
        event.prev_hash,
        event.hash,
    ]


def _local(moment: datetime) -> str:
    return moment.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M:%S")
