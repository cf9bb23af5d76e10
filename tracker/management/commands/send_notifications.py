"""Send the tracker's email notices: run it every few minutes from cron or a systemd timer.

Records the reporting rounds' notices due today (opened, a week before the deadline, missed),
then sends every notice waiting. Each notice goes once; one the mail server did not take waits
for the next run. Exits with status 1 when a notice could not be sent, so that the timer's log
shows the failure.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from tracker import notices


class Command(BaseCommand):
    help = "Send the email notices waiting (reviews, returns, publications, reporting rounds)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="The date the rounds' notices are due on (YYYY-MM-DD; default: today).",
        )
        parser.add_argument("--limit", type=int, default=None, help="Send at most this many.")

    def handle(self, *args, today=None, limit=None, **options):
        recorded = notices.round_notices_enqueue(on=today)
        result = notices.send_pending(limit=limit)
        self.stdout.write(
            f"{recorded} round notice(s) recorded; {result.sent} sent, {result.skipped} skipped "
            f"(notices turned off), {result.failed} failed, {result.waiting} waiting."
        )
        if result.failed:
            raise CommandError(
                f"{result.failed} notice(s) could not be sent; they are retried on the next run."
            )
