"""Public downloads of the published data, CSV or XLSX (linked from the data page)."""

import tempfile

from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.views.decorators.http import require_safe

from softlaw import clock, spreadsheets
from softlaw.pages import BadParameter
from tracker import datapackage, exporting
from tracker.models import StatusReport
from tracker.page_filters import read_filters


@require_safe
def data_download(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    """status: the current status of every pair, as of ?as_of=; reports: every published report
    (those in force on ?as_of= when given); either narrowed by ?origin=. A CSV streams as it is
    read (a global tracker's reports are 200 MB of it); an XLSX is refused, with a message, when
    it would hold more rows than a spreadsheet can."""
    try:
        filters = read_filters(request, origin=True)
    except BadParameter as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    as_of = filters.as_of
    if dataset == "status":
        reports = exporting.current_reports(as_of=as_of)
        if filters.values["origin"]:
            # ?origin= names the current report's origin, as in the API's statuses.
            reports = reports.filter(origin__in=filters.values["origin"].split(","))
        columns, rows = exporting.STATUS_COLUMNS, exporting.status_rows(reports)
    else:
        reports = filters.reports(StatusReport.objects.published().effective_by(as_of))
        columns, rows = exporting.report_columns(), exporting.report_rows(reports)
    stamp = (as_of or clock.today()).isoformat()
    name = f"soft-law-tracker-{dataset}-{'as-of-' if as_of else ''}{stamp}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            spreadsheets.csv_chunks(columns, rows), content_type=spreadsheets.CONTENT_TYPES[fmt]
        )
    else:
        count = reports.count()
        if count >= spreadsheets.XLSX_MAX_ROWS:
            return HttpResponseBadRequest(
                f"The {dataset} download has {count:,} rows, more than a spreadsheet holds "
                f"({spreadsheets.XLSX_MAX_ROWS - 1:,} below its header): download it as CSV "
                f"({dataset}.csv), or narrow it with ?origin= or ?as_of=.",
                content_type="text/plain; charset=utf-8",
            )
        response = HttpResponse(
            spreadsheets.write_xlsx(columns, rows, title=dataset),
            content_type=spreadsheets.CONTENT_TYPES[fmt],
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def data_package(request: HttpRequest) -> HttpResponse:
    """The whole published dataset as a Frictionless Data Package (tracker.datapackage)."""
    # Written to a temporary file (in memory while it is small), then sent from it in blocks:
    # a global tracker's package is tens of megabytes.
    archive = tempfile.SpooledTemporaryFile(max_size=8 * 2**20)  # noqa: SIM115  closed by the response
    datapackage.write(archive)
    archive.seek(0)
    name = f"soft-law-tracker-datapackage-{clock.today().isoformat()}.zip"
    return FileResponse(archive, as_attachment=True, filename=name, content_type="application/zip")
