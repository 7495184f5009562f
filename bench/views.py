"""The reference page: what a Django page costs here with one indexed query and a tiny template."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from portal.models import Organisation


def reference(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.only("name"), pk=pk)  # the primary key's index
    return render(request, "bench/reference.html", {"organisation": organisation})
