"""Revoke the API tokens of one or more people (a leaked token, someone who has left).

    manage.py revoke_api_tokens USERNAME [USERNAME ...]

The token stops working on the next request; a new one can be issued in the admin. The
secretariat can also delete tokens in the admin (Auth Token → Tokens)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Revoke the API tokens of the named users."

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="+")

    def handle(self, *args, usernames, **options):
        users = get_user_model().objects.filter(username__in=usernames)
        missing = sorted(set(usernames) - {user.username for user in users})
        if missing:
            raise CommandError(f"No user named {', '.join(map(repr, missing))}: nothing revoked.")
        deleted, _ = Token.objects.filter(user__in=users).delete()
        self.stdout.write(f"Revoked {deleted} token(s) of {', '.join(sorted(usernames))}.")
