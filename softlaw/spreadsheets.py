"""Spreadsheet files, CSV or XLSX, safe to open: what every download and the API's CSV write.

A cell that starts with =, +, -, @, a tab or a carriage return can be run as a formula by a
spreadsheet (OWASP ASVS 5.0, 1.2.10); such a cell gets a leading apostrophe. Every string cell
goes through safe_cell() on the way out, in both formats.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value, with a leading ' when a spreadsheet could read it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _text(value) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def write_csv(columns: Sequence[str], rows: Iterable[dict], *, bom: bool = True) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheets read accents and dashes right (without
    it for the data package, whose readers expect plain UTF-8)."""
    return b"".join(csv_chunks(columns, rows, bom=bom))


def csv_chunks(
    columns: Sequence[str], rows: Iterable[dict], *, bom: bool = True, rows_per_chunk: int = 1000
) -> Iterator[bytes]:
    """write_csv() a few hundred kilobytes at a time, for a download that streams: the rows are
    read as they are written, never all held at once."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    if bom:
        out.write("\ufeff")
    writer.writerow(columns)
    for count, row in enumerate(rows, start=1):
        writer.writerow([safe_cell(_text(row[column])) for column in columns])
        if count % rows_per_chunk == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


# The rows a sheet holds (Excel's limit, 2**20), the header row included.
XLSX_MAX_ROWS = 1_048_576


def write_xlsx(columns: Sequence[str], rows: Iterable[dict], *, title: str) -> bytes:
    """One sheet; dates are date cells (yyyy-mm-dd), every text cell is made safe (openpyxl
    stores a string starting with = as a formula; safe_cell() has put an apostrophe before it).
    Plain values, not cell objects: openpyxl's write-only sheet first tries each value as a
    value, which for a cell object costs an exception and its repr, a third of the time."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    sheet.append(list(columns))
    for row in rows:
        sheet.append([safe_cell(row[column]) for column in columns])
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
