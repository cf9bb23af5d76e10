"""An economy: a member of the region, with its sub-region, APEC joining year and officers."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class EconomyQuerySet(models.QuerySet):
    def in_subregion(self, subregion: str | None):
        return self.filter(subregion=subregion) if subregion else self


class Economy(models.Model):
    """An APEC member economy, identified by its ISO 3166 alpha-3 code."""

    code = models.CharField(
        "ISO alpha-3 code",
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", "Use the three capital letters of ISO 3166.")],
    )
    iso_alpha2 = models.CharField(
        "ISO alpha-2 code",
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", "Use the two capital letters of ISO 3166.")],
    )
    name = models.CharField("APEC name", max_length=100, unique=True)
    iso_short_name = models.CharField("ISO short name", max_length=100, blank=True)
    year_joined = models.PositiveSmallIntegerField(
        "year joined APEC", validators=[MinValueValidator(1989), MaxValueValidator(2100)]
    )
    region = models.CharField("UN M49 region", max_length=50, blank=True)
    subregion = models.CharField("sub-region", max_length=50, blank=True, db_index=True)
    grid_row = models.PositiveSmallIntegerField(
        "tile-grid row", help_text="Row of the economy's tile on the regional map (0 = top)."
    )
    grid_col = models.PositiveSmallIntegerField(
        "tile-grid column", help_text="Column of the economy's tile on the regional map (0 = left)."
    )
    source_url = models.URLField("source", max_length=500, blank=True)
    notes = models.TextField(blank=True)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="officer_of",
        help_text="Users who record this economy's status reports.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = EconomyQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[officers])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "economies"
        constraints = [
            models.UniqueConstraint(
                fields=["grid_row", "grid_col"], name="economy_unique_grid_tile"
            ),
            models.CheckConstraint(
                condition=models.Q(year_joined__gte=1989), name="economy_year_joined_after_1989"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("economy_detail", args=[self.code])

    @classmethod
    def public_rows(cls) -> tuple[models.Q, models.Q]:
        """The rows, and the rows of its history, whose changes anonymous clients see (for
        softlaw.changes): its history records who its officers are (a private matter); a change
        to what it shows raises its updated_at, so of its history only deletions count."""
        return models.Q(), models.Q(history_type="-")
