"""Create (or reset) the local demo administrator and print its credentials.

For the embedded SQLite site only: it refuses to run unless DEBUG is on.
"""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
DEFAULT_PASSWORD = "soft-law-demo"


class Command(BaseCommand):
    help = "Create the local demo admin (DEBUG only) and print how to log in."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_admin only runs with DEBUG=true: it sets a known password.")
        password = os.environ.get("DEMO_ADMIN_PASSWORD", DEFAULT_PASSWORD)
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"email": "admin@example.org"}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        verb = "Created" if created else "Reset"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} demo admin — user: {USERNAME}  password: {password}")
        )
        self.stdout.write("Log in at /admin/ once the server below is up.")
