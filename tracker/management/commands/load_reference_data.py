"""Load the project's own sourced reference data (reference_data/*.csv) into the database.

Idempotent: a record is written only when it is new or its values differ, so a second run
changes nothing. A reference report is matched on everything it states. On a database that holds
an earlier version of the reference data (reports published by this command: no one entered or
reviewed them):

- a report listed in retired.csv (made by an earlier version of the rules) is withdrawn with the
  reason given there: kept, with its history, and out of every figure;
- a report whose status, dates and origin are unchanged but whose evidence or source is not
  (a mirror address replaced by the original page) is corrected in place, the change kept in its
  history: what it states about the economy is the same;
- any other new row becomes a new published report.
"""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from economies.models import Economy
from instruments.models import Commitment, Forum, Instrument, Theme
from tracker.current_status import current_status_refresh
from tracker.models import STATEMENT_FIELDS, Origin, ReviewState, StatusReport

DEFAULT_DIR = Path(settings.BASE_DIR) / "reference_data"


def read_rows(directory: Path, name: str) -> list[dict[str, str]]:
    """The rows of one of the reference data's CSV files, as the command reads them."""
    path = directory / name
    if not path.exists():
        raise CommandError(f"{path} is missing")
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _yes(value: str) -> bool:
    return value.strip().lower() in {"yes", "true", "1"}


CORRECTION_REASON = "Reference data correction: evidence and source as now published"


class Counter:
    def __init__(self):
        self.created = self.updated = self.unchanged = self.withdrawn = 0

    def __str__(self):
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        return text + (f", {self.withdrawn} withdrawn" if self.withdrawn else "")


def upsert(model, counter: Counter, lookup: dict, values: dict):
    """Create or update one record, saving only when something differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        counter.created += 1
        return obj
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        counter.updated += 1
    else:
        counter.unchanged += 1
    return obj


class Command(BaseCommand):
    help = "Load the sourced reference data shipped in reference_data/ (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=DEFAULT_DIR)

    def handle(self, *args, directory: Path, **options):
        try:
            with transaction.atomic():
                counts = self.load(directory)
        except ValidationError as exc:
            raise CommandError(f"reference data is invalid: {exc}") from exc
        for name, counter in counts.items():
            self.stdout.write(f"{name}: {counter}")

    def load(self, directory: Path) -> dict[str, Counter]:
        counts = {
            name: Counter()
            for name in ("economies", "forums", "themes", "instruments", "commitments", "reports")
        }

        for row in read_rows(directory, "economies.csv"):
            upsert(
                Economy,
                counts["economies"],
                {"code": row["code"]},
                {
                    "iso_alpha2": row["iso_alpha2"],
                    "name": row["name"],
                    "iso_short_name": row["iso_short_name"],
                    "year_joined": int(row["year_joined"]),
                    "region": row["region"],
                    "subregion": row["subregion"],
                    "grid_row": int(row["grid_row"]),
                    "grid_col": int(row["grid_col"]),
                    "source_url": row["source_url"],
                    "notes": row["notes"],
                },
            )

        forum_rows = read_rows(directory, "forums.csv")
        forums = {}
        for row in forum_rows:  # first pass without parents, which may come later in the file
            forums[row["short_name"]] = upsert(
                Forum,
                counts["forums"],
                {"short_name": row["short_name"]},
                {
                    "name": row["name"],
                    "is_apec_body": _yes(row["is_apec_body"]),
                    "established_year": int(row["established_year"])
                    if row["established_year"]
                    else None,
                    "mandate": row["mandate"],
                    "source_url": row["source_url"],
                    "notes": row["notes"],
                },
            )
        for row in forum_rows:
            forum = forums[row["short_name"]]
            parent = forums[row["parent"]] if row["parent"] else None
            if forum.parent_id != (parent.pk if parent else None):
                forum.parent = parent
                forum.save(update_fields=["parent"])

        themes = {}
        for row in read_rows(directory, "themes.csv"):
            themes[row["slug"]] = upsert(
                Theme,
                counts["themes"],
                {"slug": row["slug"]},
                {"name": row["name"], "description": row["description"]},
            )

        instrument_rows = read_rows(directory, "instruments.csv")
        instruments = {}
        for row in instrument_rows:
            instrument = upsert(
                Instrument,
                counts["instruments"],
                {"slug": row["slug"]},
                {
                    "short_name": row["short_name"],
                    "title": row["title"],
                    "kind": row["kind"],
                    "adopted_on": _date(row["adopted_on"]),
                    "adopted_precision": row["adopted_precision"],
                    "adoption_note": row["adoption_note"],
                    "adopting_body": row["adopting_body"],
                    "forum": forums[row["forum"]] if row["forum"] else None,
                    "summary": row["summary"],
                    "source_url": row["source_url"],
                    "is_apec_instrument": _yes(row["is_apec_instrument"]),
                    "notes": row["notes"],
                },
            )
            wanted = {themes[slug].pk for slug in row["themes"].split(";") if slug}
            if set(instrument.themes.values_list("pk", flat=True)) != wanted:
                instrument.themes.set(wanted)
            instruments[row["slug"]] = instrument
        for row in instrument_rows:
            instrument = instruments[row["slug"]]
            successor = instruments[row["superseded_by"]] if row["superseded_by"] else None
            if instrument.superseded_by_id != (successor.pk if successor else None):
                instrument.superseded_by = successor
                instrument.save(update_fields=["superseded_by"])

        commitment_rows = read_rows(directory, "commitments.csv")
        commitments = {}
        for row in commitment_rows:
            commitments[row["code"]] = upsert(
                Commitment,
                counts["commitments"],
                {"code": row["code"]},
                {
                    "instrument": instruments[row["instrument"]],
                    "title": row["title"],
                    "description": row["description"],
                    "order": int(row["order"]),
                    "weight": Decimal(row["weight"]),
                    "scope": row["scope"],
                    "target_date": _date(row.get("target_date", "")),
                    "source_url": row["source_url"],
                    "source_note": row["source_note"],
                },
            )
        for row in commitment_rows:
            commitment = commitments[row["code"]]
            wanted = {commitments[code].pk for code in row["prerequisites"].split(";") if code}
            if set(commitment.prerequisites.values_list("pk", flat=True)) != wanted:
                commitment.prerequisites.set(wanted)

        self.load_reports(directory, commitments, counts["reports"])
        return counts

    def load_reports(self, directory: Path, commitments: dict, counter: Counter) -> None:
        economies = {e.code: e for e in Economy.objects.all()}
        now = timezone.now()
        # Reports this command published: no one entered or reviewed them.
        reference = StatusReport.objects.published().filter(
            entered_by__isnull=True,
            reviewed_by__isnull=True,
            origin__in=[Origin.SECRETARIAT, Origin.INDEPENDENT],
        )

        retired_path = directory / "retired.csv"
        for row in read_rows(directory, "retired.csv") if retired_path.exists() else []:
            if row["economy"] not in economies or row["commitment"] not in commitments:
                continue
            for report in reference.filter(
                economy=economies[row["economy"]],
                commitment=commitments[row["commitment"]],
                status=row["status"],
                effective_date=_date(row["effective_date"]),
            ):
                report.review_state = ReviewState.WITHDRAWN
                report.withdrawn_reason = row["reason"]
                report.withdrawn_at = now
                report.version += 1
                report._change_reason = f"Withdrawn: {row['reason']}"[:100]
                # Saved through the model: the history keeps it, and the signals take it out of
                # the current statuses and year-end sums.
                report.save()
                counter.withdrawn += 1

        # Everything a reference report states; one already stated is not loaded again.
        statement_fields = ("economy_id", "commitment_id", *STATEMENT_FIELDS)
        existing = set(StatusReport.objects.published().values_list(*statement_fields))
        # What a correction may keep: the same statement about the economy.
        meaning = (
            "economy_id",
            "commitment_id",
            "status",
            "effective_date",
            "target_date",
            "origin",
        )
        correctable: dict[tuple, list[StatusReport]] = {}
        for report in reference.order_by("pk"):
            correctable.setdefault(tuple(getattr(report, f) for f in meaning), []).append(report)

        # An independent assessment already recorded by `import_unctad` (same assessor, snapshot
        # and statement, other wording) is not recorded twice.
        assessed = set(
            StatusReport.objects.published()
            .filter(origin=Origin.INDEPENDENT)
            .values_list(*meaning, "assessor", "assessed_on")
        )

        new_reports = []
        for row in read_rows(directory, "reports.csv"):
            report = StatusReport(
                economy=economies[row["economy"]],
                commitment=commitments[row["commitment"]],
                status=row["status"],
                effective_date=_date(row["effective_date"]),
                target_date=_date(row["target_date"]),
                evidence=row["evidence"],
                source_urls=row["source_url"],
                origin=row["origin"] or Origin.SECRETARIAT,
                assessor=row.get("assessor", ""),
                assessed_on=_date(row.get("assessed_on", "")),
                review_state=ReviewState.PUBLISHED,
                submitted_at=now,
                published_at=now,
            )
            key = tuple(getattr(report, field) for field in statement_fields)
            assessment = (
                *(getattr(report, f) for f in meaning),
                report.assessor,
                report.assessed_on,
            )
            if key in existing or assessment in assessed:
                counter.unchanged += 1
                continue
            # The database enforces the check constraints; validating them here costs a query each.
            report.full_clean(validate_constraints=False)
            existing.add(key)
            earlier = correctable.get(tuple(getattr(report, f) for f in meaning))
            if earlier:
                old = earlier.pop(0)
                old.evidence, old.source_urls = report.evidence, report.source_urls
                old.assessor, old.assessed_on = report.assessor, report.assessed_on
                old.version += 1
                old._change_reason = CORRECTION_REASON
                old.save()
                counter.updated += 1
                continue
            new_reports.append(report)
        bulk_create_with_history(
            new_reports,
            StatusReport,
            batch_size=500,
            default_change_reason="Reference data",
            default_date=now,
        )
        # Bulk creation sends no signals: bring the current status of the new cells up to date.
        current_status_refresh(pairs={(r.economy_id, r.commitment_id) for r in new_reports})
        counter.created += len(new_reports)
