"""The cache in Redis: shared, cleared by its own prefix only, and when Redis is gone, no cache
with a logged warning, never a 500 (softlaw/cache.py)."""

import logging
import os
import socket
import uuid

import pytest
from django.core.cache import cache

from softlaw import cache as tracker_cache
from tests.factories import make_report

# The local Redis that .ci/run starts (and `make test` too); its own run of the suite sets
# REDIS_URL to a database of its own.
LIVE_REDIS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def redis_cache(location: str, prefix: str = "") -> dict:
    return {
        "default": {
            "BACKEND": "softlaw.cache.RedisCacheOrNone",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def closed_port() -> int:
    """A port on loopback that nothing listens on: bound by the system, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_gone(settings, monkeypatch):
    """The cache points at a Redis that is not there; every outage starts afresh."""
    monkeypatch.setattr(tracker_cache, "_outage", tracker_cache._Outage())
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port()}/0")
    settings.PAGE_CACHE_SECONDS = 300
    return settings


def test_pages_are_served_without_redis_and_a_warning_is_logged(
    client, redis_gone, caplog, jpn, commitment
):
    make_report(jpn, commitment, "implemented", "2020-01-01")
    with caplog.at_level(logging.WARNING, logger="softlaw.cache"):
        first = client.get("/")
        second = client.get(f"/economies/{jpn.code}/")
    assert first.status_code == 200
    assert 'data-score="100.0"' in first.content.decode()
    assert second.status_code == 200
    warnings = [r for r in caplog.records if r.name == "softlaw.cache"]
    # One warning for the outage, not one per request: Redis is tried again after a pause.
    assert len(warnings) == 1
    assert "cannot be reached" in warnings[0].getMessage()
    assert "serving without a cache" in warnings[0].getMessage()


def test_api_throttling_without_redis_answers(client, redis_gone, jpn):
    # DRF's throttles read and write their counters in the cache on every API request.
    response = client.get("/api/v1/economies/")
    assert response.status_code == 200
    assert response.json()["results"][0]["code"] == "JPN"


def test_sign_in_without_redis(client, redis_gone, officer_jpn):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "officer_jpn", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_the_cache_without_redis_keeps_nothing(redis_gone):
    assert cache.get("answer", "missing") == "missing"
    cache.set("answer", 42)
    assert cache.get("answer") is None
    assert cache.add("answer", 42) is True  # as Django's DummyCache
    assert cache.get_many(["a", "b"]) == {}
    with pytest.raises(ValueError):
        cache.incr("answer")


def test_redis_is_tried_again_after_the_pause(redis_gone, monkeypatch, caplog):
    clock = [1000.0]
    monkeypatch.setattr(tracker_cache.time, "monotonic", lambda: clock[0])
    with caplog.at_level(logging.WARNING, logger="softlaw.cache"):
        cache.get("a")
        cache.get("b")
        clock[0] += tracker_cache.RETRY_SECONDS + 0.1
        cache.get("c")
    assert len([r for r in caplog.records if r.name == "softlaw.cache"]) == 2


def test_a_live_redis_is_shared_and_cleared_by_prefix_only(settings):
    mine, theirs = f"test-{uuid.uuid4().hex}", f"test-{uuid.uuid4().hex}"
    from django.core.cache.backends.redis import RedisCache

    other = RedisCache(LIVE_REDIS, {"KEY_PREFIX": theirs})
    settings.CACHES = redis_cache(LIVE_REDIS, mine)
    try:
        cache.set("page", b"content", 60)
        other.set("page", b"theirs", 60)
        assert cache.get("page") == b"content"
        cache.clear()
        assert cache.get("page") is None
        assert other.get("page") == b"theirs"  # another prefix in the same database is kept
    finally:
        other.delete("page")
