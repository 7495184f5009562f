"""The statistics pages: the public one with its charts and their CSV files, and the secretariat's per call."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal import csv_export
from portal.choices import Province, Role
from portal.permissions import is_secretariat, role_required
from portal.public_cache import public_page
from projects.models import Call
from reports import charts, selectors

secretariat_only = role_required(Role.SECRETARIAT)


@require_safe
@public_page("register")
def statistics(request: HttpRequest) -> HttpResponse:
    figures = selectors.register_figures()
    secretariat = request.user.is_authenticated and is_secretariat(request.user)
    context = {
        "total": figures.total,
        "charts": charts.charts(figures),
        "calls": list(selectors.calls_for_secretariat()) if secretariat else None,
    }
    return render(request, "reports/statistics.html", context)


@require_safe
@public_page("register")
def statistics_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """One chart's table as CSV for Excel (UTF-8 with a byte-order mark; portal.csv_export)."""
    build = charts.CHARTS.get(slug)
    if build is None:
        raise Http404
    chart = build(selectors.register_figures())
    content = "".join(csv_export.lines([chart.label_header, chart.value_header], chart.rows))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistics-{chart.slug}.csv"'
    return response


def stage_labels() -> dict[str, str]:
    return {
        "submitted": _("Submitted"),
        "recommended": _("Recommended"),
        "admitted": _("Admitted to review"),
        "reviewed": _("Reviewed"),
        "shortlisted": _("Shortlisted"),
        "announced": _("Announced"),
    }


@require_safe
@secretariat_only
def call_statistics(request: HttpRequest, pk: int) -> HttpResponse:
    """A call's funnel (per province and recommender), its experts' review progress and its objections."""
    call = get_object_or_404(Call, pk=pk)
    figures = selectors.call_figures(call)
    funnel = figures.funnel
    provinces = {key: str(label) for key, label in Province.choices}
    for row in funnel.by_province:
        row.name = charts.label_of(row.key, provinces)
    for row in funnel.by_recommender:
        row.name = row.name or _("None: applied directly (a ministry-managed social group)")
    labels = stage_labels()
    context = {
        "call": call,
        "stages": list(labels.values()),
        "funnel": funnel,
        "overall": list(zip(labels.values(), funnel.total.stages, strict=True)),
        "chart": {
            "title": _("Applications reaching each stage"),
            "kind": "funnel",
            "series": _("Applications"),
            "labels": list(labels.values()),
            "values": funnel.total.stages,
        },
        "experts": figures.experts,
        "objections": figures.objections,
    }
    return render(request, "reports/call_statistics.html", context)
