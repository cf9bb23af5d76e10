"""Bounded waiting: a request that waited in line longer than REQUEST_QUEUE_TIMEOUT seconds
before a worker thread started on it is answered at once with 503 and Retry-After, instead of
being served so late that its visitor has given up (or the load balancer has answered 504 for
it, while the work goes on).

How long it waited is measured from the earliest of two stamps:

- X-Request-Start, set by the proxy or load balancer in front (nginx: `proxy_set_header
  X-Request-Start "t=${msec}";`), in seconds, milliseconds or microseconds since the epoch, with
  or without "t=". It counts the time spent in the proxy's and the socket's queues too.
- the time gunicorn's threaded worker put the request in line for its threads (the worker keeps
  an unbounded queue of its own, where requests wait when every thread is busy): gunicorn.conf.py
  installs time_the_queue(), which stamps it into the WSGI environ (QUEUED_AT).

A refused request reaches no view, so a refused write has written nothing and its client is told
(503), never left to guess. Refusal happens below the page cache: a page already cached is cheap
to send and is sent, however long its request waited. The health check is never refused: it
says whether the database answers, and an overloaded server that all its balancer's checks
call dead would send its load to the others at the worst moment.
"""

import logging
import math
import threading
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

QUEUED_AT = "softlaw.queued_at"
BUSY = "The site is too busy to answer in time; please try again in a few seconds."
NEVER_REFUSED = ("/healthz",)


def request_start(value: str) -> float | None:
    """The time (seconds since the epoch) in an X-Request-Start header, or None when it says
    none: "t=1700000000.123" (nginx), "1700000000123" (milliseconds), "t=1700000000123456"
    (microseconds)."""
    raw = value.strip().removeprefix("t=")
    try:
        stamp = float(raw)
    except ValueError:
        return None
    if not math.isfinite(stamp) or stamp <= 0:
        return None
    if stamp > 1e14:
        return stamp / 1e6
    if stamp > 1e11:
        return stamp / 1e3
    return stamp


def _now() -> float:
    return time.time()


def seconds_waited(request: HttpRequest) -> float | None:
    """How long the request waited before this worker started on it, by the earliest stamp
    it carries; None when it carries none."""
    stamps = [request_start(request.headers.get("X-Request-Start", ""))]
    stamps.append(request.META.get(QUEUED_AT))
    stamps = [stamp for stamp in stamps if stamp is not None]
    if not stamps:
        return None
    return max(0.0, _now() - min(stamps))


def busy_response(request: HttpRequest) -> HttpResponse:
    """The 503 of a request refused for having waited too long."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": BUSY}, status=503)
    else:
        response = HttpResponse(BUSY, status=503, content_type="text/plain")
    response["Retry-After"] = str(max(1, math.ceil(settings.REQUEST_QUEUE_TIMEOUT)))
    response["Cache-Control"] = "no-store"
    return response


def refusal(request: HttpRequest) -> HttpResponse | None:
    """The 503 for a request that waited more than REQUEST_QUEUE_TIMEOUT seconds (0: never),
    None for one that may go on. Asked by the middleware below, and by the page cache before a
    request takes the lock to render a page that others may wait for."""
    limit = settings.REQUEST_QUEUE_TIMEOUT
    if limit <= 0 or request.path in NEVER_REFUSED:
        return None
    waited = seconds_waited(request)
    if waited is None or waited <= limit:
        return None
    logger.info("refused after waiting %.1f s: %s %s", waited, request.method, request.path)
    return busy_response(request)


class QueueTimeoutMiddleware:
    """503 + Retry-After at once for a request that waited too long (refusal())."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = refusal(request)
        return refused if refused is not None else self.get_response(request)


# --- gunicorn's threaded worker -----------------------------------------------------------------

_current = threading.local()


def time_the_queue(worker) -> None:
    """Stamp, in the WSGI environ of each request (QUEUED_AT), when gunicorn's threaded worker
    put it in line for its threads: when it accepted the connection, or when a kept-alive
    connection brought its next request. Called from gunicorn.conf.py's post_worker_init hook,
    after the worker has loaded the application and before it accepts anything; other worker
    classes are left as they are (a proxy's X-Request-Start still counts)."""
    from gunicorn.workers.gthread import ThreadWorker

    if not isinstance(worker, ThreadWorker):
        return
    enqueue, handle, application = worker.enqueue_req, worker.handle, worker.wsgi

    def enqueue_req(conn):
        conn.softlaw_queued_at = time.time()
        enqueue(conn)

    def handle_conn(conn):
        # In the worker thread: the request it reads next is the one that waited.
        _current.queued_at = getattr(conn, "softlaw_queued_at", None)
        try:
            return handle(conn)
        finally:
            _current.queued_at = None

    def stamped(environ, start_response):
        queued_at = getattr(_current, "queued_at", None)
        # Once: a connection that carries several requests (HTTP/2) queued once.
        _current.queued_at = None
        if queued_at is not None:
            environ[QUEUED_AT] = queued_at
        return application(environ, start_response)

    worker.enqueue_req, worker.handle, worker.wsgi = enqueue_req, handle_conn, stamped
