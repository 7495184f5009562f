"""The secretariat's import pages, one shape for every import: upload a CSV or XLSX file, optionally only check
it, read the per-row report (all or nothing); and the template to fill in (standards, social groups, experts,
earlier programmes' lists). Each app describes its import with an `ImportPage`; who may use it is checked by
the view's own decorator or by `allowed`."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.views.helpers import REFUSED, bound
from standards.forms import ImportForm
from standards.importing import ImportFileError
from standards.importing.columns import Column


@dataclass(frozen=True)
class ImportPage:
    """What differs between the import pages: the columns, the importer, the page, the template's example."""

    columns: tuple[Column, ...]
    run: Callable
    page: str
    example: dict[str, str]
    download_name: str
    allowed: Callable[..., bool] = lambda user: True
    form: type[forms.Form] = ImportForm


def import_page(request: HttpRequest, kind: ImportPage) -> HttpResponse:
    """Upload a file; with "only check" it is a preview (the report, nothing saved); without, the import."""
    if not kind.allowed(request.user):
        raise PermissionDenied
    form = kind.form(**bound(request))
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


def import_template(request: HttpRequest, kind: ImportPage) -> HttpResponse:
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
