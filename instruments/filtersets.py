import django_filters

from instruments.models import Commitment, Forum, Instrument, Theme


class InstrumentFilterSet(django_filters.FilterSet):
    """Filters instruments on pages and in the API."""

    theme = django_filters.ModelChoiceFilter(
        field_name="themes", queryset=Theme.objects.all(), to_field_name="slug"
    )
    forum = django_filters.ModelChoiceFilter(
        queryset=Forum.objects.all(), to_field_name="short_name"
    )

    class Meta:
        model = Instrument
        fields = ["theme", "forum", "kind", "is_apec_instrument"]


class CommitmentFilterSet(django_filters.FilterSet):
    instrument = django_filters.ModelChoiceFilter(
        queryset=Instrument.objects.all(), to_field_name="slug"
    )

    class Meta:
        model = Commitment
        fields = ["instrument", "scope"]
