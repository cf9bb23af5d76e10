"""Public downloads of the published data, CSV or XLSX (linked from the data page)."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_safe

from softlaw import clock, spreadsheets
from softlaw.pages import BadParameter
from tracker import datapackage, exporting
from tracker.models import StatusReport
from tracker.page_filters import read_filters


@require_safe
def data_download(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    """status: the current status of every pair, as of ?as_of=; reports: every published report
    (those in force on ?as_of= when given); either narrowed by ?origin=."""
    try:
        filters = read_filters(request, origin=True)
    except BadParameter as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    as_of = filters.as_of
    if dataset == "status":
        columns, rows = exporting.STATUS_COLUMNS, exporting.status_rows(as_of=as_of)
        if filters.values["origin"]:
            # ?origin= names the current report's origin, as in the API's statuses.
            wanted = set(filters.values["origin"].split(","))
            rows = [row for row in rows if row["origin"] in wanted]
    else:
        columns = exporting.report_columns()
        rows = exporting.report_rows(
            filters.reports(StatusReport.objects.published().effective_by(as_of))
        )
    content = spreadsheets.write(fmt, columns, rows, title=dataset)
    response = HttpResponse(content, content_type=spreadsheets.CONTENT_TYPES[fmt])
    stamp = (as_of or clock.today()).isoformat()
    name = f"soft-law-tracker-{dataset}-{'as-of-' if as_of else ''}{stamp}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def data_package(request: HttpRequest) -> HttpResponse:
    """The whole published dataset as a Frictionless Data Package (tracker.datapackage)."""
    response = HttpResponse(datapackage.build(), content_type="application/zip")
    name = f"soft-law-tracker-datapackage-{clock.today().isoformat()}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
