"""Email notices: what happened, to whom, recorded once; sent by `manage.py send_notifications`.

The review workflow (tracker.services) records a notice in the same transaction as the change
it announces, so a change that is rolled back announces nothing: a report submitted goes to the
reviewers (never to the one who wrote it: they may not publish it), returned (with the note) or
published to its officer. The command adds the rounds' notices (opened, seven days before the
deadline, missed) for the officers of economies with unanswered commitments, then sends every
notice waiting. One row per recipient and event (a unique constraint) means a notice is never
recorded twice; a row is marked sent only once the mail server took it, so a server that fails
loses nothing: the notice waits for the next run. Plain text, with a link to the page to act on.
"""

import datetime
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from economies.models import Economy
from softlaw import clock
from tracker import rounds
from tracker.models import (
    Notice,
    NoticePreference,
    NoticeState,
    ReportingRound,
    ReviewState,
    StatusReport,
)

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[Soft-Law Tracker] "
REMINDER_DAYS = 7
# How long after a round closes its "missed" notice is still worth sending (a command that did
# not run for a while does not announce rounds missed long ago).
MISSED_NOTICE_DAYS = 7


def site_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _footer() -> str:
    return (
        "\n\n--\nYou receive this because of your role in the Soft-Law Tracker. "
        f"Turn these notices off on your profile: {site_link(reverse('notice_settings'))}\n"
    )


def wants_notices(users: Iterable[User]) -> list[User]:
    """The users, less those without an address or who turned notices off."""
    users = [u for u in users if u.is_active and u.email]
    off = set(
        NoticePreference.objects.filter(user__in=users, email_notices=False).values_list(
            "user_id", flat=True
        )
    )
    return [u for u in users if u.pk not in off]


def enqueue(*, recipients: Iterable[User], event: str, subject: str, body: str) -> int:
    """Record one notice per recipient for an event; a recipient already told of it, or who
    turned notices off, gets none. Returns how many were recorded."""
    people = wants_notices(set(recipients))
    if not people:
        return 0
    already = set(
        Notice.objects.filter(event=event, recipient__in=people).values_list(
            "recipient_id", flat=True
        )
    )
    new = [
        Notice(recipient=user, event=event, subject=SUBJECT_PREFIX + subject, body=body + _footer())
        for user in people
        if user.pk not in already
    ]
    # ignore_conflicts: a concurrent run that recorded the same notice first wins, once.
    Notice.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


# --- the review workflow ------------------------------------------------------------------------


def reviewers() -> Iterable[User]:
    return User.objects.with_perm(
        "tracker.publish_statusreport",
        include_superusers=False,
        backend="django.contrib.auth.backends.ModelBackend",
    )


def officers_of_report(report: StatusReport) -> list[User]:
    """Who hears about a report's review: those who wrote it, while they are still officers
    of its economy; when none is, the economy's officers."""
    officers = report.economy.officers.filter(is_active=True)
    writers = list(
        officers.filter(pk__in=[report.entered_by_id, report.last_changed_by_id]).distinct()
    )
    return writers or list(officers)


def _report_line(report: StatusReport) -> str:
    return (
        f"{report.economy.name}, {report.commitment.code} ({report.commitment.title}): "
        f"{report.get_status_display()} from {report.effective_date:%d %B %Y}"
    )


def _report_link(report: StatusReport) -> str:
    return site_link(reverse("admin:tracker_statusreport_change", args=[report.pk]))


def _report_notice(
    *,
    report: StatusReport,
    recipients: Iterable[User],
    event: str,
    subject: str,
    news: str,
    then: str,
    note: str | None = None,
) -> int:
    """A notice about one report: what happened to it (news) and the report, the reviewer's
    note where there is one, and what to do next (then) with the link to the report."""
    body = f"{news}:\n\n  {_report_line(report)}\n\n"
    if note is not None:
        body += f"The reviewer's note:\n\n  {note}\n\n"
    return enqueue(
        recipients=recipients,
        event=f"report:{report.pk}:{event}",
        subject=f"{subject}: {report.economy.name}, {report.commitment.code}",
        body=f"{body}{then}: {_report_link(report)}",
    )


def report_submitted(*, report: StatusReport) -> int:
    """A report was submitted: every reviewer but those who wrote it (four-eyes)."""
    people = [
        u for u in reviewers() if u.pk not in (report.entered_by_id, report.last_changed_by_id)
    ]
    return _report_notice(
        report=report,
        recipients=people,
        event=f"submitted:{report.version}",
        subject="To review",
        news="A status report was submitted for review",
        then="Publish it or return it with a note",
    )


def report_returned(*, report: StatusReport) -> int:
    return _report_notice(
        report=report,
        recipients=officers_of_report(report),
        event=f"returned:{report.version}",
        subject="Returned",
        news="A reviewer returned your status report",
        note=report.review_note,
        then="Change it and submit it again",
    )


def report_published(*, report: StatusReport) -> int:
    return _report_notice(
        report=report,
        recipients=officers_of_report(report),
        event="published",
        subject="Published",
        news="Your status report was published",
        then="It now counts in the public figures",
    )


def reports_imported(*, reports: list[StatusReport]) -> int:
    """A spreadsheet wrote reports in bulk: one notice for the whole file rather than one per
    row. Rows sent for publication → every reviewer but the one who entered them; rows published
    at once (the operator's command, two reviewers named) → the officers of each economy, one
    notice per economy. Drafts tell no one."""
    submitted = [r for r in reports if r.review_state == ReviewState.SUBMITTED]
    published = [r for r in reports if r.is_published]
    recorded = 0
    if submitted:
        entered_by = submitted[0].entered_by_id
        economies = sorted({r.economy.name for r in submitted})
        recorded += enqueue(
            recipients=[u for u in reviewers() if u.pk != entered_by],
            event=f"import:{submitted[0].pk}-{submitted[-1].pk}:submitted",
            subject=f"To review: {len(submitted)} imported report(s)",
            body=(
                f"{len(submitted)} status report(s) imported from a spreadsheet wait for review "
                f"({', '.join(economies)}).\n\nPublish or return them: "
                + site_link(reverse("review_queue"))
            ),
        )
    by_economy: dict[int, list[StatusReport]] = {}
    for report in published:
        by_economy.setdefault(report.economy_id, []).append(report)
    for economy_reports in by_economy.values():
        economy = economy_reports[0].economy
        lines = "\n".join(f"  {_report_line(r)}" for r in economy_reports[:20])
        more = len(economy_reports) - 20
        recorded += enqueue(
            recipients=economy.officers.filter(is_active=True),
            event=f"import:{economy_reports[0].pk}-{economy_reports[-1].pk}:published",
            subject=f"Published: {len(economy_reports)} report(s) on {economy.name}",
            body=(
                f"The secretariat published {len(economy_reports)} status report(s) on "
                f"{economy.name}:\n\n{lines}"
                + (f"\n  … and {more} more" if more > 0 else "")
                + "\n\nThey now count in the public figures: "
                + site_link(reverse("workspace"))
            ),
        )
    return recorded


# --- reporting rounds ---------------------------------------------------------------------------

ROUND_EVENTS = ("opened", "reminder", "missed")


def round_events_due(round: ReportingRound, *, on: datetime.date) -> list[str]:
    """Which of the round's notices are due on a date: opened while it is open; the reminder
    from seven days before the deadline to the deadline; missed in the week after it closed."""
    due = []
    if round.opens_on <= on <= round.closes_on:
        due.append("opened")
    if round.deadline - datetime.timedelta(days=REMINDER_DAYS) <= on <= round.deadline:
        due.append("reminder")
    if round.closes_on < on <= round.closes_on + datetime.timedelta(days=MISSED_NOTICE_DAYS):
        due.append("missed")
    return due


def _round_body(kind: str, progress: rounds.EconomyProgress, round: ReportingRound) -> str:
    economy = progress.economy.name
    opening = {
        "opened": (
            f"The reporting round “{round.name}” is open, from {round.opens_on:%d %B %Y} to its "
            f"deadline on {round.deadline:%d %B %Y}."
        ),
        "reminder": (
            f"The deadline of the reporting round “{round.name}” is {round.deadline:%d %B %Y}, "
            "in a week or less."
        ),
        "missed": (
            f"The reporting round “{round.name}” closed on {round.closes_on:%d %B %Y}. "
            "Answers submitted now still count, as late."
        ),
    }[kind]
    missing = "\n".join(f"  - {c.code}: {c.title}" for c in progress.missing_commitments)
    return (
        f"{opening}\n\n{economy} has not answered {progress.missing} of the "
        f"{progress.asked} commitments it asks:\n\n{missing}\n\n"
        "Report an update, or confirm that a status is unchanged, in your workspace: "
        f"{site_link(reverse('admin:index'))}\n"
        f"The round's public page: {site_link(round.get_absolute_url())}"
    )


ROUND_SUBJECTS = {
    "opened": "Reporting round open: {round} ({economy})",
    "reminder": "Deadline in a week: {round} ({economy})",
    "missed": "Deadline missed: {round} ({economy})",
}


def round_notices_enqueue(*, on: datetime.date | None = None) -> int:
    """Record the rounds' notices due on a date (today by default) for the officers of each
    economy with unanswered commitments. Returns how many were recorded."""
    on = on or clock.today()
    window = Q(opens_on__lte=on) & (
        Q(deadline__gte=on - datetime.timedelta(days=MISSED_NOTICE_DAYS))
        | Q(grace_until__gte=on - datetime.timedelta(days=MISSED_NOTICE_DAYS))
    )
    recorded = 0
    for round in ReportingRound.objects.filter(window):
        due = round_events_due(round, on=on)
        if not due:
            continue
        progress = rounds.round_progress(round=round, on=on)
        officers = {
            e.pk: list(e.officers.all()) for e in Economy.objects.prefetch_related("officers")
        }
        for row in progress.economies:
            if not row.missing or not officers.get(row.economy.pk):
                continue
            for kind in due:
                recorded += enqueue(
                    recipients=officers[row.economy.pk],
                    event=f"round:{round.pk}:{kind}:{row.economy.code}",
                    subject=ROUND_SUBJECTS[kind].format(round=round.name, economy=row.economy.name),
                    body=_round_body(kind, row, round),
                )
    return recorded


# --- sending ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SendResult:
    sent: int
    skipped: int
    failed: int
    waiting: int  # still pending after the run (failed or not reached)


def _refused(error: Exception) -> bool:
    """The server refused this message (a bad address), not the connection: try the next."""
    return isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError)


def send_pending(*, limit: int | None = None) -> SendResult:
    """Send every notice waiting, each in its own transaction that holds its row: marked sent
    once the server took it; on a failure the notice stays waiting (its error recorded) and the
    run stops, as the server is likely down for the rest too; a notice refused for its address
    alone does not hold back the others."""
    sent = skipped = failed = 0
    connection = get_connection()
    pending = Notice.objects.filter(state=NoticeState.PENDING).order_by("created_at", "pk")
    ids = list(pending.values_list("pk", flat=True)[:limit])
    for pk in ids:
        with transaction.atomic():
            # skip_locked: a second run at the same time leaves this one alone (PostgreSQL).
            notice = (
                Notice.objects.select_for_update(skip_locked=True)
                .select_related("recipient")
                .filter(pk=pk, state=NoticeState.PENDING)
                .first()
            )
            if notice is None:
                continue
            if not wants_notices([notice.recipient]):
                notice.state = NoticeState.SKIPPED
                notice.save(update_fields=["state"])
                skipped += 1
                continue
            message = EmailMessage(
                subject=notice.subject,
                body=notice.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[notice.recipient.email],
                connection=connection,
            )
            try:
                message.send()
            except (smtplib.SMTPException, OSError) as error:
                notice.attempts += 1
                notice.last_error = f"{type(error).__name__}: {error}"[:2000]
                notice.save(update_fields=["attempts", "last_error"])
                failed += 1
                logger.warning("Notice %s not sent: %s", notice.pk, notice.last_error)
                if not _refused(error):
                    break
                continue
            notice.state = NoticeState.SENT
            notice.sent_at = timezone.now()
            notice.attempts += 1
            notice.last_error = ""
            notice.save(update_fields=["state", "sent_at", "attempts", "last_error"])
            sent += 1
    waiting = Notice.objects.filter(state=NoticeState.PENDING).count()
    return SendResult(sent=sent, skipped=skipped, failed=failed, waiting=waiting)
