"""The secretariat's import of group standards from a CSV or XLSX file, and its template."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.views.helpers import REFUSED, bound
from standards import permissions
from standards.forms import ImportForm
from standards.importing import COLUMNS, ImportFileError, import_standards

TEMPLATE_EXAMPLE = {
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
}


def _require_import_right(request: HttpRequest) -> None:
    if not permissions.can_import(request.user):
        raise PermissionDenied


@login_required
def standard_import(request: HttpRequest) -> HttpResponse:
    _require_import_right(request)
    form = ImportForm(**bound(request))
    report = None
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = import_standards(
                upload.read(), filename=upload.name, by=request.user, dry_run=form.cleaned_data["dry_run"]
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
    status = REFUSED if form.errors or (report and not report.ok) else 200
    context = {"form": form, "report": report, "columns": COLUMNS}
    return render(request, "standards/standard_import.html", context, status=status)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    """A CSV with every column's Chinese header and one example row, in UTF-8 with a BOM so Excel reads it."""
    _require_import_right(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.chinese for column in COLUMNS])
    writer.writerow([TEMPLATE_EXAMPLE.get(column.key, "") for column in COLUMNS])
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="group-standards-template.csv"'
    return response
