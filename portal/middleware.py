"""Request-scoped context for the audit log."""

from collections.abc import Callable

from axes.helpers import get_client_ip_address
from django.http import HttpRequest, HttpResponse

from portal.audit import current_ip


class AuditContextMiddleware:
    """Remember the client's address for the audit events written while serving this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The same resolution as the lockout's, so both trust the same number of proxies.
        token = current_ip.set(get_client_ip_address(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
