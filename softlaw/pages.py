"""What every public page shares: GET only, a bad parameter answered with a 400 page that says
what is wrong (never a 500), the as_of rule, a page of a long list, and the data of a chart.

Pages opt in to the page cache (softlaw.page_cache) through public_page.
"""

import datetime
import functools
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from softlaw.filters import as_of_from


class BadParameter(ValueError):
    """A query parameter the page cannot use; its message is shown to the visitor."""


def public_page(
    view=None, *, scopes: Callable[..., Iterable[str]] | None = None, cached: bool = True
):
    """GET/HEAD only; a BadParameter becomes a 400 page carrying its message; the page cache
    (softlaw.page_cache, PAGE_CACHE_SECONDS) keeps the page under the state of the data, so a
    publish shows at once.

    scopes: for a page that shows the catalogue and the figures of one part of the data only,
    a function of the address's keyword arguments giving the scopes it shows (softlaw.changes);
    the page is then keyed on the catalogue's number and theirs, not on every change's. Used as
    @public_page(scopes=…).

    cached=False: an address that only ever redirects (the cache keeps 200s only) goes straight
    past the page cache, without its lock or its look at the state of the data."""
    if view is None:
        return functools.partial(public_page, scopes=scopes, cached=cached)

    @require_safe
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            if "\x00" in request.META.get("QUERY_STRING", "") or any(
                "\x00" in key or "\x00" in value
                for key, values in request.GET.lists()
                for value in values
            ):
                # PostgreSQL refuses text with a NUL byte in any filter value.
                raise BadParameter("The address contains a null character; remove it.")
            return view(request, *args, **kwargs)
        except BadParameter as exc:
            return render(
                request,
                "tracker/bad_request.html",
                {"message": str(exc), "as_of": None},
                status=400,
            )

    wrapper.page_cache = cached
    wrapper.page_scopes = scopes
    return wrapper


def parse_as_of(request: HttpRequest) -> datetime.date | None:
    """?as_of= by the rule the API follows too (softlaw.filters.as_of_from)."""
    try:
        return as_of_from(request.GET.get("as_of", ""))
    except ValidationError as exc:
        raise BadParameter(exc.messages[0]) from None


def page_context(filters, **context) -> dict:
    """The context every public page's template gets: the date it shows and its filters (any
    object with an as_of)."""
    return {"as_of": filters.as_of, "filters": filters, **context}


def chart(
    *, title: str, filename: str, categories: list, series: list[dict], y_name: str, kind="line"
) -> dict:
    """The data a chart draws (static/js/charts.js); the page's table holds the same."""
    return {
        "kind": kind,
        "title": title,
        "filename": filename,
        "categories": categories,
        "series": series,
        "yName": y_name,
    }


def page_of(request: HttpRequest, items, *, per_page: int, parameter: str = "page") -> Page:
    """The page of `items` that ?page= asks for (the first by default); a page that does not
    exist is a BadParameter."""
    paginator = Paginator(items, per_page)
    raw = request.GET.get(parameter) or "1"
    try:
        return paginator.page(raw)
    except (EmptyPage, PageNotAnInteger):
        raise BadParameter(
            f"{parameter} must be a whole number from 1 to {paginator.num_pages}, not {raw[:10]!r}."
        ) from None
