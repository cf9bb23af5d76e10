"""Without Redis, gunicorn's workers share a cache in files (softlaw.cache.FileCache): one
process wins an add(), as the page cache's render lock needs, and the settings and gunicorn's
own file name the folder."""

import multiprocessing
import os
import runpy
import time

import pytest
from django.conf import settings as django_settings

from softlaw.cache import FileCache
from tests.tracker.test_settings import start_django


def take_the_lock(folder: str, start, results, key: str) -> None:
    cache = FileCache(folder, {})
    start.wait(30)
    results.put(cache.add(key, os.getpid(), 60))


def test_one_process_of_many_wins_an_add(tmp_path):
    context = multiprocessing.get_context("fork")
    start = context.Barrier(8)
    results = context.Queue()
    processes = [
        context.Process(target=take_the_lock, args=(str(tmp_path), start, results, "render-lock"))
        for _ in range(8)
    ]
    for process in processes:
        process.start()
    won = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(30)
    assert won.count(True) == 1
    cache = FileCache(str(tmp_path), {})
    assert cache.get("render-lock") is not None
    assert not [name for name in os.listdir(tmp_path) if not name.endswith(".djcache")]


def test_an_add_keeps_a_live_entry_and_takes_an_expired_one(tmp_path, monkeypatch):
    cache = FileCache(str(tmp_path), {})
    assert cache.add("lock", "first", 60)
    assert not cache.add("lock", "second", 60)
    assert cache.get("lock") == "first"
    assert cache.add("expired", "old", 60)
    now = time.time()
    monkeypatch.setattr("django.core.cache.backends.filebased.time.time", lambda: now + 120)
    assert cache.add("expired", "new", 60)
    assert cache.get("expired") == "new"
    cache.delete("lock")
    assert cache.add("lock", "again", 60)


def gunicorn_settings(monkeypatch, **env) -> str | None:
    """CACHE_DIR once gunicorn has read its file, in an environment of `env` (and the test's
    own environment back as it was afterwards)."""
    for name in ("REDIS_URL", "CACHE_DIR"):
        monkeypatch.setenv(name, "placeholder")
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    runpy.run_path(str(django_settings.BASE_DIR / "gunicorn.conf.py"))
    return os.environ.get("CACHE_DIR")


def test_gunicorn_shares_a_folder_between_its_workers_without_redis(monkeypatch):
    assert gunicorn_settings(monkeypatch) == str(django_settings.BASE_DIR / "var" / "cache")
    assert gunicorn_settings(monkeypatch, CACHE_DIR="/srv/cache") == "/srv/cache"
    assert gunicorn_settings(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0") is None


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({"CACHE_DIR": "/tmp/softlaw-cache"}, "softlaw.cache.FileCache"),
        (
            {"REDIS_URL": "redis://127.0.0.1:6379/0", "CACHE_DIR": "/x"},
            "softlaw.cache.RedisCacheOrNone",
        ),
        ({}, "django.core.cache.backends.locmem.LocMemCache"),
    ],
)
def test_the_settings_pick_the_cache_from_the_environment(env, backend):
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = start_django(code, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == backend
