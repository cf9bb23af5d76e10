"""Bounded waiting (softlaw/overload.py): a request that waited in line longer than
REQUEST_QUEUE_TIMEOUT gets 503 with Retry-After at once and reaches no view, so a refused write
has written nothing; the wait is read from the proxy's X-Request-Start or gunicorn's own stamp.

The clock the middleware reads is fixed by each test: nothing here depends on how fast it runs.
"""

import runpy
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings

from softlaw import overload
from tests.factories import make_report

NOW = 1_700_000_100.0


@pytest.fixture
def clock(monkeypatch, settings):
    settings.REQUEST_QUEUE_TIMEOUT = 2.0
    monkeypatch.setattr(overload, "_now", lambda: NOW)


def waited(seconds: float) -> dict:
    return {"HTTP_X_REQUEST_START": f"t={NOW - seconds:.3f}"}


@pytest.mark.parametrize(
    "header, expected",
    [
        ("t=1700000000.123", 1700000000.123),  # nginx: seconds, with milliseconds
        ("1700000000123", 1700000000.123),  # milliseconds
        ("t=1700000000123456", 1700000000.123456),  # microseconds
        ("", None),
        ("t=soon", None),
        ("t=-5", None),
        ("nan", None),
    ],
)
def test_request_start_reads_seconds_milliseconds_and_microseconds(header, expected):
    found = overload.request_start(header)
    assert found == pytest.approx(expected) if expected else found is None


def test_a_request_that_waited_too_long_gets_503_at_once(client, clock, db):
    response = client.get("/methodology/", **waited(2.5))
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response["Cache-Control"] == "no-store"
    assert "too busy" in response.content.decode()
    assert client.get("/methodology/", **waited(1.5)).status_code == 200


def test_an_api_request_refused_gets_json(client, clock, db):
    response = client.get("/api/v1/economies/", **waited(10))
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "too busy" in response.json()["detail"]


def test_gunicorns_own_stamp_counts_too(client, clock, db):
    assert client.get("/methodology/", **{overload.QUEUED_AT: NOW - 3}).status_code == 503
    assert client.get("/methodology/", **{overload.QUEUED_AT: NOW - 1}).status_code == 200
    # The earlier of the two stamps: a proxy's clock ahead of ours hides no wait.
    both = {overload.QUEUED_AT: NOW - 3, "HTTP_X_REQUEST_START": f"t={NOW + 60}"}
    assert client.get("/methodology/", **both).status_code == 503


def test_no_stamp_or_no_limit_refuses_nothing(client, clock, settings, db):
    assert client.get("/methodology/").status_code == 200
    settings.REQUEST_QUEUE_TIMEOUT = 0
    assert client.get("/methodology/", **waited(3600)).status_code == 200


def test_the_health_check_is_never_refused(client, clock, db):
    response = client.get("/healthz", **waited(60))
    assert response.status_code == 200


def test_a_refused_publish_writes_nothing(clock, reviewer, jpn, commitment):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from tracker.models import ReviewState

    report = make_report(jpn, commitment, "implemented", "2023-01-01", published=False)
    report.review_state = ReviewState.SUBMITTED
    report.save()
    version = report.version
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reviewer).key}")
    address = f"/api/v1/reports/{report.pk}/publish/"
    refused = api.post(address, {}, format="json", **waited(5))
    assert refused.status_code == 503
    assert refused["Retry-After"] == "2"
    report.refresh_from_db()
    assert report.review_state == ReviewState.SUBMITTED
    assert report.version == version
    assert api.post(address, {}, format="json").status_code == 200
    report.refresh_from_db()
    assert report.review_state == ReviewState.PUBLISHED


def test_a_cached_page_is_sent_however_long_its_request_waited(client, clock, settings, db):
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    try:
        first = client.get("/methodology/")
        again = client.get("/methodology/", **waited(30))
        assert again.status_code == 200
        assert again.content == first.content
    finally:
        cache.clear()


def test_the_gunicorn_hook_stamps_when_a_request_was_put_in_line(monkeypatch):
    from gunicorn.workers.gthread import ThreadWorker

    monkeypatch.setenv("CACHE_DIR", "unused")  # gunicorn's file names one when it is not set

    class Worker(ThreadWorker):
        def __init__(self):  # no arbiter, sockets or threads: only the three methods
            self.queued = []

    worker = Worker()
    environs = []
    worker.wsgi = lambda environ, start_response: environs.append(environ) or [b""]
    worker.enqueue_req = worker.queued.append
    # As gthread's handle(): reads the request, then calls the application.
    worker.handle = lambda conn: worker.wsgi({}, None)
    hook = runpy.run_path(str(django_settings.BASE_DIR / "gunicorn.conf.py"))["post_worker_init"]
    hook(worker)
    conn = SimpleNamespace()
    worker.enqueue_req(conn)
    assert worker.queued == [conn]
    worker.handle(conn)
    assert environs[0][overload.QUEUED_AT] == conn.softlaw_queued_at
    # Called again outside handle() (another request on the connection): no stale stamp.
    worker.wsgi({}, None)
    assert overload.QUEUED_AT not in environs[1]


def test_a_late_request_takes_no_render_lock(client, clock, settings, monkeypatch, db):
    # Refused before the lock: the requests waiting for that page would wait for nothing.
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    taken = []
    add = cache.add

    def spy(key, *args, **kwargs):
        taken.append(key)
        return add(key, *args, **kwargs)

    monkeypatch.setattr(cache, "add", spy)
    try:
        assert client.get("/methodology/", **waited(3)).status_code == 503
        assert not taken
        assert client.get("/methodology/", **waited(1)).status_code == 200
        assert len(taken) == 1 and taken[0].endswith(":lock")
    finally:
        cache.clear()
