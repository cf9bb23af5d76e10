"""The page cache: a public page is served again, as it was, until the data or the day changes.

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
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

from softlaw import changes, clock
from softlaw.health import unavailable_response


def page_cache_key(request: HttpRequest) -> str:
    address = request.build_absolute_uri()
    state = f"{address}|{clock.today()}|{changes.page_version()}"
    return "page:" + hashlib.sha256(state.encode()).hexdigest()


def _is_public_page(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "page_cache", False)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.PAGE_CACHE_SECONDS
        key = None
        if seconds and request.method in ("GET", "HEAD") and _is_public_page(request):
            try:
                key = page_cache_key(request)
            except (OperationalError, InterfaceError) as error:
                # Out of reach: say so at once rather than wait for it a second time.
                return unavailable_response(request, error)
            else:
                compressed = "gzip" in request.headers.get("Accept-Encoding", "").lower()
                stored = cache.get(key + ":gzip" if compressed else key)
                if stored is not None:
                    headers, content = stored
                    response = HttpResponse(content, headers=headers)
                    if compressed:
                        response["Content-Encoding"] = "gzip"
                        response["Content-Length"] = str(len(content))
                    return response
        response = self.get_response(request)
        if (
            key is not None
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            patch_vary_headers(response, ("Accept-Encoding",))
            headers = dict(response.items())
            # Two entries, so that a hit reads only the bytes it sends.
            cache.set_many(
                {
                    key: (headers, response.content),
                    key + ":gzip": (headers, compress_string(response.content)),
                },
                seconds,
            )
        return response
