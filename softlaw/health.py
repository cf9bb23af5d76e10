"""Health of the running site, for load balancers and monitoring, and a clear 503 while the
database is out of reach (a restart, a fail-over) instead of a 500."""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

UNAVAILABLE = "The database is out of reach for a moment; please try again in a few seconds."


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers a query, 503 when it does not. Reads no table, so it stays
    cheap enough for a load balancer to call every few seconds."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("healthz: database unreachable: %s", error)
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class DatabaseUnavailableMiddleware:
    """A request that fails because the database cannot be reached gets 503 with Retry-After,
    JSON under /api/ and text elsewhere, so clients and the load balancer know to retry. Other
    database errors are bugs and stay 500s."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        return unavailable_response(request, exception)


def unavailable_response(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 503 of a request that found the database out of reach."""
    logger.warning("database unreachable: %s %s: %s", request.method, request.path, exception)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": UNAVAILABLE}, status=503)
    else:
        response = HttpResponse(UNAVAILABLE, status=503, content_type="text/plain")
    response["Retry-After"] = "5"
    response["Cache-Control"] = "no-store"
    return response
