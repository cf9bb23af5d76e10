"""Downloads of current statuses and of status reports, as CSV or XLSX, safe to open in a
spreadsheet.

A cell that starts with =, +, -, @, a tab or a carriage return can be run as a formula by a
spreadsheet (OWASP ASVS 5.0, 1.2.10); such a cell gets a leading apostrophe. Every string cell
goes through safe_cell() on the way out, in both formats. Statuses come from
tracker.scoring.current_statuses(), the one rule for what is current.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

from django.db.models import QuerySet

from tracker import clock, scoring
from tracker.models import StatusReport

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

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


def safe_cell(value):
    """The value, with a leading ' when a spreadsheet could read it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


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


# --- files ---------------------------------------------------------------------------------------


def _text(value) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def write_csv(columns: Sequence[str], rows: Iterable[dict], *, bom: bool = True) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheets read accents and dashes right (without
    it for the data package, whose readers expect plain UTF-8)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(_text(row[column])) for column in columns])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def write_xlsx(columns: Sequence[str], rows: Iterable[dict], *, title: str) -> bytes:
    """One sheet; dates are date cells, every text cell is made safe."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    sheet.append(list(columns))
    for row in rows:
        cells = []
        for column in columns:
            value = row[column]
            if isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
            else:
                # Text stays text: openpyxl would store a string starting with = as a formula.
                cell = WriteOnlyCell(sheet, value=safe_cell(value))
                if isinstance(cell.value, str):
                    cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def write(fmt: str, columns: Sequence[str], rows: Iterable[dict], *, title: str) -> bytes:
    if fmt == "csv":
        return write_csv(columns, rows)
    if fmt == "xlsx":
        return write_xlsx(columns, rows, title=title)
    raise ValueError(f"unknown export format {fmt!r}")
