"""One render per page per state of the data: requests that miss the same cached page at the
same moment wait for one render of it, and a request that saw a newer state never gets the page
of an older one (softlaw/page_cache.py), in local memory, in Redis and in files alike.

No test here waits on a clock: a render is held until the test has seen the other requests
waiting (page_cache._pause), and the waiting's deadline runs on a clock the test moves.
"""

import os
import threading
import uuid

import pytest
from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from softlaw import changes, page_cache
from softlaw.pages import public_page
from tests.tracker.test_cache_redis import LIVE_REDIS, redis_cache

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db(transaction=True)]

# Long enough never to run out on a busy machine: the tests release every render themselves.
GENEROUS = 120


class Renders:
    """What the test page did: how many renders, and the first one held until released."""

    def __init__(self):
        self.lock = threading.Lock()
        self.count = 0
        self.hold_first = False
        self.first_started = threading.Event()
        self.release_first = threading.Event()
        self.status = 200

    def render(self) -> tuple[int, int]:
        with self.lock:
            self.count += 1
            number = self.count
        version = changes.page_version()
        if number == 1 and self.hold_first:
            self.first_started.set()
            assert self.release_first.wait(GENEROUS)
        return number, version


renders = Renders()


@public_page
def counted_page(request):
    number, version = renders.render()
    return HttpResponse(f"render {number} of version {version}", status=renders.status)


urlpatterns = [path("counted/", counted_page)]


class Waiting:
    """Which threads are waiting for another's render (page_cache._pause), for the test to
    wait on; each pause moves the waiting's own clock by `step` seconds."""

    def __init__(self, step: float = 0.0):
        self.condition = threading.Condition()
        self.threads: set[int] = set()
        self.now = 0.0
        self.step = step

    def pause(self):
        with self.condition:
            self.threads.add(threading.get_ident())
            self.now += self.step
            self.condition.notify_all()
        threading.Event().wait(0.001)  # yield to the render being waited for

    def until(self, count: int):
        with self.condition:
            assert self.condition.wait_for(lambda: len(self.threads) >= count, GENEROUS)


@pytest.fixture(params=["locmem", "redis", "files"])
def shared_cache(request, settings, monkeypatch, tmp_path):
    global renders
    renders = Renders()
    if request.param == "redis":
        prefix = f"{os.environ.get('CACHE_KEY_PREFIX') or 'test'}-{uuid.uuid4().hex}"
        settings.CACHES = redis_cache(LIVE_REDIS, prefix)
    elif request.param == "files":
        settings.CACHES = {"default": {"BACKEND": "softlaw.cache.FileCache", "LOCATION": tmp_path}}
    else:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAGE_CACHE_LOCK_SECONDS = GENEROUS
    waiting = Waiting()
    monkeypatch.setattr(page_cache, "_pause", waiting.pause)
    cache.clear()
    yield waiting
    cache.clear()


def visit(answers: dict, name: str, address: str = "/counted/"):
    """One visitor in a thread of its own, with its own database connection."""
    try:
        answers[name] = Client().get(address).content.decode()
    finally:
        connections.close_all()


def start(answers: dict, name: str, address: str = "/counted/") -> threading.Thread:
    thread = threading.Thread(target=visit, args=(answers, name, address))
    thread.start()
    return thread


def test_concurrent_misses_render_the_page_once(shared_cache):
    renders.hold_first = True
    version = changes.page_version()
    answers = {}
    first = start(answers, "first")
    assert renders.first_started.wait(GENEROUS)
    others = [start(answers, f"other {n}") for n in range(5)]
    shared_cache.until(5)  # all five wait for the first render, none renders
    renders.release_first.set()
    for thread in [first, *others]:
        thread.join(GENEROUS)
    assert renders.count == 1
    assert set(answers.values()) == {f"render 1 of version {version}"}
    assert len(answers) == 6


def test_a_publish_in_the_middle_is_never_answered_with_the_older_page(shared_cache):
    renders.hold_first = True
    before = changes.page_version()
    answers = {}
    first = start(answers, "first")
    assert renders.first_started.wait(GENEROUS)
    same_moment = start(answers, "same moment")
    shared_cache.until(1)  # it saw the version before the publish, and waits for that render
    changes.data_changed()  # a publish commits (outside a transaction: at once)
    after = changes.page_version()
    assert after > before
    # Asked after the publish while the older render is still going: it waits for that render
    # to end (one render of a page at a time), is not given it, and renders the new state.
    late = start(answers, "after")
    shared_cache.until(2)
    assert renders.count == 1
    renders.release_first.set()
    for thread in (first, same_moment, late):
        thread.join(GENEROUS)
    assert answers["first"] == f"render 1 of version {before}"
    assert answers["after"] == f"render 2 of version {after}"
    # The request of the same moment gets the page it waited for, or a newer one.
    assert answers["same moment"] in {answers["first"], answers["after"]}
    start(answers, "later").join(GENEROUS)
    assert answers["later"] == f"render 2 of version {after}"
    assert renders.count == 2


def test_a_run_of_publishes_costs_one_render_more_not_one_each(shared_cache):
    # Three publishes while a render is under way, each followed by a request: the three wait,
    # and the one of them that renders names the state as it is then, which serves them all.
    renders.hold_first = True
    before = changes.page_version()
    answers = {}
    first = start(answers, "first")
    assert renders.first_started.wait(GENEROUS)
    waiting = []
    for n in range(3):
        changes.data_changed()
        waiting.append(start(answers, f"after publish {n}"))
        shared_cache.until(n + 1)
    newest = changes.page_version()
    assert newest > before
    renders.release_first.set()
    for thread in (first, *waiting):
        thread.join(GENEROUS)
    assert answers["first"] == f"render 1 of version {before}"
    assert {answers[f"after publish {n}"] for n in range(3)} == {f"render 2 of version {newest}"}
    assert renders.count == 2


def test_a_render_that_stores_nothing_lets_the_waiting_render_themselves(shared_cache):
    renders.hold_first = True
    renders.status = 400  # a bad request is never cached
    answers = {}
    first = start(answers, "first")
    assert renders.first_started.wait(GENEROUS)
    other = start(answers, "other")
    shared_cache.until(1)
    renders.release_first.set()
    first.join(GENEROUS)
    other.join(GENEROUS)
    assert renders.count == 2
    assert answers["other"].startswith("render 2")


def test_the_waiting_renders_itself_after_the_lock_time(shared_cache, settings, monkeypatch):
    # The render being waited for never ends (it is held to the end of the test); each look
    # at the cache moves the waiting's clock by half of the longest wait.
    settings.PAGE_CACHE_LOCK_SECONDS = 1
    shared_cache.step = 0.5
    monkeypatch.setattr(page_cache, "_clock", lambda: shared_cache.now)
    renders.hold_first = True
    answers = {}
    first = start(answers, "first")
    assert renders.first_started.wait(GENEROUS)
    start(answers, "impatient").join(GENEROUS)
    assert answers["impatient"].startswith("render 2")
    renders.release_first.set()
    first.join(GENEROUS)
    assert renders.count == 2


def test_a_worker_renders_a_few_pages_at_a_time(shared_cache, settings, monkeypatch):
    # One render at a time: a second page asked for while the first renders waits its turn,
    # PAGE_RENDER_TURN_SECONDS at most (here the first never ends in time), then renders all
    # the same; once the first is done, the next page gets the turn.
    settings.PAGE_RENDERS_AT_ONCE = 1
    settings.PAGE_RENDER_TURN_SECONDS = 0.01
    turns = page_cache._Turns()
    monkeypatch.setattr(page_cache, "_turns", turns)
    taken = []
    take = turns.take
    monkeypatch.setattr(turns, "take", lambda: taken.append(take()) or taken[-1])
    renders.hold_first = True
    answers = {}
    first = start(answers, "first")
    assert renders.first_started.wait(GENEROUS)
    start(answers, "other page", "/counted/?other=1").join(GENEROUS)
    assert taken == [True, False]
    assert answers["other page"].startswith("render 2")
    renders.release_first.set()
    first.join(GENEROUS)
    start(answers, "third page", "/counted/?third=1").join(GENEROUS)
    assert taken == [True, False, True]
    assert renders.count == 3


def test_no_limit_takes_no_turn(shared_cache, settings, monkeypatch):
    settings.PAGE_RENDERS_AT_ONCE = 0
    turns = page_cache._Turns()
    monkeypatch.setattr(page_cache, "_turns", turns)
    answers = {}
    start(answers, "only").join(GENEROUS)
    assert answers["only"].startswith("render 1")
    assert turns.semaphore is None
