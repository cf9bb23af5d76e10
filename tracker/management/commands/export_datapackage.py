"""Write the published dataset as a Frictionless Data Package (a ZIP), as /data/ offers it."""

from pathlib import Path

from django.core.management.base import BaseCommand

from tracker import datapackage


class Command(BaseCommand):
    help = "Write the whole published dataset as a Frictionless Data Package ZIP to OUT."

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path, help="The ZIP file to write.")

    def handle(self, *args, out: Path, **options):
        with out.open("wb") as file:
            datapackage.write(file)
        self.stdout.write(f"Wrote {out} ({out.stat().st_size:,} bytes).")
