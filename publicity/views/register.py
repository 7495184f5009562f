"""The public register of announced projects (/projects/): the list, its CSV export and feed, a project's page;
the secretariat's import of earlier programmes' lists and its template."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal import csv_export
from portal.choices import Province, Role
from portal.permissions import is_secretariat, role_required
from portal.public_cache import public_page
from portal.views.helpers import fetch
from portal.views.imports import ImportPage, import_page, import_template
from projects.models import IndustryField
from publicity import feeds
from publicity.forms.register import RegisterImportForm
from publicity.importing import REGISTER_COLUMNS, import_register
from publicity.selectors import register as selectors

PAGE_SIZE = 50
secretariat_only = role_required(Role.SECRETARIAT)

IMPORT_EXAMPLE = {
    "year": "2019",
    "announcement": "工信部科函〔2019〕321号",
    "standard_number": "T/CAS 115—2018",
    "title": "示例产品技术规范",
    "group": "中国标准化协会",
    "recommender": "",
    "province": "北京",
    "industry_field": "装备制造",
    "types": "创新性、先进性",
}


@require_safe
@public_page("register")
def project_list(request: HttpRequest) -> HttpResponse:
    search = selectors.project_search(params=request.GET)
    context = {
        "filter": search,
        "page_obj": Paginator(search.qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_import": request.user.is_authenticated and is_secretariat(request.user),
    }
    template = "publicity/project_list.html"
    # htmx live search swaps only the results, so the field being typed in keeps its focus.
    return render(request, f"{template}#results" if request.htmx else template, context)


@require_safe
def project_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered register as CSV for Excel, streamed row by row (formulas defused by portal.csv_export)."""
    search = selectors.project_search(params=request.GET)
    # Words are looked up now, while the request's language is active; the rows are written as the file streams.
    provinces, fields = dict(Province.choices), dict(IndustryField.choices)
    provinces = {key: str(label) for key, label in provinces.items()}
    fields = {key: str(label) for key, label in fields.items()}
    types = [_("Innovative"), _("Advanced"), _("International")]
    headers = [
        _("Year"),
        _("Announcement"),
        _("Number in the list"),
        _("Project"),
        _("Standard number"),
        _("Standard title"),
        _("Social group"),
        _("Recommender"),
        _("Province"),
        _("Industry field"),
        _("Types"),
    ]
    rows = (
        [
            project.year,
            project.announcement.number,
            project.position,
            project.name,
            project.standard_number,
            project.standard_title,
            project.group_name,
            project.recommender_name,
            provinces.get(project.province, ""),
            fields.get(project.industry_field, ""),
            "、".join(
                word
                for word, claimed in zip(
                    types, (project.innovative, project.advanced, project.international), strict=True
                )
                if claimed
            ),
        ]
        for project in search.qs.iterator(chunk_size=2000)
    )
    response = StreamingHttpResponse(csv_export.lines(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="demonstration-projects.csv"'
    return response


# The feed's page is shared like the others: it changes when a notice opens or an announcement is published.
project_feed = require_safe(public_page("notices", "register")(feeds.PublicityFeed()))


@require_safe
@public_page("register")
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = fetch(selectors.project_for_page(), pk=pk, user=request.user)
    group_page = getattr(project.group, "standards_profile", None) if project.group_id else None
    context = {"project": project, "group_page": group_page}
    return render(request, "publicity/project_detail.html", context)


REGISTER_IMPORT = ImportPage(
    columns=REGISTER_COLUMNS,
    run=import_register,
    page="publicity/register/import.html",
    example=IMPORT_EXAMPLE,
    download_name="announced-projects-template.csv",
    form=RegisterImportForm,
)


@secretariat_only
def register_import(request: HttpRequest) -> HttpResponse:
    return import_page(request, REGISTER_IMPORT)


@require_safe
@secretariat_only
def register_import_template(request: HttpRequest) -> HttpResponse:
    return import_template(request, REGISTER_IMPORT)
