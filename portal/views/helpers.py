"""What every view does the same way: fetch with the right check, bind a form, show a refusal, paginate."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

PAGE_SIZE = 20
# A re-shown form after a refusal: the page says what to fix, and the status says it was refused.
REFUSED = 400

Predicate = Callable[[object, Model], bool]
M = TypeVar("M", bound=Model)


def fetch(
    queryset: QuerySet[M], *, user, can_see: Predicate | None = None, can_act: Predicate | None = None, **lookup
) -> M:
    """The object, or 404 when it does not exist or the user may not see it, or 403 when they may not act."""
    obj = get_object_or_404(queryset, **lookup)
    if can_see is not None and not can_see(user, obj):
        raise Http404
    if can_act is not None and not can_act(user, obj):
        raise PermissionDenied
    return obj


def key_or_none(text: str | None) -> int | None:
    """A primary key typed into a query parameter, or None when it could be no row's (ASCII digits, 64 bits):
    `str.isdigit()` alone takes "²", which int() then refuses."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    key = int(text)
    return key if key < 2**63 else None


def paginate(request: HttpRequest, queryset: QuerySet) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def bound(request: HttpRequest) -> dict:
    """Form arguments: the submitted data and files on a POST, nothing (an unbound form) otherwise."""
    return {"data": request.POST, "files": request.FILES} if request.method == "POST" else {}


def form_status(request: HttpRequest) -> int:
    # A form page reached after a POST is one the form or the service refused.
    return REFUSED if request.method == "POST" else 200


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: beside its field when the form has one, else at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)
