"""Filters of economies, shared by the pages and the API."""

import django_filters

from economies.models import Economy
from softlaw.filters import CommaSeparated, UpdatedSinceFilter, described


class EconomyFilterSet(django_filters.FilterSet):
    """Filters economies on pages and in the API."""

    # A code that names no economy is an error (400 in the API), not an empty result: a typo
    # should not look like "no data".
    code = described(
        django_filters.ModelMultipleChoiceFilter(
            field_name="code",
            to_field_name="code",
            queryset=Economy.objects.all(),
            widget=CommaSeparated,
            distinct=False,
            label="ISO alpha-3 codes",
            help_text="ISO alpha-3 codes, comma-separated or repeated: JPN,SGP.",
        )
    )
    subregion = django_filters.CharFilter(
        field_name="subregion", lookup_expr="iexact", help_text="UN M49 sub-region, any case."
    )
    updated_since = UpdatedSinceFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only records changed at or after this ISO 8601 date or date-time (UTC).",
    )

    class Meta:
        model = Economy
        fields = ["code", "subregion", "region", "year_joined", "updated_since"]
