"""Spreadsheet import of status reports, CSV or XLSX: the one module behind both the admin's
import page and `manage.py import_status`.

A file is read whole, every row is checked against the database in a handful of bulk lookups,
and every problem is reported with its line number (the header is line 1, as a spreadsheet
numbers its rows). Only a file without a single problem is written, in one transaction through
tracker.services; a file with one bad row writes nothing.

Columns: economy (ISO alpha-3), commitment (code), status (scale code), effective_date
(YYYY-MM-DD), evidence, source_url, and optionally target_date, origin, and for an independent
assessment its assessor and assessed_on (the assessment's snapshot date).

Over 400 lines: reading both formats, checking every row in bulk and writing go together,
so that a file is judged whole in one place; the rules of a single report are
tracker.validation's.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.models import User

from economies.models import Economy
from instruments.models import Commitment
from softlaw import clock, spreadsheets
from tracker import roles, services
from tracker.models import CurrentStatus, Origin, Status, StatusReport
from tracker.validation import report_errors

REQUIRED_COLUMNS = ("economy", "commitment", "status", "effective_date", "evidence", "source_url")
OPTIONAL_COLUMNS = ("target_date", "origin", "assessor", "assessed_on")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# Names beside the codes in the workspace's prefilled spreadsheet: read by people, ignored here.
REFERENCE_COLUMNS = ("economy_name", "instrument", "commitment_title")
# The columns that say something; a row with all of them blank (a commitment of the prefilled
# spreadsheet left without a status) says nothing and is skipped.
STATEMENT_COLUMNS = ("status", "effective_date", "target_date", "evidence", "source_url")
DATE_COLUMNS = ("effective_date", "target_date", "assessed_on")
FORMATS = ("csv", "xlsx")

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000

# What a row becomes when the origin column is absent or blank: an officer's own statement is
# self-reported; a reviewer publishing a spreadsheet is entering the secretariat's research.
DEFAULT_ORIGIN = {False: Origin.SELF_REPORTED, True: Origin.SECRETARIAT}

Progress = Callable[..., Iterable]


def _no_progress(iterable: Iterable, **_kwargs) -> Iterable:
    return iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One reason a file cannot be imported; line 0 is the file as a whole."""

    line: int
    message: str

    def __str__(self):
        return f"Line {self.line}: {self.message}" if self.line else self.message


class ImportRefused(Exception):
    """The file has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("; ".join(str(p) for p in self.problems[:5]))


@dataclass
class ImportResult:
    """The reports of a file that passed every check: written, or (dry run) to be written."""

    reports: list[StatusReport]
    lines: list[int]
    dry_run: bool
    publish: bool
    columns: list[str] = field(default_factory=list)
    # Lines left out: identical to the current published status (same status, effective date,
    # evidence and sources), or with no status given at all.
    unchanged: list[int] = field(default_factory=list)
    blank: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.reports)


# --- reading a file ------------------------------------------------------------------------------


class _Formula(str):
    """The text of a spreadsheet formula: never evaluated, never imported."""


def file_format(filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in FORMATS:
        raise ImportRefused([Problem(0, f"{filename or 'The file'} is not a .csv or .xlsx file.")])
    return extension


def _read_csv(data: bytes) -> Iterator[tuple[int, list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRefused(
            [
                Problem(
                    line,
                    f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be read). "
                    "Save it as “CSV UTF-8” and import it again.",
                )
            ]
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ImportRefused([Problem(line, "the file holds a NUL byte: it is not a CSV file.")])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        # The line where the broken record starts, such as a quote that is never closed.
        raise ImportRefused([Problem(start, f"the CSV cannot be read: {exc}.")]) from None


def _xlsx_value(cell):
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str) and getattr(cell, "data_type", None) == "f":
        return _Formula(value)
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time(0) else value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.date | str):
        return value
    return str(value)


def _read_xlsx(data: bytes) -> Iterator[tuple[int, list]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise ImportRefused(
            [Problem(0, "The file is not a readable XLSX workbook (Excel 2007 or later).")]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        # A workbook's stated size can be wrong; read what is there.
        sheet.reset_dimensions()
        for line, cells in enumerate(sheet.iter_rows(), start=1):
            yield line, [_xlsx_value(c) for c in cells]
    finally:
        workbook.close()


def check_size(size: int) -> None:
    """Refuse a file too big to check in one go, before reading it."""
    if size > MAX_BYTES:
        raise ImportRefused(
            [
                Problem(
                    0,
                    f"The file is {size / 1048576:.1f} MB; the limit is "
                    f"{MAX_BYTES // 1048576} MB. Split it into smaller files.",
                )
            ]
        )


def read_table(data: bytes, *, filename: str) -> Iterator[tuple[int, list]]:
    """(line, cells) for every row of the file, header first."""
    check_size(len(data))
    if file_format(filename) == "xlsx":
        return _read_xlsx(data)
    return _read_csv(data)


def _blank(cells: list) -> bool:
    return all(isinstance(c, str) and not c.strip() for c in cells)


def _header(line: int, cells: list) -> tuple[list[str], list[Problem]]:
    names = [str(c).strip().lower() for c in cells]
    while names and not names[-1]:
        names.pop()
    problems = []
    expected = ", ".join(REQUIRED_COLUMNS) + " (and optionally " + ", ".join(OPTIONAL_COLUMNS) + ")"
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        problems.append(Problem(line, f"missing column(s) {', '.join(missing)}: {expected}."))
    unknown = [n for n in names if n and n not in COLUMNS + REFERENCE_COLUMNS]
    if unknown:
        problems.append(
            Problem(line, f"unknown column(s) {', '.join(unknown)}: the columns are {expected}.")
        )
    if any(not n for n in names):
        problems.append(Problem(line, "a column has no name in the header."))
    repeated = sorted({n for n in names if n and names.count(n) > 1})
    if repeated:
        problems.append(Problem(line, f"column(s) {', '.join(repeated)} appear twice."))
    return names, problems


# --- checking rows -----------------------------------------------------------------------------


def _date(value, column: str, problems: list[str]) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        problems.append(f"{column} {value.isoformat()} has a time of day: give the date only.")
        return None
    if isinstance(value, datetime.date):
        return value
    text = value.strip()
    try:
        if len(text) != 10:
            raise ValueError
        return datetime.date.fromisoformat(text)
    except ValueError:
        problems.append(f"{column} {text[:30]!r} is not a real date written YYYY-MM-DD.")
        return None


@dataclass
class _Lookups:
    """Everything a row is checked against, read in a few queries before the first row."""

    economies: dict[str, Economy]
    commitments: dict[str, Commitment]
    allowed_economy_ids: frozenset[int]
    existing: dict[tuple, int]
    # (economy id, commitment id) → (status, effective date, evidence, sources) published now
    current: dict[tuple[int, int], tuple]
    today: datetime.date


def _lookups(rows: list[tuple[int, dict]], *, user, publish: bool) -> _Lookups:
    # Every economy and commitment (a few hundred rows): one query each, however long the file.
    economies = {e.code: e for e in Economy.objects.all()}
    commitments = {c.code: c for c in Commitment.objects.all()}
    # The reports already recorded on the commitments in the file, to refuse importing one twice.
    existing = {}
    codes = {str(r.get("commitment", "")).strip() for _, r in rows}
    commitment_ids = {commitments[c].pk for c in codes if c in commitments}
    recorded = StatusReport.objects.filter(commitment_id__in=commitment_ids).order_by("pk")
    for pk, *key in recorded.values_list(
        "pk", "economy_id", "commitment_id", "effective_date", "status", "evidence"
    ):
        existing[tuple(key)] = pk
    current = {
        (economy_id, commitment_id): (status, effective, evidence, _sources(sources))
        for economy_id, commitment_id, status, effective, evidence, sources in (
            CurrentStatus.objects.filter(commitment_id__in=commitment_ids).values_list(
                "economy_id",
                "commitment_id",
                "report__status",
                "report__effective_date",
                "report__evidence",
                "report__source_urls",
            )
        )
    }
    return _Lookups(
        economies=economies,
        commitments=commitments,
        allowed_economy_ids=roles.economy_ids_for_import(user, publish=publish),
        existing=existing,
        current=current,
        today=clock.today(),
    )


def _sources(text: str) -> str:
    """Sources as the import stores them: one address a line."""
    return "\n".join(text.split())


def _is_unchanged(report: StatusReport, lookups: _Lookups) -> bool:
    """Whether the row states the current published status again, as the prefilled spreadsheet
    gave it (evidence starting with = or - comes back with the apostrophe the export added)."""
    now = lookups.current.get((report.economy.pk, report.commitment_id))
    if now is None:
        return False
    status, effective, evidence, sources = now
    return (status, effective, sources) == (
        report.status,
        report.effective_date,
        report.source_urls,
    ) and report.evidence in (evidence, spreadsheets.safe_cell(evidence))


def _check_row(
    values: dict, lookups: _Lookups, *, publish: bool
) -> tuple[StatusReport | None, list[str]]:
    problems: list[str] = []
    for column in COLUMNS:
        value = values.get(column, "")
        if isinstance(value, datetime.date) and column not in DATE_COLUMNS:
            values[column] = value = value.isoformat()
        if isinstance(value, _Formula):
            problems.append(
                f"{column} holds a formula ({value[:30]}); type the value itself, formulas are "
                "never imported."
            )
            values[column] = ""
        elif isinstance(value, str):
            values[column] = value.strip()

    economy_code = str(values["economy"]).upper()
    economy = lookups.economies.get(economy_code)
    if not economy_code:
        problems.append("economy is empty: give its ISO alpha-3 code, such as JPN.")
    elif economy is None:
        problems.append(f"unknown economy {economy_code[:20]!r}: use its ISO alpha-3 code.")
    elif economy.pk not in lookups.allowed_economy_ids:
        problems.append(
            f"you are not an officer of {economy.name} ({economy.code}): "
            "you import your own economies' reports only."
        )

    commitment_code = str(values["commitment"])
    commitment = lookups.commitments.get(commitment_code)
    if not commitment_code:
        problems.append("commitment is empty: give its code, such as AIDER-KFA-01.")
    elif commitment is None:
        problems.append(f"unknown commitment {commitment_code[:60]!r}.")

    status = str(values["status"]).lower()
    if status not in Status.values:
        problems.append(
            f"status {values['status'][:30]!r} is not on the scale: use one of "
            f"{', '.join(Status.values)}."
        )

    effective = _date(values["effective_date"], "effective_date", problems)
    target = None
    if values.get("target_date", ""):
        target = _date(values["target_date"], "target_date", problems)
    evidence = str(values["evidence"])
    source_urls = _sources(str(values["source_url"]))

    origin = str(values.get("origin", "")).lower() or DEFAULT_ORIGIN[publish]
    if origin not in Origin.values:
        problems.append(
            f"origin {values['origin'][:30]!r} is not one of {', '.join(Origin.values)}."
        )
    assessor = str(values.get("assessor", ""))
    assessed_on = None
    if values.get("assessed_on", ""):
        assessed_on = _date(values["assessed_on"], "assessed_on", problems)
    if len(assessor) > StatusReport._meta.get_field("assessor").max_length:
        problems.append("assessor is longer than 120 characters.")

    # The report rules the model applies too (tracker.validation), on the values read above.
    errors = report_errors(
        commitment=commitment,
        effective_date=effective,
        target_date=target,
        origin=origin,
        assessor=assessor,
        assessed_on=assessed_on,
        evidence=evidence,
        source_urls=source_urls,
        today=lookups.today,
    )
    for field_name, messages in errors.items():
        # The sources' messages name an address in the cell: the column introduces them.
        prefix = "source_url: " if field_name == "source_urls" else ""
        problems.extend(prefix + message for message in messages)

    for column in COLUMNS:
        if "\x00" in str(values.get(column, "")):
            problems.append(f"{column} holds a NUL character.")

    if problems:
        return None, problems
    return (
        StatusReport(
            economy=economy,
            commitment=commitment,
            status=status,
            effective_date=effective,
            target_date=target,
            evidence=evidence,
            source_urls=source_urls,
            origin=origin,
            assessor=assessor,
            assessed_on=assessed_on,
        ),
        [],
    )


@dataclass
class CheckedFile:
    """A file that passed every check: its reports to write, and the lines left out."""

    reports: list[StatusReport]
    lines: list[int]
    columns: list[str]
    unchanged: list[int]
    blank: list[int]


def check_file(
    data: bytes,
    *,
    filename: str,
    user: User | None,
    publish: bool = False,
    progress: Progress = _no_progress,
) -> CheckedFile:
    """Every row of the file as an unsaved report, or ImportRefused with every problem. Rows
    that restate the current published status, or give no status at all, are left out."""
    table = read_table(data, filename=filename)
    header_line, header = next(((n, c) for n, c in table if not _blank(c)), (0, None))
    if header is None:
        raise ImportRefused(
            [Problem(0, f"The file is empty: the first row must name the columns {COLUMNS}.")]
        )
    columns, problems = _header(header_line, header)
    if problems:
        raise ImportRefused(problems)

    rows: list[tuple[int, dict]] = []
    for line, cells in table:
        if _blank(cells):
            continue  # spreadsheets keep empty rows below the data
        if len(rows) >= MAX_ROWS:
            raise ImportRefused(
                [Problem(line, f"the file has more than {MAX_ROWS:,} rows: split it.")]
            )
        extra = [c for c in cells[len(columns) :] if not _blank([c])]
        if extra:
            problems.append(
                Problem(line, f"{len(cells)} cells, but the header names {len(columns)} columns.")
            )
            continue
        rows.append((line, dict(zip(columns, cells, strict=False))))
    if not rows and not problems:
        raise ImportRefused(
            [Problem(header_line, "the file has a header but no rows: nothing to import.")]
        )

    if not roles.can_import(user, publish=publish):
        raise ImportRefused(
            [
                Problem(
                    0,
                    "Only reviewers import reports for publication."
                    if publish
                    else "Only economy officers import status reports.",
                )
            ]
        )

    lookups = _lookups(rows, user=user, publish=publish)
    reports, lines, unchanged, blank = [], [], [], []
    seen: dict[tuple, int] = {}
    for line, values in progress(rows, desc="Checking", unit="row", total=len(rows)):
        for column in columns:
            values.setdefault(column, "")
        if _blank([values.get(column, "") for column in STATEMENT_COLUMNS]):
            blank.append(line)
            continue
        report, row_problems = _check_row(values, lookups, publish=publish)
        if report is not None and _is_unchanged(report, lookups):
            unchanged.append(line)
            continue
        if report is not None:
            key = (report.economy.pk, report.commitment_id, report.effective_date)
            if key in seen:
                row_problems.append(
                    f"duplicate row: same economy, commitment and effective date as line "
                    f"{seen[key]}."
                )
            else:
                seen[key] = line
            recorded = lookups.existing.get(
                (*key, report.status, report.evidence),
            )
            if recorded:
                row_problems.append(
                    f"already recorded as report {recorded}, with the same economy, commitment, "
                    "effective date, status and evidence."
                )
        if row_problems:
            problems.extend(Problem(line, message) for message in row_problems)
        else:
            reports.append(report)
            lines.append(line)
    if problems:
        raise ImportRefused(problems)
    return CheckedFile(
        reports=reports, lines=lines, columns=columns, unchanged=unchanged, blank=blank
    )


def import_reports(
    data: bytes,
    *,
    filename: str,
    user: User | None,
    publish: bool = False,
    reviewer: User | None = None,
    dry_run: bool = False,
    progress: Progress = _no_progress,
    change_reason: str = "Imported from a spreadsheet",
) -> ImportResult:
    """Check the whole file, then write every row in one transaction, or nothing.

    Raises ImportRefused listing every problem when any row is bad. A dry run checks the same
    way and writes nothing. user None is the operator running the command on the server.
    publish: a reviewer's rows for publication, submitted for another reviewer to publish, or
    published at once when that other reviewer is named (four-eyes, tracker.services).
    """
    checked = check_file(data, filename=filename, user=user, publish=publish, progress=progress)
    if not dry_run and checked.reports:
        services.reports_create_bulk(
            reports=checked.reports,
            user=user,
            publish=publish,
            reviewer=reviewer,
            progress=progress,
            change_reason=change_reason,
        )
    return ImportResult(
        reports=checked.reports,
        lines=checked.lines,
        dry_run=dry_run,
        publish=publish,
        columns=checked.columns,
        unchanged=checked.unchanged,
        blank=checked.blank,
    )
