"""Filters for status reports and current statuses, and one filter set per question the pages
and the API answer (the regional picture, trends, economies compared): a page and the API that
answer the same question read the same parameters, and refuse a bad value with the same message.

A code, slug or short name that names nothing is an error (400 in the API), never an empty
result, so that a typo does not look like "no data".
"""

import django_filters
from django.db.models import QuerySet

from economies.filtersets import EconomyCodesFilter, SubregionFilter
from economies.models import Economy
from instruments.models import Commitment, Forum, Instrument, Theme
from softlaw.filters import (
    UPDATED_SINCE_HELP,
    AsOfFilter,
    CommaSeparated,
    UpdatedSinceFilter,
    described,
    keep_parameter,
    natural_key,
    natural_keys,
)
from tracker import selectors
from tracker.models import Origin, ReviewState, Status, StatusReport


class StatusReportFilterSet(django_filters.FilterSet):
    """Status reports: the full published history, or an officer's own drafts."""

    economy = natural_keys(
        field_name="economy__code",
        queryset=Economy.objects.all(),
        key="code",
        help_text="ISO alpha-3 codes, comma-separated or repeated: JPN,SGP.",
    )
    subregion = SubregionFilter(
        field_name="economy__subregion",
        help_text="UN M49 sub-region of the economy, any case: South-eastern Asia.",
    )
    instrument = natural_keys(
        field_name="commitment__instrument__slug",
        queryset=Instrument.objects.all(),
        key="slug",
        help_text="Instrument slugs, comma-separated or repeated: cbpr,aider.",
    )
    commitment = natural_keys(
        field_name="commitment__code",
        queryset=Commitment.objects.all(),
        key="code",
        help_text="Commitment codes, comma-separated or repeated: AIDER-KFA-01.",
    )
    theme = natural_key(
        field_name="commitment__instrument__themes",
        queryset=Theme.objects.all(),
        key="slug",
        help_text="Theme slug of the instrument: privacy.",
    )
    forum = natural_key(
        field_name="commitment__instrument__forum",
        queryset=Forum.objects.all(),
        key="short_name",
        help_text="Short name of the forum overseeing the instrument: ECSG.",
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, widget=CommaSeparated, help_text="Statuses."
    )
    origin = django_filters.MultipleChoiceFilter(
        choices=Origin.choices, widget=CommaSeparated, help_text="Where the claim comes from."
    )
    review_state = django_filters.MultipleChoiceFilter(
        choices=ReviewState.choices,
        widget=CommaSeparated,
        help_text="Review states (anonymous clients only ever see published reports).",
    )
    effective_date = django_filters.DateFromToRangeFilter(
        help_text="Effective date range: effective_date_after and/or effective_date_before "
        "(YYYY-MM-DD, both inclusive)."
    )
    updated_since = UpdatedSinceFilter(
        field_name="updated_at", lookup_expr="gte", help_text=UPDATED_SINCE_HELP
    )

    class Meta:
        model = StatusReport
        fields = [
            "economy",
            "subregion",
            "instrument",
            "commitment",
            "theme",
            "forum",
            "status",
            "origin",
            "review_state",
            "effective_date",
            "updated_since",
        ]


class CurrentStatusFilterSet(StatusReportFilterSet):
    """The current status of each economy on each commitment (or as of a date), filtered.

    Give it published reports: it keeps, for each (economy, commitment), the report that
    tracker.scoring says is current, then applies the other filters to those reports, so that
    ?status=implemented means "currently implemented", not "once reported implemented".
    """

    as_of = AsOfFilter()

    class Meta(StatusReportFilterSet.Meta):
        fields = [f for f in StatusReportFilterSet.Meta.fields if f != "review_state"] + ["as_of"]

    def filter_queryset(self, queryset):
        as_of = self.form.cleaned_data.get("as_of")
        if as_of is None:
            # Today's status: the published reports whose time as their cell's status has not
            # ended (tracker.as_of keeps valid_until in step with the current-status table, in
            # the same pass): one partial index, listed and counted without the history.
            return super().filter_queryset(queryset.filter(valid_until__isnull=True))
        # On a past date: the reports current then, one range read (tracker.as_of).
        current_ids = StatusReport.objects.current(as_of).values("pk")
        return super().filter_queryset(queryset.filter(pk__in=current_ids))


CurrentStatusFilterSet.base_filters.pop("review_state")


class InstrumentFilters(django_filters.FilterSet):
    """The instruments a question covers: ?instrument=, ?theme=, ?forum=, read by
    instruments_asked() (the rows filtered are economies, or nothing)."""

    instrument = described(
        django_filters.ModelMultipleChoiceFilter(
            queryset=Instrument.objects.all(),
            to_field_name="slug",
            widget=CommaSeparated,
            method=keep_parameter,
            help_text="Instrument slugs, comma-separated or repeated: cbpr,aider.",
        )
    )
    theme = described(
        django_filters.ModelChoiceFilter(
            queryset=Theme.objects.all(),
            to_field_name="slug",
            method=keep_parameter,
            help_text="Theme slug of the instruments: privacy.",
        )
    )
    forum = described(
        django_filters.ModelChoiceFilter(
            queryset=Forum.objects.all(),
            to_field_name="short_name",
            method=keep_parameter,
            help_text="Short name of the forum overseeing the instruments: ECSG.",
        )
    )

    def instruments_asked(self) -> QuerySet[Instrument] | None:
        """The instruments the filters pick; None when none is given (every instrument)."""
        data = self.form.cleaned_data
        if not any(data.get(name) for name in ("instrument", "theme", "forum")):
            return None
        instruments = Instrument.objects.all()
        if data.get("instrument"):
            instruments = instruments.filter(pk__in=[i.pk for i in data["instrument"]])
        if data.get("theme"):
            instruments = instruments.filter(themes=data["theme"])
        if data.get("forum"):
            instruments = instruments.filter(forum=data["forum"])
        return instruments

    def instruments(self) -> list[Instrument]:
        """The instruments asked for among those that have a score (economy-scope ones), in
        adoption order: the columns of every regional figure."""
        return selectors.scored_instruments(instruments=self.instruments_asked())


class RegionFilterSet(InstrumentFilters):
    """The regional picture: which economies and instruments, as of when. One set for the
    dashboard (/) and the API's scores and regional figures, so that a parameter means the same
    and a bad value is the same 400 on both.

    Filters economies; the instruments are read by instruments() (scores are a grid of
    economies × instruments, computed by tracker.scoring). updated_since serves incremental
    pulls of the API; a page checks it like every parameter and shows every figure.
    """

    economy = natural_keys(
        field_name="code",
        queryset=Economy.objects.all(),
        key="code",
        help_text="ISO alpha-3 codes, comma-separated or repeated: JPN,SGP.",
    )
    subregion = SubregionFilter(
        field_name="subregion",
        help_text="UN M49 sub-region of the economies, any case: South-eastern Asia.",
    )
    as_of = AsOfFilter()
    updated_since = UpdatedSinceFilter(
        method=keep_parameter,
        help_text="Only figures whose inputs (published reports, commitments, the instrument) "
        "changed at or after this ISO 8601 date or date-time (UTC).",
    )

    class Meta:
        model = Economy
        fields = [
            "economy",
            "subregion",
            "instrument",
            "theme",
            "forum",
            "as_of",
            "updated_since",
        ]

    def economies_asked(self) -> QuerySet[Economy] | None:
        """The economies the filters pick; None when none is given (every economy)."""
        data = self.form.cleaned_data
        return self.qs if data.get("economy") or data.get("subregion") else None


class TrendsFilterSet(RegionFilterSet):
    """Convergence over time (/trends/): the regional picture's economies and instruments, as
    of when; the series are drawn whole, so there is no updated_since."""

    class Meta(RegionFilterSet.Meta):
        fields = [f for f in RegionFilterSet.Meta.fields if f != "updated_since"]


TrendsFilterSet.base_filters.pop("updated_since")


class CompareFilterSet(InstrumentFilters):
    """Economies side by side (/compare/): which economies, in the order asked, on which
    instruments, as of when."""

    economies = EconomyCodesFilter(
        help_text="ISO alpha-3 codes of the economies compared, comma-separated: JPN,SGP,PNG."
    )
    as_of = AsOfFilter()

    class Meta:
        model = Economy
        fields = ["economies", "instrument", "theme", "forum", "as_of"]

    def economies_asked(self) -> list[Economy]:
        """The economies compared, in the order asked, once each."""
        return self.form.cleaned_data["economies"]

    def economies_offered(self) -> list[Economy]:
        """Every economy by name, to pick from (the list the codes were checked against)."""
        return self.filters["economies"].options()
