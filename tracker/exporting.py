"""The rows of the downloads of current statuses and of status reports (CSV or XLSX, written by
softlaw.spreadsheets, which makes every cell safe to open in a spreadsheet). Statuses come from
tracker.scoring.current_statuses(), the one rule for what is current.
"""

import datetime

from django.db.models import QuerySet

from softlaw import clock
from tracker import scoring
from tracker.models import StatusReport

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


def status_rows(
    *, as_of: datetime.date | None = None, today: datetime.date | None = None
) -> list[dict]:
    """The current status of every economy on every commitment that has one, as of a date."""
    today = today or clock.today()
    current = scoring.current_statuses(as_of=as_of)
    # One query for what the statuses do not carry: names, evidence and sources.
    # (in_bulk() would split the ids into batches on SQLite; one IN list is well within limits.)
    reports = {
        report.pk: report
        for report in StatusReport.objects.select_related(
            "economy", "commitment__instrument"
        ).filter(pk__in=[c.report_id for c in current.values()])
    }
    rows = []
    for status in current.values():
        report = reports[status.report_id]
        points = scoring.POINTS.get(status.status)
        rows.append(
            {
                "economy": report.economy.code,
                "economy_name": report.economy.name,
                "instrument": report.commitment.instrument.short_name,
                "commitment": report.commitment.code,
                "commitment_title": report.commitment.title,
                "status": status.status,
                "status_label": report.get_status_display(),
                "points": "" if points is None else points,
                "effective_date": status.effective_date,
                "target_date": status.target_date or "",
                "overdue": "yes" if status.is_overdue(today) else "no",
                "evidence": report.evidence,
                "source_url": report.source_urls,
                "origin": report.origin,
                "assessor": report.assessor,
                "assessed_on": report.assessed_on or "",
                "report_id": report.pk,
            }
        )
    rows.sort(key=lambda r: (r["economy"], r["instrument"], r["commitment"]))
    return rows


def report_rows(reports: QuerySet[StatusReport], *, workflow: bool = False) -> list[dict]:
    """One row per report; workflow adds the review trail for the admin's export."""
    related = ["economy", "commitment__instrument"]
    if workflow:
        related += ["entered_by", "reviewed_by"]
    rows = []
    for report in reports.select_related(*related).order_by(
        "economy__code", "commitment__code", "effective_date", "pk"
    ):
        row = {
            "report_id": report.pk,
            "economy": report.economy.code,
            "economy_name": report.economy.name,
            "instrument": report.commitment.instrument.short_name,
            "commitment": report.commitment.code,
            "status": report.status,
            "effective_date": report.effective_date,
            "target_date": report.target_date or "",
            "evidence": report.evidence,
            "source_url": report.source_urls,
            "origin": report.origin,
            "assessor": report.assessor,
            "assessed_on": report.assessed_on or "",
            "published_at": _timestamp(report.published_at),
        }
        if workflow:
            row.update(
                {
                    "review_state": report.review_state,
                    "review_note": report.review_note,
                    "entered_by": report.entered_by.username if report.entered_by else "",
                    "reviewed_by": report.reviewed_by.username if report.reviewed_by else "",
                    "submitted_at": _timestamp(report.submitted_at),
                    "created_at": _timestamp(report.created_at),
                    "updated_at": _timestamp(report.updated_at),
                }
            )
        rows.append(row)
    return rows


def report_columns(*, workflow: bool = False) -> tuple[str, ...]:
    return REPORT_COLUMNS + WORKFLOW_COLUMNS if workflow else REPORT_COLUMNS
