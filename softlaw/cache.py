"""The shared caches: Redis, and what happens when it goes away (no cache, never a 500); and,
without Redis, files on the machine's disk, shared by the app server's worker processes.

Everything kept in the cache can be rebuilt (cached public pages, API throttle counters), so
when Redis cannot be reached every read is a miss and every write is dropped, as Django's
DummyCache does, and a warning says so. The page cache then renders each page, the throttles
count nothing, and the site keeps answering. Redis is tried again after RETRY_SECONDS, so an
outage costs one failed connection per process every few seconds, not one per request.

With KEY_PREFIX set (CACHE_KEY_PREFIX), clear() deletes the keys of that prefix only, so several
sites, or several test runs, can share one Redis database.

Without Redis, gunicorn's workers share a folder (CACHE_DIR, gunicorn.conf.py): Django's file
cache, whose add() is made atomic across processes, so that the page cache's lock lets one
worker of the machine render a page per state of the data, not one per worker.
"""

import logging
import os
import re
import tempfile
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0


class _Outage:
    """When Redis was last found out of reach, shared by the threads of a process (Django
    keeps one cache object per thread)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.until = 0.0

    def is_on(self) -> bool:
        return time.monotonic() < self.until

    def begin(self, location: str, error: Exception) -> None:
        with self.lock:
            if self.is_on():
                return
            self.until = time.monotonic() + RETRY_SECONDS
        logger.warning(
            "Redis at %s cannot be reached (%s): serving without a cache, trying again in %d s.",
            location,
            error,
            RETRY_SECONDS,
        )


_outage = _Outage()


class RedisCacheOrNone(RedisCache):
    """Django's Redis cache; while Redis cannot be reached, no cache at all (DummyCache's
    answers) and a logged warning."""

    def _guarded(self, call, fallback, *args):
        if _outage.is_on():
            return fallback()
        try:
            return call(*args)
        except RedisError as error:
            _outage.begin(self._location_for_log(), error)
            return fallback()

    def _location_for_log(self) -> str:
        # The address without a password that a redis://:secret@host URL would carry.
        return ", ".join(server.rpartition("@")[2] for server in self._servers)

    def add(self, key, value, timeout=None, version=None):
        return self._guarded(super().add, lambda: True, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guarded(super().get, lambda: default, key, default, version)

    def set(self, key, value, timeout=None, version=None):
        return self._guarded(super().set, lambda: None, key, value, timeout, version)

    def touch(self, key, timeout=None, version=None):
        return self._guarded(super().touch, lambda: False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded(super().delete, lambda: False, key, version)

    def get_many(self, keys, version=None):
        return self._guarded(super().get_many, dict, keys, version)

    def has_key(self, key, version=None):
        return self._guarded(super().has_key, lambda: False, key, version)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found.")

        return self._guarded(super().incr, missing, key, delta, version)

    def set_many(self, data, timeout=None, version=None):
        return self._guarded(super().set_many, list, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guarded(super().delete_many, lambda: None, keys, version)

    def clear(self):
        if not self.key_prefix:
            return self._guarded(super().clear, lambda: False)
        return self._guarded(self._clear_prefix, lambda: False)

    def _clear_prefix(self) -> bool:
        """Delete this cache's keys only (Django's clear() empties the whole database)."""
        client = self._cache.get_client(write=True)
        pattern = re.sub(r"([*?\[\]\\])", r"\\\1", self.key_prefix) + ":*"
        batch = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) == 1000:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
        return True


class FileCache(FileBasedCache):
    """Django's file cache, with an add() that one process wins: the entry is written aside,
    then hard-linked to its name, which fails when the name is taken (Django's add() checks,
    then writes, so two processes could both take a lock)."""

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._createdir()
        name = self._key_to_file(key, version)
        descriptor, aside = tempfile.mkstemp(dir=self._dir)
        try:
            with open(descriptor, "wb") as file:
                self._write_content(file, timeout, value)
            # Twice: an expired entry under the name is deleted by has_key(), then taken.
            for _ in range(2):
                try:
                    os.link(aside, name)
                    return True
                except FileExistsError:
                    if self.has_key(key, version):
                        return False
            return False
        finally:
            os.remove(aside)
