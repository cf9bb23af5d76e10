"""The page cache: a public page, or an anonymous read of the API, is served again, as it was,
until the data or the day changes; and each is rendered once per state of the data, however
many ask for it at the same moment.

The key names the page's full address (scheme and host too: a page prints its own permanent
link, and one site may answer to several names), today's date (overdue flags, "today" links)
and the state of the data (softlaw.changes.page_version), so a publish, a correction or a
deletion makes a new key and no cached page ever shows a stale figure. The middleware sits just
below WhiteNoise: a hit is answered before sessions, authentication and the rest run (the
security headers are still added by the middleware above it), which is what lets a busy public
dashboard serve from memory. Pages opt in with softlaw.pages.public_page; everything else passes
straight through. Each page is kept as it is and compressed once (gzip), for the browsers that
accept it: a global dashboard of half a megabyte travels as a few dozen kilobytes without being
compressed again on each visit.

A page that shows the catalogue and one part of the data only (an instrument's page: that
instrument's reports) names its scopes (softlaw.pages.public_page(scopes=…)) and is keyed on the
catalogue's number and theirs instead of the whole data's: a publish on another instrument
leaves it cached.

The API: an anonymous GET of a viewset that names the tables it reads (conditional_models) is
kept the same way under "api:" keys that also name the format asked for (the Accept header; the
query string, ?format=csv included, is in the address). A viewset that reads the catalogue only
(economies, instruments, commitments, forums, themes: settings.CATALOGUE_MODELS) is keyed on the
catalogue's version, which a publish does not raise: the API's reference lists stay cached. A
hit answers If-None-Match and If-Modified-Since with 304 from the ETag and Last-Modified it was
stored with, which are the ones the view would compute for the same state of the data. A
request that signs in (an Authorization header, a session cookie) always reaches the view.

One render of a page at a time, whatever the state of the data (a publish makes every page
stale at once, and every visitor would otherwise render the dashboard at the same moment; a run
of publishes would start a render of each page for each of them, each slowing the others). A
page's entry, under a key of its address (not of the data's state), holds the numbers that named
the state of the data when its render began, and serves every request that saw those numbers or
older ones: its figures are at least as new. The first request that misses takes a short lock
in the cache (cache.add) and renders; the others wait for its result, polling the cache, for at
most PAGE_CACHE_LOCK_SECONDS, after which they render themselves. A request that saw a newer
state than the render under way waits for it to end, is not given it, and then renders (or
waits for the one that does): the request that takes the lock names the state as it is then,
so one render serves every request waiting, however many publishes came in between. A request
is never given a page of an older state than the one it saw.

A worker renders at most PAGE_RENDERS_AT_ONCE pages at a time (its threads share one
interpreter lock: eight renders at once each take eight times as long, and all end together);
the others wait their turn, PAGE_RENDER_TURN_SECONDS at most, so that renders end one after
another and the requests waiting for each are answered as soon as it is done.
"""

import hashlib
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.text import compress_string

from softlaw import changes, clock, overload
from softlaw.health import unavailable_response

# How often a request waiting for another's render looks for its result.
POLL_SECONDS = 0.02
CONDITIONAL_HEADERS = ("If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since")


def page_cache_key(
    request: HttpRequest, *, kind: str = "page", scope=changes.EVERYTHING
) -> tuple[str, tuple[int, ...]]:
    """The key of a page's entry (its full address, today's date, and for the API the format
    asked for), and the numbers naming the state of the data that the page must show, or a
    newer one. scope: a DataVersion number (the whole data's, the catalogue's), or the names of
    the scopes a scoped page shows (keyed on the catalogue's number and theirs)."""
    state = f"{request.build_absolute_uri()}|{clock.today()}"
    if isinstance(scope, tuple):
        versions = changes.scoped_versions(scope)
        state += f"|{changes.CATALOGUE}" + "".join(f"|{name}" for name in scope)
    else:
        versions = (changes.page_version(scope),)
        state += f"|{scope}"
    if kind == "api":
        # JSON or CSV, when the format is asked for by the Accept header, not ?format=.
        state += "|" + request.headers.get("Accept", "")
    return f"{kind}:" + hashlib.sha256(state.encode()).hexdigest(), tuple(versions)


def _fresh(stored: tuple | None, versions: tuple[int, ...]) -> tuple | None:
    """(headers, content) of an entry rendered from the state `versions` names or a newer one."""
    if stored is None:
        return None
    rendered, headers, content = stored
    if len(rendered) != len(versions) or any(
        have < need for have, need in zip(rendered, versions, strict=True)
    ):
        return None
    return headers, content


def _cache_kind(request: HttpRequest) -> tuple[str, int | tuple[str, ...]] | None:
    """("page", scope) for a public page, ("api", scope) for an anonymous read of a cached API
    resource, None for everything else; the scope is the version that names its state: the
    catalogue's for a viewset that reads nothing else (its conditional_models), the scopes a
    scoped page names from its address (softlaw.pages.public_page), the whole data's
    otherwise."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if getattr(match.func, "page_cache", False):
        scopes = getattr(match.func, "page_scopes", None)
        if scopes is not None:
            return "page", tuple(scopes(**match.kwargs))
        return "page", changes.EVERYTHING
    tables = getattr(getattr(match.func, "cls", None), "conditional_models", ())
    if tables and _is_anonymous(request):
        labels = {model._meta.label for model in tables}
        if labels.issubset(settings.CATALOGUE_MODELS):
            return "api", changes.CATALOGUE
        return "api", changes.EVERYTHING
    return None


def _is_anonymous(request: HttpRequest) -> bool:
    return "Authorization" not in request.headers and (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


class _Turns:
    """The renders a worker process runs at once (PAGE_RENDERS_AT_ONCE, read when first used)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.semaphore: threading.BoundedSemaphore | None = None
        self.size = 0

    def take(self) -> bool:
        """Wait for a turn, PAGE_RENDER_TURN_SECONDS at most; False: render without one."""
        size = settings.PAGE_RENDERS_AT_ONCE
        if size <= 0:
            return False
        with self.lock:
            if self.semaphore is None or self.size != size:
                self.semaphore, self.size = threading.BoundedSemaphore(size), size
            semaphore = self.semaphore
        return semaphore.acquire(timeout=settings.PAGE_RENDER_TURN_SECONDS)

    def give_back(self) -> None:
        self.semaphore.release()


_turns = _Turns()


def _clock() -> float:
    return time.monotonic()


def _pause() -> None:
    """One wait between two looks at the cache (a function of its own, for the tests)."""
    time.sleep(POLL_SECONDS)


def _wait_or_lock(entry: str, lock: str, versions: tuple[int, ...]) -> tuple[tuple | None, bool]:
    """(what another request's render stored, False) once it is fresh enough; (None, True)
    when this request has taken the lock and renders; (None, False) after
    PAGE_CACHE_LOCK_SECONDS, when it renders without the lock."""
    deadline = _clock() + settings.PAGE_CACHE_LOCK_SECONDS
    while True:
        found = cache.get_many([lock, entry])
        stored = _fresh(found.get(entry), versions)
        if stored is not None:
            return stored, False
        if lock not in found and cache.add(lock, 1, settings.PAGE_CACHE_LOCK_SECONDS):
            # The render that held it may have stored a fresh enough page before letting go.
            stored = _fresh(cache.get(entry), versions)
            if stored is not None:
                cache.delete(lock)
                return stored, False
            return None, True
        if _clock() >= deadline:
            return None, False
        _pause()


def _from_cache(request: HttpRequest, stored: tuple, *, compressed: bool, kind: str):
    headers, content = stored
    response = HttpResponse(content, headers=headers)
    if compressed:
        response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(content))
    if kind == "api" and any(name in request.headers for name in CONDITIONAL_HEADERS):
        conditional = get_conditional_response(
            request,
            etag=headers.get("ETag"),
            last_modified=parse_http_date_safe(headers.get("Last-Modified", "")),
            response=response,
        )
        if conditional is None:
            return response
        # A failed If-Match is the view's to answer (its own JSON 412).
        return conditional if conditional.status_code == 304 else None
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.PAGE_CACHE_SECONDS
        cached = None
        if seconds and request.method in ("GET", "HEAD"):
            cached = _cache_kind(request)
        if cached is None:
            return self.get_response(request)
        kind, scope = cached
        try:
            key, versions = page_cache_key(request, kind=kind, scope=scope)
        except (OperationalError, InterfaceError) as error:
            # Out of reach: say so at once rather than wait for it a second time.
            return unavailable_response(request, error)
        compressed = "gzip" in request.headers.get("Accept-Encoding", "").lower()
        entry = key + ":gzip" if compressed else key
        stored = _fresh(cache.get(entry), versions)
        lock = key + ":lock"
        holds_lock = False
        if stored is None:
            # Refused now if it waited too long in line, not after taking the lock: the others
            # would wait for a render that never comes.
            refused = overload.refusal(request)
            if refused is not None:
                return refused
            if cache.add(lock, 1, settings.PAGE_CACHE_LOCK_SECONDS):
                holds_lock = True
                # Another render may have stored it and let the lock go since the first look.
                stored = _fresh(cache.get(entry), versions)
            else:
                stored, holds_lock = _wait_or_lock(entry, lock, versions)
                if holds_lock:
                    # Waited: the state the render is named after is the state as it is now,
                    # which is what it reads, and what every request still waiting saw or older.
                    try:
                        versions = page_cache_key(request, kind=kind, scope=scope)[1]
                    except (OperationalError, InterfaceError) as error:
                        cache.delete(lock)
                        return unavailable_response(request, error)
            if stored is not None and holds_lock:
                cache.delete(lock)
                holds_lock = False
        if stored is not None:
            response = _from_cache(request, stored, compressed=compressed, kind=kind)
            if response is not None:
                return response
        has_turn = _turns.take()
        try:
            response = self.get_response(request)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                patch_vary_headers(response, ("Accept-Encoding",))
                _store(key, versions, response, seconds)
        finally:
            if has_turn:
                _turns.give_back()
            if holds_lock:
                cache.delete(lock)
        return response


def _store(key: str, versions: tuple[int, ...], response: HttpResponse, seconds: int) -> None:
    """The page as it is and gzipped (so that a hit reads only the bytes it sends), named after
    the state it was rendered from; never over a page of a newer state (a render without the
    lock, after a wait too long, may end after a newer one)."""
    current = cache.get(key)
    if current is not None and current[0] != versions and _fresh(current, versions) is not None:
        return
    headers = dict(response.items())
    cache.set_many(
        {
            key: (versions, headers, response.content),
            key + ":gzip": (versions, headers, compress_string(response.content)),
        },
        seconds,
    )
