"""Objections: filing one on an open notice (the public), tracking it, handling it (the secretariat)."""

from django.http import Http404, HttpRequest, HttpResponse


def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    # Replaced by the objection form in this work; until then no notice takes objections.
    raise Http404
