"""Write everything the tracker holds to one file, for `manage.py restore` on any database.

    manage.py backup /var/backups/tracker/2026-11-28.xml.gz

Economies, instruments and commitments; every status report, published or draft, with its
full history; the current-status table; people, their groups, economies and API tokens; and the
admin's log. Left out: what Django rebuilds by itself (content types, permissions) and what is
short-lived (sessions, failed sign-in records). A name ending .gz, .bz2 or .xz is compressed.

Django's XML format, because its JSON format cuts times to the millisecond: the API shows
microseconds (updated_at, published_at), and a restore must give back exactly the same output.
The same file restores into SQLite or PostgreSQL; for PostgreSQL alone, pg_dump/pg_restore
works as well (docs/deployment.md)."""

import re

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# App labels or app_label.Model names that are not backed up.
LEFT_OUT = ["contenttypes", "auth.permission", "sessions", "axes"]


class Command(BaseCommand):
    help = "Back up the tracker's data to a file (XML, optionally compressed)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="file to write: .xml, .xml.gz, .xml.bz2 or .xml.xz")

    def handle(self, *args, path, **options):
        if not re.search(r"\.xml(\.(gz|bz2|xz))?$", path):
            raise CommandError(f"Name the backup .xml or .xml.gz (.bz2, .xz), not {path!r}.")
        call_command(
            "dumpdata",
            format="xml",
            natural_foreign=True,
            exclude=LEFT_OUT,
            output=path,
            verbosity=0,
        )
        self.stdout.write(f"Backed up to {path}.")
