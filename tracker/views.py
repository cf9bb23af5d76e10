import datetime

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

from tracker import selectors


class BadParameter(ValueError):
    pass


def parse_as_of(request: HttpRequest) -> datetime.date | None:
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(f"as_of must be a date written YYYY-MM-DD, not {raw[:20]!r}") from None


def home(request: HttpRequest) -> HttpResponse:
    try:
        as_of = parse_as_of(request)
    except BadParameter as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    heatmap = selectors.heatmap_for_region(as_of=as_of)
    return render(
        request,
        "tracker/home.html",
        {"heatmap": heatmap, "as_of": as_of, "today": datetime.date.today()},
    )
