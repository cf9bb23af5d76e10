"""Import status reports from a CSV or XLSX file, all rows or none (see tracker.importing)."""

from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tracker import importing


class Command(BaseCommand):
    help = (
        "Import status reports from a spreadsheet (.csv in UTF-8, or .xlsx) with the columns "
        "economy, commitment, status, effective_date, evidence, source_url and optionally "
        "target_date, origin, assessor and assessed_on. Every row is checked first; a file "
        "with one bad row writes nothing and every problem is listed with its line number. "
        "Rows become drafts of the importing officer, or published reports when a reviewer "
        "imports with --publish. "
        "Without --user the import is made by the operator of this server, for any economy."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the .csv or .xlsx file to import")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="import as this user: an officer (drafts) or a reviewer (with --publish)",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publish the rows at once (reviewers only)",
        )

    def handle(self, *args, file: Path, dry_run: bool, user: str | None, publish: bool, **opts):
        importer = None
        if user is not None:
            importer = User.objects.filter(username=user, is_active=True).first()
            if importer is None:
                raise CommandError(f"No active user is called {user!r}.")
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}.") from None

        show_bar = opts.get("verbosity", 1) > 0
        stream = getattr(self.stderr, "_out", self.stderr)

        def progress(iterable, **kwargs):
            return tqdm(iterable, file=stream, disable=not show_bar, **kwargs)

        try:
            result = importing.import_reports(
                data,
                filename=file.name,
                user=importer,
                publish=publish,
                dry_run=dry_run,
                progress=progress,
            )
        except importing.ImportRefused as exc:
            for problem in exc.problems:
                self.stderr.write(f"{file.name}: {problem}")
            raise CommandError(
                f"{len(exc.problems)} problem(s) in {file.name}; nothing was imported."
            ) from None
        except PermissionDenied as exc:
            raise CommandError(f"{exc} Nothing was imported.") from None

        state = "published" if publish else "draft"
        if dry_run:
            self.stdout.write(
                f"Dry run: {result.count} row(s) of {file.name} are valid and would become "
                f"{state} reports; nothing was written."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {result.count} row(s) of {file.name} as {state} reports."
                )
            )
