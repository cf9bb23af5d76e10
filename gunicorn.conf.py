"""gunicorn's settings, read by gunicorn when it is started from the project's folder (its
default, ./gunicorn.conf.py), whatever the command line says: times each request's wait in the
threaded worker's queue, so that a request that waited too long is refused at once
(softlaw/overload.py, REQUEST_QUEUE_TIMEOUT)."""


def post_worker_init(worker):
    from softlaw.overload import time_the_queue

    time_the_queue(worker)
