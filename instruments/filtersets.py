"""Filters of instruments and commitments, shared by the pages and the API."""

import django_filters

from instruments.models import Commitment, Forum, Instrument, Theme
from softlaw.filters import UPDATED_SINCE_HELP, UpdatedSinceFilter, described


def updated_since_filter() -> UpdatedSinceFilter:
    return UpdatedSinceFilter(
        field_name="updated_at", lookup_expr="gte", help_text=UPDATED_SINCE_HELP
    )


class ForumFilterSet(django_filters.FilterSet):
    """Filters forums in the API."""

    parent = described(
        django_filters.ModelChoiceFilter(
            queryset=Forum.objects.all(),
            to_field_name="short_name",
            help_text="Short name of the parent forum: ECSG.",
        )
    )
    updated_since = updated_since_filter()

    class Meta:
        model = Forum
        fields = ["parent", "is_apec_body", "updated_since"]


class ThemeFilterSet(django_filters.FilterSet):
    """Filters themes in the API. Themes carry no updated_at: their history says when."""

    updated_since = UpdatedSinceFilter(method="filter_updated_since", help_text=UPDATED_SINCE_HELP)

    class Meta:
        model = Theme
        fields = ["updated_since"]

    def filter_updated_since(self, queryset, name, value):
        changed = Theme.history.filter(history_date__gte=value).values("id")
        return queryset.filter(pk__in=changed)


class InstrumentFilterSet(django_filters.FilterSet):
    """Filters instruments on pages and in the API."""

    theme = described(
        django_filters.ModelChoiceFilter(
            field_name="themes",
            queryset=Theme.objects.all(),
            to_field_name="slug",
            help_text="Theme slug: privacy.",
        )
    )
    forum = described(
        django_filters.ModelChoiceFilter(
            queryset=Forum.objects.all(),
            to_field_name="short_name",
            help_text="Short name of the overseeing forum: ECSG.",
        )
    )
    updated_since = updated_since_filter()

    class Meta:
        model = Instrument
        fields = ["theme", "forum", "kind", "is_apec_instrument", "updated_since"]


class CommitmentFilterSet(django_filters.FilterSet):
    instrument = described(
        django_filters.ModelChoiceFilter(
            queryset=Instrument.objects.all(),
            to_field_name="slug",
            help_text="Instrument slug: cbpr.",
        )
    )
    theme = described(
        django_filters.ModelChoiceFilter(
            field_name="instrument__themes",
            queryset=Theme.objects.all(),
            to_field_name="slug",
            help_text="Theme slug of the instrument: privacy.",
        )
    )
    updated_since = updated_since_filter()

    class Meta:
        model = Commitment
        fields = ["instrument", "theme", "scope", "updated_since"]
