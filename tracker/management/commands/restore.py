"""Load a file written by `manage.py backup` into an empty, migrated database.

    manage.py migrate && manage.py restore /var/backups/tracker/2026-11-28.xml.gz

All or nothing: the load runs in one transaction, so a damaged file changes nothing. It refuses a
database that already holds economies, reports or people, rather than mixing two datasets."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from economies.models import Economy
from tracker import as_of
from tracker.models import StatusReport


class Command(BaseCommand):
    help = "Restore a backup (manage.py backup) into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file written by manage.py backup")

    def handle(self, *args, path, **options):
        held = {
            "economies": Economy.objects.count(),
            "status reports": StatusReport.objects.count(),
            "people": get_user_model().objects.count(),
        }
        if any(held.values()):
            listed = ", ".join(f"{count} {name}" for name, count in held.items() if count)
            raise CommandError(
                f"This database is not empty ({listed}): restore only into a freshly migrated "
                "database, so that nothing is mixed or overwritten."
            )
        try:
            # The backup holds the history itself; django-simple-history would otherwise add an
            # entry as each record's many-to-many links (an economy's officers) are set.
            with override_settings(SIMPLE_HISTORY_ENABLED=False), transaction.atomic():
                call_command("loaddata", path, verbosity=0)
                # A backup made before reports carried until when they were current holds
                # none of it: derived from the published reports, as the migration does.
                as_of.positions_rebuild()
        except Exception as error:  # loaddata wraps bad files in several exception types
            raise CommandError(
                f"{path} could not be restored, nothing was changed: {error}"
            ) from error
        self.stdout.write(
            f"Restored {path}: {Economy.objects.count()} economies, "
            f"{StatusReport.objects.count()} status reports, "
            f"{get_user_model().objects.count()} people."
        )
