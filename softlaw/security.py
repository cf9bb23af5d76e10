"""Sign-in protection: the address django-axes counts failed sign-ins against, and the page a
locked-out visitor sees."""

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str:
    """The visitor's address. Behind a load balancer (API_NUM_PROXIES=N, the same setting the API
    throttles use), the address the first trusted proxy saw, N from the right of
    X-Forwarded-For; a client cannot forge it, since proxies append. Otherwise the connection's."""
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if proxies and hops:
        return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a sign-in while locked out: 429 and a page saying for how long."""
    username = get_client_username(request, credentials) or ""
    minutes = round(get_cool_off(request).total_seconds() / 60)
    context = {
        "username": username,
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": minutes,
        "site_title": "Soft-Law Tracker",
    }
    return render(request, "registration/locked_out.html", context, status=429)
