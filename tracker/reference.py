"""What the methodology page and the data package say about the reference data's mapping rules
and external sources, read from the files the reference data's build script writes beside the
data (reference_data/rules.csv and sources.csv), so that the page cannot drift from the data.

rules.csv: code,title,text — one mapping rule a row (R1, R2, …).
sources.csv: name,url,snapshot_date,used_for,report_count — one external source a row.

A missing file is no rules or no sources (the page leaves the section out); a file that does not
have its columns is an error, raised as ValueError naming the file.
"""

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

RULE_COLUMNS = ("code", "title", "text")
SOURCE_COLUMNS = ("name", "url", "snapshot_date", "used_for", "report_count")


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    text: str


@dataclass(frozen=True)
class Source:
    name: str
    url: str
    snapshot_date: datetime.date | None
    used_for: str
    report_count: int


def reference_dir() -> Path:
    return Path(getattr(settings, "REFERENCE_DATA_DIR", Path(settings.BASE_DIR) / "reference_data"))


def _rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8-sig") as file:
        reader = csv.DictReader(file)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path.name} lacks the column(s) {', '.join(missing)}")
        return [{c: (row[c] or "").strip() for c in columns} for row in reader]


def rules_read(*, directory: Path | None = None) -> list[Rule]:
    """The mapping rules, in the file's order."""
    rows = _rows((directory or reference_dir()) / "rules.csv", RULE_COLUMNS)
    return [Rule(**row) for row in rows if row["code"]]


def sources_read(*, directory: Path | None = None) -> list[Source]:
    """The external sources with their snapshot dates, in the file's order."""
    rows = _rows((directory or reference_dir()) / "sources.csv", SOURCE_COLUMNS)
    sources = []
    for number, row in enumerate(rows, start=2):
        if not row["name"]:
            continue
        try:
            snapshot = (
                datetime.date.fromisoformat(row["snapshot_date"]) if row["snapshot_date"] else None
            )
            count = int(row["report_count"] or 0)
        except ValueError as exc:
            raise ValueError(f"sources.csv line {number}: {exc}") from None
        sources.append(
            Source(
                name=row["name"],
                url=row["url"],
                snapshot_date=snapshot,
                used_for=row["used_for"],
                report_count=count,
            )
        )
    return sources
