"""gunicorn's settings, read by gunicorn when it is started from the project's folder (its
default, ./gunicorn.conf.py), whatever the command line says:

- times each request's wait in the threaded worker's queue, so that a request that waited too
  long is refused at once (softlaw/overload.py, REQUEST_QUEUE_TIMEOUT);
- without Redis (REDIS_URL), the workers share a cache in files (CACHE_DIR, var/cache unless
  set), so that a page is rendered once per state of the data, not once in each worker.
"""

import os
from pathlib import Path

if not os.environ.get("REDIS_URL"):
    os.environ.setdefault("CACHE_DIR", str(Path(__file__).resolve().parent / "var" / "cache"))


def post_worker_init(worker):
    from softlaw.overload import time_the_queue

    time_the_queue(worker)
