"""Spreadsheet files, CSV or XLSX, safe to open: what every download and the API's CSV write.

A cell that starts with =, +, -, @, a tab or a carriage return can be run as a formula by a
spreadsheet (OWASP ASVS 5.0, 1.2.10); such a cell gets a leading apostrophe. Every string cell
goes through safe_cell() on the way out, in both formats.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

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
