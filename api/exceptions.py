"""Every refusal of the API as JSON: `{"detail": "<message>"}`, with `errors` by parameter for an invalid query.

The messages are translated (Chinese first, English second); the field names are English identifiers.
"""

import math

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler

from api.throttling import throttled_message


def not_found() -> exceptions.NotFound:
    return exceptions.NotFound(_("Nothing public has this address: check the id."))


def handler(exc: Exception, context: dict):
    """DRF's handler, with the portal's messages and one shape of body for every 4xx."""
    if isinstance(exc, Http404):
        exc = not_found()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, exceptions.Throttled):
        # DRF would append its own sentence about the wait; the message says it already.
        wait = exc.wait
        exc = exceptions.Throttled(detail=throttled_message(wait))
        exc.wait = math.ceil(wait) if wait is not None else None
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "detail": _("The query is not valid: see the errors given for each parameter."),
            "errors": response.data if isinstance(response.data, dict) else {"query": response.data},
        }
    return response
