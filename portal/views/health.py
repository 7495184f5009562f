"""`/healthz`: whether this process can reach its database and its broker, for load balancers and monitors."""

import logging

from celery import Celery
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from portal.celery import app as celery_app

logger = logging.getLogger(__name__)

# Seconds allowed for each dependency: a monitor must get an answer, not a hung request.
TIMEOUT = 2.0


def database_ok(db: BaseDatabaseWrapper) -> bool:
    """Whether `SELECT 1` runs on the given connection."""
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        # Any failure means "unavailable": the check must answer, never raise. One line, no traceback:
        # monitors poll often.
        logger.warning("health check: database %s unreachable: %s", db.alias, exc)
        return False
    return True


def broker_ok(app: Celery, timeout: float = TIMEOUT) -> bool:
    """Whether a connection to the app's broker opens (Redis or kombu's filesystem transport)."""
    socket_timeouts = {"socket_connect_timeout": timeout, "socket_timeout": timeout}
    try:
        with app.connection_for_write(connect_timeout=timeout, transport_options=socket_timeouts) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
    except Exception as exc:
        logger.warning("health check: broker unreachable: %s", exc)
        return False
    return True


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": "ok" if database_ok(connection) else "error",
        "broker": "ok" if broker_ok(celery_app) else "error",
    }
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if healthy else "unavailable", **checks}
    return JsonResponse(body, status=200 if healthy else 503)
