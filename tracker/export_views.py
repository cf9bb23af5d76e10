"""Public downloads of the published data, CSV or XLSX (linked from the data page)."""

import datetime

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_safe

from tracker import exporting
from tracker.models import StatusReport
from tracker.views import BadParameter, parse_as_of


@require_safe
def data_download(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    """status: the current status of every pair, as of ?as_of=; reports: every published report
    (those in force on ?as_of= when given)."""
    try:
        as_of = parse_as_of(request)
    except BadParameter as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    if dataset == "status":
        columns, rows = exporting.STATUS_COLUMNS, exporting.status_rows(as_of=as_of)
    else:
        columns = exporting.report_columns()
        rows = exporting.report_rows(StatusReport.objects.published().effective_by(as_of))
    content = exporting.write(fmt, columns, rows, title=dataset)
    response = HttpResponse(content, content_type=exporting.CONTENT_TYPES[fmt])
    stamp = (as_of or datetime.date.today()).isoformat()
    name = f"soft-law-tracker-{dataset}-{'as-of-' if as_of else ''}{stamp}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
