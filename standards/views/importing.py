"""The secretariat's imports from a CSV or XLSX file, group standards and social groups, and their templates."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.views.helpers import REFUSED, bound
from standards import permissions
from standards.forms import ImportForm
from standards.importing import (
    GROUP_COLUMNS,
    STANDARD_COLUMNS,
    ImportFileError,
    ImportReport,
    import_groups,
    import_standards,
)
from standards.importing.columns import Column


@dataclass(frozen=True)
class _Import:
    """What differs between the import pages: the columns, the importer, who may use it, the template's example."""

    columns: tuple[Column, ...]
    run: Callable[..., ImportReport]
    allowed: Callable[..., bool]
    page: str
    example: dict[str, str]
    download_name: str


STANDARDS = _Import(
    columns=STANDARD_COLUMNS,
    run=import_standards,
    allowed=permissions.can_import,
    page="standards/standard_import.html",
    example={
        "number": "T/CNTAC 8—2018",
        "title_zh": "针织运动服装 吸湿速干性能要求",
        "title_en": "Knitted sportswear — Requirements for moisture absorption and quick drying",
        "group": "CNTAC",
        "status": "现行",
        "ics": "59.080.30",
        "ccs": "W64",
        "industry_class": "C1762",
        "publication_date": "2018-06-01",
        "implementation_date": "2018-07-01",
        "has_patents": "否",
        "fills_gap": "否",
        "stricter_than": "GB/T 21655.1—2008",
        "internationally_leading": "否",
    },
    download_name="group-standards-template.csv",
)

# Importing groups registers them: the same right as registering one by one.
GROUPS = _Import(
    columns=GROUP_COLUMNS,
    run=import_groups,
    allowed=permissions.can_register_group,
    page="standards/group_import.html",
    example={
        "name": "中国示例标准化协会",
        "credit_code": "51100000MJ00000015",  # fictitious, with a valid check character
        "registration_authority": "中华人民共和国民政部",
        "business_scope": "团体标准制定、技术交流、培训咨询。",
        "legal_representative": "张明",
        "supporting_unit": "中国示例研究院",
        "address": "北京市海淀区示例路 1 号",
        "postcode": "100081",
        "code": "CSAX",
        "social_group_type": "协会",
    },
    download_name="social-groups-template.csv",
)


@login_required
def standard_import(request: HttpRequest) -> HttpResponse:
    return _import_page(request, STANDARDS)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    return _template(request, STANDARDS)


@login_required
def group_import(request: HttpRequest) -> HttpResponse:
    return _import_page(request, GROUPS)


@login_required
def group_import_template(request: HttpRequest) -> HttpResponse:
    return _template(request, GROUPS)


def _import_page(request: HttpRequest, kind: _Import) -> HttpResponse:
    if not kind.allowed(request.user):
        raise PermissionDenied
    form = ImportForm(**bound(request))
    report = None
    if form.is_bound and form.is_valid():
        upload, dry_run = form.cleaned_data["file"], form.cleaned_data["dry_run"]
        try:
            report = kind.run(upload.read(), filename=upload.name, by=request.user, dry_run=dry_run)
        except ImportFileError as error:
            form.add_error("file", str(error))
    status = REFUSED if form.errors or (report and not report.ok) else 200
    context = {"form": form, "report": report, "columns": kind.columns}
    return render(request, kind.page, context, status=status)


def _template(request: HttpRequest, kind: _Import) -> HttpResponse:
    """A CSV with every column's Chinese header and one example row, in UTF-8 with a BOM so Excel reads it."""
    if not kind.allowed(request.user):
        raise PermissionDenied
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.chinese for column in kind.columns])
    writer.writerow([kind.example.get(column.key, "") for column in kind.columns])
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind.download_name}"'
    return response
