"""Forums, themes, instruments and their commitments: what the economies are asked to implement."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Forum(models.Model):
    """An APEC body (or a related forum) that adopts or oversees instruments."""

    short_name = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    is_apec_body = models.BooleanField("APEC body", default=True)
    established_year = models.PositiveSmallIntegerField(null=True, blank=True)
    mandate = models.TextField(blank=True)
    source_url = models.URLField("source", max_length=500, blank=True)
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["short_name"]

    def __str__(self):
        return self.short_name

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": "A forum cannot be its own ancestor."})
            ancestor = ancestor.parent


class Theme(models.Model):
    """A cross-cutting topic (data flows, privacy, cybersecurity, …) that groups instruments."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class InstrumentKind(models.TextChoices):
    DECLARATION = "declaration", "Declaration"
    ROADMAP = "roadmap", "Roadmap"
    FRAMEWORK = "framework", "Framework"
    ACTION_PLAN = "action_plan", "Action plan"
    PRINCIPLES = "principles", "Principles"
    CERTIFICATION_SYSTEM = "certification_system", "Certification system"
    ARRANGEMENT = "arrangement", "Arrangement"
    BLUEPRINT = "blueprint", "Blueprint"
    STRATEGY = "strategy", "Strategy"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    UNKNOWN = "unknown", "Unknown"


# Oldest first, an instrument of unknown date last on every database (SQLite and PostgreSQL put
# nulls at opposite ends by default): the one order of instruments on pages, API and admin.
ADOPTION_ORDER = (models.F("adopted_on").asc(nulls_last=True), "short_name")


class InstrumentQuerySet(models.QuerySet):
    def in_adoption_order(self):
        return self.order_by(*ADOPTION_ORDER)

    def scored(self):
        """Instruments with a score to give: those with an economy-scope commitment."""
        return self.filter(pk__in=Commitment.objects.economy_scope().values("instrument_id"))


def instrument_page_scope(slug: str) -> str:
    """The scope (softlaw.changes) of an instrument's public page: raised by every public change
    to its reports (tracker.current_status), so a publish elsewhere leaves the page cached."""
    return f"instrument:{slug}"


def instrument_page_scopes(slug: str) -> tuple[str, ...]:
    """What an instrument's page shows besides the catalogue (softlaw.pages.public_page)."""
    return (instrument_page_scope(slug),)


class Instrument(models.Model):
    """A soft-law instrument: a declaration, roadmap, framework, action plan or system."""

    Kind = InstrumentKind
    DatePrecision = DatePrecision

    slug = models.SlugField(unique=True)
    short_name = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=InstrumentKind.choices)
    adopted_on = models.DateField(
        "adopted",
        null=True,
        blank=True,
        help_text="First day of the known period when only a month or year is known.",
    )
    adopted_precision = models.CharField(
        "adoption date precision",
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
    )
    adoption_note = models.CharField(max_length=500, blank=True)
    adopting_body = models.CharField(max_length=200, blank=True)
    forum = models.ForeignKey(
        Forum,
        verbose_name="overseeing forum",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instruments",
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="instruments")
    summary = models.TextField(blank=True)
    source_url = models.URLField("source", max_length=500, blank=True)
    is_apec_instrument = models.BooleanField("APEC instrument", default=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes"
    )
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InstrumentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[themes])

    class Meta:
        ordering = ADOPTION_ORDER
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=InstrumentKind.values),
                name="instrument_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(adopted_precision__in=DatePrecision.values),
                name="instrument_adopted_precision_valid",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(adopted_on__isnull=True, adopted_precision="unknown")
                    | (models.Q(adopted_on__isnull=False) & ~models.Q(adopted_precision="unknown"))
                ),
                name="instrument_adopted_on_matches_precision",
            ),
        ]

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("instrument_detail", args=[self.slug])

    def clean(self):
        if self.superseded_by_id is not None and self.superseded_by_id == self.pk:
            raise ValidationError({"superseded_by": "An instrument cannot supersede itself."})

    @property
    def adopted_display(self) -> str:
        """The adoption date at the precision the sources give (a year, a month or a day)."""
        if self.adopted_on is None:
            return "date unknown"
        if self.adopted_precision == self.DatePrecision.YEAR:
            return f"{self.adopted_on:%Y}"
        if self.adopted_precision == self.DatePrecision.MONTH:
            return f"{self.adopted_on:%B %Y}"
        return f"{self.adopted_on.day} {self.adopted_on:%B %Y}"


def economy_scope_filter(path: str = "") -> models.Q:
    """The economy-scope rule as a filter: on commitments, or on what reaches them through path
    ("commitments__" from an instrument, "commitment__" from a report)."""
    return models.Q(**{f"{path}scope": Commitment.Scope.ECONOMY})


class CommitmentQuerySet(models.QuerySet):
    def economy_scope(self):
        """What each economy carries out, and is scored on (not the collective APEC actions)."""
        return self.filter(economy_scope_filter())


class Commitment(models.Model):
    """One measurable part of an instrument, carried out by each economy or by APEC as a whole."""

    class Scope(models.TextChoices):
        ECONOMY = "economy", "Economy (scored per economy)"
        COLLECTIVE = "collective", "Collective (APEC-level, not scored)"

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="commitments")
    code = models.CharField(
        max_length=60,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9]+(?:-[A-Za-z0-9]+)*$",
                "Use capital letters, digits and hyphens, as in AIDER-KFA-01.",
            )
        ],
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    weight = models.DecimalField(max_digits=5, decimal_places=2, default=1)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.ECONOMY)
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependents"
    )
    target_date = models.DateField(
        null=True,
        blank=True,
        help_text="A deadline the instrument itself states for this commitment, if any.",
    )
    source_url = models.URLField("source", max_length=500, blank=True)
    source_note = models.CharField(
        max_length=300, blank=True, help_text="How well the source confirms the title and text."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommitmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[prerequisites])

    class Meta:
        ordering = ["instrument", "order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="commitment_weight_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(scope__in=["economy", "collective"]),
                name="commitment_scope_valid",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def is_scored(self) -> bool:
        """Carried out, and scored, by each economy (economy scope), not by APEC as a whole."""
        return self.scope == self.Scope.ECONOMY
