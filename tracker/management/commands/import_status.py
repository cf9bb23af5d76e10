"""Import status reports from a CSV or XLSX file, all rows or none (see tracker.importing)."""

from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tracker import importing, roles


class Command(BaseCommand):
    help = (
        "Import status reports from a spreadsheet (.csv in UTF-8, or .xlsx) with the columns "
        "economy, commitment, status, effective_date, evidence, source_url and optionally "
        "target_date and origin. Every row is checked first; a file with one bad row writes "
        "nothing and every problem is listed with its line number. Rows become drafts of the "
        "importing officer (--user), or of the operator of this server for any economy without "
        "--user. With --publish (secretariat research) they are published at once: --user names "
        "the reviewer who entered them and --reviewer a second reviewer who publishes them, "
        "as no one publishes what they entered."
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
            help="publish the rows at once; needs --user and --reviewer, two reviewers",
        )
        parser.add_argument(
            "--reviewer",
            metavar="USERNAME",
            help="with --publish: the second reviewer, who publishes what --user entered",
        )

    def handle(
        self,
        *args,
        file: Path,
        dry_run: bool,
        user: str | None,
        publish: bool,
        reviewer: str | None,
        **opts,
    ):
        importer = _active_user(user) if user is not None else None
        publisher = None
        if publish:
            if importer is None or reviewer is None:
                raise CommandError(
                    "--publish needs --user (the reviewer entering the rows) and --reviewer "
                    "(a second reviewer, who publishes them). Nothing was imported."
                )
            publisher = _active_user(reviewer)
            if not roles.is_reviewer(publisher):
                raise CommandError(f"{reviewer} is not a reviewer. Nothing was imported.")
            if publisher.pk == importer.pk:
                raise CommandError(f"{roles.FOUR_EYES_MESSAGE} Nothing was imported.")
        elif reviewer is not None:
            raise CommandError("--reviewer publishes: it goes with --publish.")
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
                reviewer=publisher,
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
        who = (
            f", entered by {importer.get_username()} and published by {reviewer}" if publish else ""
        )
        if result.unchanged:
            self.stdout.write(
                f"{len(result.unchanged)} row(s) unchanged from the published status: skipped."
            )
        if dry_run:
            self.stdout.write(
                f"Dry run: {result.count} row(s) of {file.name} are valid and would become "
                f"{state} reports{who}; nothing was written."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {result.count} row(s) of {file.name} as {state} reports{who}."
                )
            )


def _active_user(username: str) -> User:
    found = User.objects.filter(username=username, is_active=True).first()
    if found is None:
        raise CommandError(f"No active user is called {username!r}.")
    return found
