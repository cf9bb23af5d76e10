"""The rows of the downloads of current statuses and of status reports (CSV or XLSX, written by
softlaw.spreadsheets, which makes every cell safe to open in a spreadsheet), read and handed out
a few thousand at a time. Statuses are the reports StatusReport.objects.current() gives, the
rule tracker.scoring reads (tested equal to it).
"""

import datetime
from collections.abc import Iterator

from django.db.models import QuerySet

from softlaw import clock
from tracker import scoring
from tracker.models import CELL_TARGET, Status, StatusReport

STATUS_COLUMNS = (
    "economy",
    "economy_name",
    "instrument",
    "commitment",
    "commitment_title",
    "status",
    "status_label",
    "points",
    "effective_date",
    "target_date",
    "overdue",
    "evidence",
    "source_url",
    "origin",
    "assessor",
    "assessed_on",
    "report_id",
)

REPORT_COLUMNS = (
    "report_id",
    "economy",
    "economy_name",
    "instrument",
    "commitment",
    "status",
    "effective_date",
    "target_date",
    "evidence",
    "source_url",
    "origin",
    "assessor",
    "assessed_on",
    "published_at",
)

# Only in the admin's export: the review trail, which the public downloads leave out.
WORKFLOW_COLUMNS = (
    "review_state",
    "review_note",
    "entered_by",
    "reviewed_by",
    "submitted_at",
    "created_at",
    "updated_at",
)


def _timestamp(value: datetime.datetime | None) -> str:
    """A moment in UTC, ISO 8601 (spreadsheets hold no time zones)."""
    if value is None:
        return ""
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- rows ----------------------------------------------------------------------------------------

# Rows are read as tuples a few thousand at a time and handed out one by one, so that a global
# tracker's download (240,000 statuses, 1.2 million reports) streams in constant memory instead
# of building every model instance and row first.
CHUNK = 2000

# What a status row reads of its report: the cell's target is the report's, or else the
# deadline its commitment states (rule R6 of the reference data), as tracker.scoring has it.
_STATUS_VALUES = (
    "pk",
    "economy__code",
    "economy__name",
    "commitment__instrument__short_name",
    "commitment__code",
    "commitment__title",
    "status",
    "effective_date",
    "target",
    "evidence",
    "source_urls",
    "origin",
    "assessor",
    "assessed_on",
)


def current_reports(*, as_of: datetime.date | None = None) -> QuerySet[StatusReport]:
    """The reports behind the status download: the current status of each cell (StatusReport
    .objects.current(), the rule tracker.scoring reads), by economy, instrument and
    commitment."""
    return StatusReport.objects.current(as_of).order_by(
        "economy__code", "commitment__instrument__short_name", "commitment__code"
    )


def status_rows(
    reports: QuerySet[StatusReport] | None = None,
    *,
    as_of: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Iterator[dict]:
    """The current status of every economy on every commitment that has one, as of a date
    (the reports current_reports() gives, or a narrower set of them), one row at a time."""
    today = today or clock.today()
    if reports is None:
        reports = current_reports(as_of=as_of)
    values = reports.annotate(target=CELL_TARGET)
    labels = dict(Status.choices)
    for (
        pk,
        economy,
        economy_name,
        instrument,
        commitment,
        commitment_title,
        status,
        effective_date,
        target,
        evidence,
        sources,
        origin,
        assessor,
        assessed_on,
    ) in values.values_list(*_STATUS_VALUES).iterator(chunk_size=CHUNK):
        points = scoring.POINTS.get(status)
        yield {
            "economy": economy,
            "economy_name": economy_name,
            "instrument": instrument,
            "commitment": commitment,
            "commitment_title": commitment_title,
            "status": status,
            "status_label": labels[status],
            "points": "" if points is None else points,
            "effective_date": effective_date,
            "target_date": target or "",
            "overdue": "yes"
            if scoring.is_overdue(status=status, target_date=target, today=today)
            else "no",
            "evidence": evidence,
            "source_url": sources,
            "origin": origin,
            "assessor": assessor,
            "assessed_on": assessed_on or "",
            "report_id": pk,
        }


_REPORT_VALUES = {
    "report_id": "pk",
    "economy": "economy__code",
    "economy_name": "economy__name",
    "instrument": "commitment__instrument__short_name",
    "commitment": "commitment__code",
    "status": "status",
    "effective_date": "effective_date",
    "target_date": "target_date",
    "evidence": "evidence",
    "source_url": "source_urls",
    "origin": "origin",
    "assessor": "assessor",
    "assessed_on": "assessed_on",
    "published_at": "published_at",
}
_WORKFLOW_VALUES = {
    "review_state": "review_state",
    "review_note": "review_note",
    "entered_by": "entered_by__username",
    "reviewed_by": "reviewed_by__username",
    "submitted_at": "submitted_at",
    "created_at": "created_at",
    "updated_at": "updated_at",
}
_MOMENTS = {"published_at", "submitted_at", "created_at", "updated_at"}
_OPTIONAL = {"target_date", "assessed_on", "entered_by", "reviewed_by"}


def report_rows(reports: QuerySet[StatusReport], *, workflow: bool = False) -> Iterator[dict]:
    """One row per report, one at a time; workflow adds the review trail for the admin's
    export."""
    paths = {**_REPORT_VALUES, **(_WORKFLOW_VALUES if workflow else {})}
    ordered = reports.order_by("economy__code", "commitment__code", "effective_date", "pk")
    for values in ordered.values_list(*paths.values()).iterator(chunk_size=CHUNK):
        row = dict(zip(paths, values, strict=True))
        for column in _MOMENTS.intersection(row):
            row[column] = _timestamp(row[column])
        for column in _OPTIONAL.intersection(row):
            row[column] = row[column] or ""
        yield row


def report_columns(*, workflow: bool = False) -> tuple[str, ...]:
    return REPORT_COLUMNS + WORKFLOW_COLUMNS if workflow else REPORT_COLUMNS
