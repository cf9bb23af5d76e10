"""Refresh the independent assessments from a new snapshot of UNCTAD's Global Cyberlaw Tracker.

Reads UNCTAD's two published files (data.csv and document_links.json), maps every APEC entry by
rule R5 (tracker.unctad, the same module the reference data is built with), and adds a report
only where the mapped status differs from the latest UNCTAD assessment recorded for that economy
and commitment. The rows go through the one import pipeline (tracker.importing), so a problem
in any row writes nothing. The reports are published with origin "independent", assessor
"UNCTAD Global Cyberlaw Tracker" and the snapshot date: entered by --user (who ran the import)
and published by --reviewer (a reviewer, another person).
"""

import csv
import datetime
import io
from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from instruments.models import Commitment
from softlaw import clock
from tracker import importing, roles, unctad
from tracker.models import Origin, Status, StatusReport


def _snapshot_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--snapshot-date {text!r} is not a date written YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Add the changes in a new UNCTAD Global Cyberlaw Tracker snapshot as published "
        "independent assessments: DATA.csv and LINKS.json are UNCTAD's data.csv and "
        "document_links.json. Only statuses that changed since the last UNCTAD snapshot in the "
        "database become reports; a malformed file is refused whole."
    )

    def add_arguments(self, parser):
        parser.add_argument("data_csv", type=Path, help="UNCTAD's data.csv")
        parser.add_argument("links_json", type=Path, help="UNCTAD's document_links.json")
        parser.add_argument(
            "--snapshot-date", required=True, help="the snapshot's date, YYYY-MM-DD"
        )
        parser.add_argument("--dry-run", action="store_true", help="print the changes, write none")
        parser.add_argument("--user", metavar="USERNAME", help="who enters the reports")
        parser.add_argument(
            "--reviewer", metavar="USERNAME", help="the reviewer who publishes them (not --user)"
        )
        parser.add_argument(
            "--source-url",
            default=unctad.TRACKER_URL,
            help="where the snapshot's files are published (each report's source)",
        )

    def _user(self, username: str | None, option: str) -> User:
        if not username:
            raise CommandError(f"{option} is required (unless --dry-run).")
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user is called {username!r}.")
        return user

    def handle(self, *args, data_csv, links_json, snapshot_date, dry_run, user, reviewer, **opts):
        snapshot = _snapshot_date(snapshot_date)
        if snapshot > clock.today():
            raise CommandError(f"--snapshot-date {snapshot} is in the future.")
        entered_by = published_by = None
        if not dry_run:
            entered_by = self._user(user, "--user")
            published_by = self._user(reviewer, "--reviewer")
            if entered_by.pk == published_by.pk:
                raise CommandError("--reviewer must be another person than --user (four eyes).")
            for person in (entered_by, published_by):
                if not roles.is_reviewer(person):
                    raise CommandError(
                        f"{person.username} is not a reviewer: only reviewers import reports "
                        "for publication."
                    )
        try:
            entries = unctad.read_snapshot(
                data_csv.read_bytes(),
                links_json.read_bytes(),
                csv_name=data_csv.name,
                json_name=links_json.name,
            )
        except OSError as exc:
            raise CommandError(f"Cannot read {exc.filename}: {exc.strerror}.") from None
        except unctad.UnctadFileError as exc:
            raise CommandError(f"{exc}; nothing was imported.") from None

        latest = self._latest_assessments()
        newest = max((r.assessed_on for r in latest.values() if r.assessed_on), default=None)
        if newest is not None and snapshot < newest:
            raise CommandError(
                f"The database already holds the UNCTAD snapshot of {newest}; {snapshot} is older."
            )
        commitments = {
            c.code: c
            for c in Commitment.objects.filter(
                code__in={code for code, _, _ in unctad.MAPPING.values()}
            )
        }
        dated_from = self._dated_from()

        rows, changes = [], []
        for entry in entries:
            code = unctad.commitment_for(entry.area)
            if code is None or code not in commitments:
                continue
            previous = latest.get((entry.economy, code))
            mapped = unctad.map_entry(
                entry,
                snapshot=snapshot,
                caveat=unctad.automatic_caveat(entry),
                # The UNCITRAL date only dates the first assessment of a cell.
                dated_from=dated_from.get(entry.economy) if previous is None else None,
            )
            if mapped is None or (previous is not None and previous.status == mapped.status):
                continue
            target = commitments[code].target_date
            rows.append(
                {
                    "economy": mapped.economy,
                    "commitment": mapped.commitment,
                    "status": mapped.status,
                    "effective_date": mapped.effective_date.isoformat(),
                    "evidence": mapped.evidence,
                    "source_url": opts["source_url"],
                    # Rule R6: the commitment's deadline, on a report dated on or before it.
                    "target_date": target.isoformat()
                    if target and mapped.effective_date <= target
                    else "",
                    "origin": Origin.INDEPENDENT,
                    "assessor": unctad.ASSESSOR,
                    "assessed_on": snapshot.isoformat(),
                }
            )
            was = Status(previous.status).label if previous else "no UNCTAD assessment"
            changes.append(
                f"{mapped.economy} {mapped.commitment}: {was} → {Status(mapped.status).label} "
                f"from {mapped.effective_date} ({entry.area}: {entry.word})"
            )

        for change in changes:
            self.stdout.write(change)
        if not rows:
            self.stdout.write("No change since the last UNCTAD snapshot; nothing to import.")
            return

        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        try:
            importing.import_reports(
                buffer.getvalue().encode(),
                filename="unctad.csv",
                user=entered_by,
                reviewer=published_by,
                # A dry run without the two people checks the rows as the operator's drafts.
                publish=entered_by is not None,
                dry_run=dry_run,
                change_reason=f"UNCTAD Global Cyberlaw Tracker snapshot of {snapshot}",
            )
        except importing.ImportRefused as exc:
            for problem in exc.problems:
                self.stderr.write(f"{problem}")
            raise CommandError(f"{len(exc.problems)} problem(s); nothing was imported.") from None
        except PermissionDenied as exc:
            raise CommandError(f"{exc} Nothing was imported.") from None
        if dry_run:
            self.stdout.write(
                f"Dry run: {len(rows)} report(s) would be added; nothing was written."
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Added {len(rows)} published report(s)."))

    def _latest_assessments(self) -> dict[tuple[str, str], StatusReport]:
        """The latest published UNCTAD assessment of each (economy code, commitment code)."""
        latest = {}
        reports = (
            StatusReport.objects.published()
            .filter(
                origin=Origin.INDEPENDENT,
                assessor=unctad.ASSESSOR,
            )
            .select_related("economy", "commitment")
            .order_by("assessed_on", "effective_date", "published_at", "pk")
        )
        for report in reports:
            latest[(report.economy.code, report.commitment.code)] = report
        return latest

    def _dated_from(self) -> dict[str, datetime.date]:
        """Each economy's first implemented published report on the commitment that dates an
        Electronic Transactions entry (rule R5)."""
        first: dict[str, datetime.date] = {}
        codes = set(unctad.DATED_BY.values())
        reports = (
            StatusReport.objects.published()
            .filter(
                status=Status.IMPLEMENTED,
                commitment__code__in=codes,
            )
            .order_by("-effective_date")
        )
        for code, effective in reports.values_list("economy__code", "effective_date"):
            first[code] = effective
        return first
