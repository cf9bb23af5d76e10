"""Status reports and what is derived from them: the current-status table, year-end sums, the
data version, reporting rounds and email notices.

Over 400 lines: the app's models in one module, as Django expects them, each derived table
beside the reports it is derived from."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from economies.models import Economy
from instruments.models import Commitment
from tracker.choices import Origin, ReviewState, Status
from tracker.validation import report_errors, validate_source_urls

# The states in which anonymous clients see a report, or see that it changed: published, and
# withdrawn (taken back out of the public figures). Drafts, submissions and returns are private:
# nothing public, not even an ETag, moves when one of them changes.
PUBLIC_REVIEW_STATES = (ReviewState.PUBLISHED, ReviewState.WITHDRAWN)

# The reports in the public figures, as a filter: StatusReport.objects.published(), and the
# filters that combine it with others.
PUBLISHED = Q(review_state=ReviewState.PUBLISHED)


# The order in which reports replace each other on a cell: by effective date, and on a tie the
# one published last. Reading reports in this order, the last one seen is the current one.
CURRENT_ORDER = ("effective_date", "published_at", "pk")

# What a report states about its economy and commitment, beside its workflow: two reports that
# agree on these say the same thing.
STATEMENT_FIELDS = (
    "status",
    "effective_date",
    "target_date",
    "evidence",
    "source_urls",
    "origin",
    "assessor",
    "assessed_on",
)


# A report's target as its cell's, read from a report: its own, or else the deadline its
# commitment states (rule R6 of the reference data). The current-status table stores it so.
CELL_TARGET = Coalesce("target_date", "commitment__target_date")


class StatusReportQuerySet(models.QuerySet):
    def in_current_order(self, *, by_cell: bool = False):
        """Oldest first in CURRENT_ORDER (grouped by economy and commitment with by_cell)."""
        return self.order_by(*(("economy_id", "commitment_id") if by_cell else ()), *CURRENT_ORDER)

    def published(self):
        return self.filter(PUBLISHED)

    def effective_by(self, as_of):
        """Reports in force on a date: those whose effective date is on or before it."""
        return self.filter(effective_date__lte=as_of) if as_of is not None else self

    def latest_by_origin_on(self, as_of=None):
        """The latest published report of each origin on its cell by a date (today without one):
        effective by then, and not yet followed by one of the same origin (origin_until, kept
        by tracker.as_of)."""
        if as_of is None:
            return self.published().filter(origin_until__isnull=True)
        return self.published().filter(
            Q(origin_until__isnull=True) | Q(origin_until__gt=as_of), effective_date__lte=as_of
        )

    def current(self, as_of=None):
        """The published reports that are their cell's current status, one a cell: today (no
        date) those not yet replaced, read from their partial index; on a date, current_on()."""
        if as_of is None:
            return self.published().filter(valid_until__isnull=True)
        return self.current_on(as_of)

    def current_on(self, as_of):
        """The published report that was the current status of its cell on a date, one a cell:
        effective by then, and not yet replaced (valid_until, kept by tracker.as_of)."""
        return self.published().filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=as_of), effective_date__lte=as_of
        )


class StatusReport(models.Model):
    """A statement that an economy stands at a status on a commitment from an effective date."""

    economy = models.ForeignKey(Economy, on_delete=models.PROTECT, related_name="reports")
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(max_length=20, choices=Status.choices)
    effective_date = models.DateField(help_text="The date from which the status holds.")
    target_date = models.DateField(
        null=True, blank=True, help_text="When the economy commits to reach full implementation."
    )
    evidence = models.TextField(
        help_text="What shows the status, quoted or summarised from the source."
    )
    source_urls = models.TextField(
        "sources",
        blank=True,
        validators=[validate_source_urls],
        help_text="One web address a line.",
    )
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.SELF_REPORTED)
    assessor = models.CharField(
        max_length=120,
        blank=True,
        help_text="Who made an independent assessment (e.g. UNCTAD Global Cyberlaw Tracker).",
    )
    assessed_on = models.DateField(
        null=True, blank=True, help_text="The snapshot date of an independent assessment."
    )
    review_state = models.CharField(
        max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT, db_index=True
    )
    review_note = models.TextField(
        blank=True, help_text="The reviewer's note when returning a report."
    )
    withdrawn_reason = models.TextField(
        blank=True, help_text="Why a published report was withdrawn."
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    is_illustrative = models.BooleanField(
        default=False, help_text="Generated for a demonstration; not a real statement."
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entered_reports",
    )
    # Four-eyes: whoever last changed the report's content may not publish it either.
    last_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changed_reports",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_reports",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every save; a save from an older version is refused."
    )
    # Derived from the published reports of the cell, in CURRENT_ORDER, and kept in step by
    # tracker.as_of with the current-status table: until when a published report was the current
    # status of its cell (the next report's effective date; null while it still is), and its
    # place in that order (1 = the first; so also the number of published reports in force on
    # the cell while it is current). Both null for a report that is not published. And until
    # when it was the latest word of its origin on the cell (the next report of the same
    # origin's effective date): what each origin says on a date is one range read too.
    valid_until = models.DateField(null=True, blank=True, editable=False)
    cell_position = models.PositiveIntegerField(null=True, blank=True, editable=False)
    origin_until = models.DateField(null=True, blank=True, editable=False)

    objects = StatusReportQuerySet.as_manager()
    # The derived fields are no part of what anyone stated: the history leaves them out.
    history = HistoricalRecords(excluded_fields=["valid_until", "cell_position", "origin_until"])

    class Meta:
        ordering = ["economy", "commitment", "-effective_date", "-published_at"]
        permissions = [
            ("publish_statusreport", "Can publish or return submitted status reports"),
        ]
        indexes = [
            models.Index(
                fields=["review_state", "economy", "commitment", "effective_date"],
                name="report_current_lookup",
            ),
            # The latest published updates (dashboard, updates page): read newest first and
            # stop after a page, instead of sorting every published report.
            models.Index(
                fields=["-effective_date", "-published_at", "-id"],
                condition=PUBLISHED,
                name="report_latest_published",
            ),
            # The status of every cell on a date (StatusReportQuerySet.current_on()): one range
            # of this index (the reports effective by the date), read without the table on
            # PostgreSQL: the columns tracker.scoring reads of a past date ride along (SQLite
            # leaves them out).
            models.Index(
                fields=["effective_date", "valid_until"],
                include=[
                    "id",
                    "economy",
                    "commitment",
                    "status",
                    "target_date",
                    "cell_position",
                ],
                condition=Q(review_state=ReviewState.PUBLISHED),
                name="report_current_on",
            ),
            # The reports a past date's scores take away from the year-end before it
            # (tracker.scoring.sums.scores_on_past_date): those replaced between the two, one
            # range of this index, read without the table on PostgreSQL.
            models.Index(
                fields=["valid_until", "effective_date"],
                include=["economy", "commitment", "status", "cell_position"],
                condition=Q(review_state=ReviewState.PUBLISHED, valid_until__isnull=False),
                name="report_replaced_on",
            ),
            # The status of every cell today, as the API lists and counts it: the published
            # reports still current (no end to their time as their cell's status).
            models.Index(
                fields=["economy", "commitment"],
                condition=Q(review_state=ReviewState.PUBLISHED, valid_until__isnull=True),
                name="report_current_today",
            ),
            # What each origin says about each cell on a date (latest_by_origin_on()), by cell;
            # and the origins of the statuses current on a date of a few economies (the
            # dashboard's page of them), read without the table on PostgreSQL.
            models.Index(
                fields=["economy", "origin_until", "effective_date"],
                include=["commitment", "origin", "status", "valid_until"],
                condition=Q(review_state=ReviewState.PUBLISHED),
                name="report_origin_latest",
            ),
            # The Atom feed: what was published last.
            models.Index(
                fields=["-published_at", "-id"],
                condition=PUBLISHED,
                name="report_published_recently",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="report_status_on_scale"
            ),
            models.CheckConstraint(
                condition=Q(origin__in=Origin.values), name="report_origin_valid"
            ),
            models.CheckConstraint(
                condition=Q(review_state__in=ReviewState.values), name="report_review_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(review_state=ReviewState.PUBLISHED) | Q(published_at__isnull=False),
                name="report_published_has_published_at",
            ),
            models.CheckConstraint(
                condition=~Q(review_state=ReviewState.WITHDRAWN) | ~Q(withdrawn_reason=""),
                name="report_withdrawn_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(target_date__isnull=True)
                | Q(target_date__gte=models.F("effective_date")),
                name="report_target_not_before_effective",
            ),
        ]

    def __str__(self):
        return (
            f"{self.economy.code} {self.commitment.code}: {self.status} from {self.effective_date}"
        )

    def clean(self):
        # Evidence and sources are judged by their fields' declarations (clean_fields).
        errors = report_errors(
            commitment=self.commitment if self.commitment_id else None,
            effective_date=self.effective_date,
            target_date=self.target_date,
            origin=self.origin,
            assessor=self.assessor,
            assessed_on=self.assessed_on,
        )
        if errors:
            raise ValidationError(errors)

    @property
    def source_url_list(self) -> list[str]:
        return [line.strip() for line in self.source_urls.splitlines() if line.strip()]

    @property
    def is_published(self) -> bool:
        return self.review_state == ReviewState.PUBLISHED

    @property
    def is_public(self) -> bool:
        """Whether its changes show publicly (PUBLIC_REVIEW_STATES)."""
        return self.review_state in PUBLIC_REVIEW_STATES

    @classmethod
    def public_rows(cls) -> tuple[models.Q, models.Q]:
        """The rows, and the rows of its history, whose changes anonymous clients see (for
        softlaw.changes): a report while published or withdrawn, in the table and in its history
        alike (a draft's deletion is a history entry too)."""
        public = models.Q(review_state__in=PUBLIC_REVIEW_STATES)
        return public, public


class CurrentStatus(models.Model):
    """The current status of one economy on one commitment: the published report with the latest
    effective date (ties: published last). Derived from StatusReport and kept in step with it by
    tracker.current_status on every save and delete, so today's figures are one aggregate query
    instead of a pass over the whole history."""

    economy = models.ForeignKey(Economy, on_delete=models.CASCADE, related_name="+")
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="+")
    instrument = models.ForeignKey(
        "instruments.Instrument", on_delete=models.CASCADE, related_name="+"
    )
    report = models.OneToOneField(StatusReport, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices)
    # Points of the status on the scale; null for "not applicable", which is left out of scores.
    points = models.PositiveSmallIntegerField(null=True)
    # Copied from the commitment (and kept in step when an editor changes it), so that today's
    # scores are one aggregate over this table with no join.
    weight = models.DecimalField(max_digits=5, decimal_places=2)
    is_scored = models.BooleanField(help_text="The commitment is carried out by each economy.")
    # The cell's part of its economy's score, in hundredths of a weight so that the sums are
    # whole numbers on every database: points × weight, and the weight; both null for "not
    # applicable". Set from status and weight by tracker.scoring.cell_sums().
    earned = models.PositiveIntegerField(null=True)
    scored_weight = models.PositiveIntegerField(null=True)
    # Published reports on the cell, corrections included (the dashboard's count, summed in the
    # same aggregate as the scores).
    reports = models.PositiveIntegerField(default=1)
    effective_date = models.DateField()
    target_date = models.DateField(null=True)
    # Where the current status comes from (its report's origin), and whether the latest statuses
    # of two origins on the cell differ: the dashboard's origin tags and disagreements, summed
    # in one query for today's view.
    origin = models.CharField(max_length=20, choices=Origin.choices)
    disagree = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "current statuses"
        constraints = [
            models.UniqueConstraint(
                fields=["economy", "commitment"], name="current_status_one_per_cell"
            ),
        ]
        indexes = [
            models.Index(fields=["instrument", "economy"], name="current_status_by_instrument"),
            models.Index(fields=["economy", "instrument"], name="current_status_by_economy"),
        ]

    def __str__(self):
        return f"{self.economy_id}/{self.commitment_id}: {self.status}"


# One year-end row as the readers take it: whose sums, for which year, and the sums.
YEAR_END_ROW = (
    "economy_id",
    "instrument_id",
    "year",
    "earned",
    "scored_weight",
    "covered",
    "scored",
    "reports",
)


class YearEndScore(models.Model):
    """What one economy's score on one instrument stood on at the end of a year in which it
    changed: the sums of scoring.cell_sums() over the instrument's economy-scope commitments, in
    hundredths of a weight, with the cells covered and scored and the reports in force. A year
    with no row stands where the latest earlier row stands.

    Derived from StatusReport and kept in step by tracker.current_status, so that the figures
    over time (convergence, score over time) read one row per economy, instrument and year of
    change instead of replaying the whole history."""

    economy = models.ForeignKey(Economy, on_delete=models.CASCADE, related_name="+")
    instrument = models.ForeignKey(
        "instruments.Instrument", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    earned = models.PositiveIntegerField()
    scored_weight = models.PositiveIntegerField()
    covered = models.PositiveIntegerField()
    scored = models.PositiveIntegerField()
    reports = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["economy", "instrument", "year"], name="year_end_score_one_per_year"
            ),
        ]
        indexes = [
            models.Index(fields=["instrument", "economy", "year"], name="year_end_by_instrument"),
        ]

    def __str__(self):
        return f"{self.economy_id}/{self.instrument_id} at the end of {self.year}"


class DataVersion(models.Model):
    """One row: a number raised after every committed change to what the public pages show, so
    that the page cache can name the state of the data with one primary-key read. Raised by
    softlaw.changes.data_changed(), never by hand."""

    version = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"data version {self.version}"


class ScopeVersion(models.Model):
    """A number per part of the public pages (one instrument's page: "instrument:<slug>"),
    raised after every committed change that part shows besides the catalogue, so that its
    cached pages outlive changes to other parts. Raised by softlaw.changes.data_changed(
    scopes=…), never by hand."""

    scope = models.CharField(max_length=120, primary_key=True)
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.scope} version {self.version}"


class ReportingRound(models.Model):
    """A named call for reports on some instruments or commitments, with an opening date, a
    deadline and an optional grace period. Who answered, and when, is read by tracker.rounds."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=80, unique=True, help_text="The last part of its public address, /rounds/…/."
    )
    description = models.TextField(blank=True, help_text="What the round asks, for the public.")
    instruments = models.ManyToManyField(
        "instruments.Instrument",
        blank=True,
        related_name="rounds",
        help_text="Every economy-scope commitment of these instruments is asked for.",
    )
    commitments = models.ManyToManyField(
        Commitment,
        blank=True,
        related_name="rounds",
        help_text="Single commitments asked for, beside those of the instruments above.",
    )
    opens_on = models.DateField("opening date")
    deadline = models.DateField()
    grace_until = models.DateField(
        "grace period until",
        null=True,
        blank=True,
        help_text="Optional: answers submitted up to this date still count as on time.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opens_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("opens_on")),
                name="round_deadline_not_before_opening",
            ),
            models.CheckConstraint(
                condition=Q(grace_until__isnull=True) | Q(grace_until__gte=models.F("deadline")),
                name="round_grace_not_before_deadline",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("round_detail", args=[self.slug])

    def clean(self):
        errors = {}
        if self.opens_on and self.deadline and self.deadline < self.opens_on:
            errors["deadline"] = "The deadline cannot be before the opening date."
        if self.grace_until and self.deadline and self.grace_until < self.deadline:
            errors["grace_until"] = "The grace period ends on or after the deadline."
        if errors:
            raise ValidationError(errors)

    @property
    def closes_on(self) -> datetime.date:
        """The last day an answer counts as on time: the deadline, or the grace period's end."""
        return self.grace_until or self.deadline


class NoticeState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not sent: the recipient turned notices off"


class Notice(models.Model):
    """One email to one person about one event: the outbox of send_notifications, and the
    record that keeps the same notice from being sent twice (one row per recipient and event)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    event = models.CharField(
        max_length=120, help_text="What happened, e.g. report 12 submitted (version 3)."
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    state = models.CharField(
        max_length=10, choices=NoticeState.choices, default=NoticeState.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event"], name="notice_once_per_event"),
            models.CheckConstraint(
                condition=Q(state__in=NoticeState.values), name="notice_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="notice_outbox")]

    def __str__(self):
        return f"{self.event} → {self.recipient_id}"


class NoticePreference(models.Model):
    """A user's choice about email notices, set on their own profile page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference"
    )
    email_notices = models.BooleanField(
        "email me notices",
        default=True,
        help_text="Reports to review, reports returned or published, and reporting rounds.",
    )

    def __str__(self):
        return f"{self.user_id}: {'on' if self.email_notices else 'off'}"
