import django_filters

from economies.models import Economy


class EconomyFilterSet(django_filters.FilterSet):
    """Filters economies on pages and in the API."""

    code = django_filters.BaseInFilter(
        field_name="code", lookup_expr="in", label="ISO alpha-3 codes"
    )
    subregion = django_filters.CharFilter(field_name="subregion", lookup_expr="iexact")

    class Meta:
        model = Economy
        fields = ["code", "subregion", "region", "year_joined"]
