"""The filters of the public pages, read through the filter sets the API uses too: a page that
answers a question the API answers (the regional picture, trends, economies compared) reads that
question's filter set (page_filters); the other pages read as_of and the economies (sub-region),
instruments (theme, forum) and report origins they show, and the instrument a page opens
(?instrument=, on an economy's page) (read_filters). A bad value raises softlaw.pages.BadParameter
(a 400 page) with the message the API gives."""

import datetime
from dataclasses import dataclass, field

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest

from economies.filtersets import EconomyFilterSet
from economies.models import Economy
from instruments.filtersets import InstrumentFilterSet
from instruments.models import Instrument
from instruments.selectors import forums, themes
from softlaw.pages import BadParameter, parse_as_of
from tracker.filtersets import InstrumentFilters, StatusReportFilterSet
from tracker.models import Origin, StatusReport


@dataclass
class Filters:
    """The filters of one page: what was asked, the querysets it selects and the choices."""

    as_of: datetime.date | None
    economies: QuerySet[Economy] | None = None
    instruments: QuerySet[Instrument] | None = None
    values: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list] = field(default_factory=dict)
    filterset: django_filters.FilterSet | None = None  # the question's, when there is one
    opened: str = ""  # ?instrument=: the slug of the instrument the page opens (opened_instrument)

    @property
    def active(self) -> bool:
        return any(self.values.values())

    def reports(self, queryset: QuerySet[StatusReport]) -> QuerySet[StatusReport]:
        """Status reports narrowed by the page's report filters (?origin=), through the
        FilterSet the API's reports and statuses use."""
        if not self.values.get("origin"):
            return queryset
        return StatusReportFilterSet({"origin": self.values["origin"]}, queryset=queryset).qs


def checked(filterset: django_filters.FilterSet) -> django_filters.FilterSet:
    """The filter set, valid; else BadParameter carrying the messages the API gives, each
    after the name of its parameter unless it starts with it."""
    if not filterset.is_valid():
        raise BadParameter(
            " ".join(
                message if message.startswith(name) else f"{name}: {message}"
                for name, messages in filterset.errors.items()
                for message in messages
            )
        )
    return filterset


def _keys(values) -> str:
    """Natural keys asked for, as the address writes them (JPN,SGP)."""
    return ",".join(
        getattr(value, "code", None) or getattr(value, "slug", "") for value in values or []
    )


def page_filters(request: HttpRequest, filterset_class: type[InstrumentFilters]) -> Filters:
    """A page's filters read through the filter set of the question it answers (the one the
    API that answers it uses): the same parameters, the same 400 on a bad value."""
    # Values stripped of spaces, as the pages always took them (a pasted link keeps a blank).
    asked = request.GET.copy()
    for name, values in request.GET.lists():
        asked.setlist(name, [value.strip() for value in values])
    filterset = checked(filterset_class(asked, queryset=Economy.objects.all()))
    data = filterset.form.cleaned_data
    filters = Filters(
        as_of=data.get("as_of"), instruments=filterset.instruments_asked(), filterset=filterset
    )
    if "subregion" in filterset.filters:
        filters.economies = filterset.economies_asked()
        filters.values["economy"] = _keys(data.get("economy"))
        filters.values["subregion"] = data.get("subregion", "")
        filters.choices["subregion"] = filterset.filters["subregion"].options()
    filters.values["instrument"] = _keys(data.get("instrument"))
    filters.values["theme"] = data["theme"].slug if data.get("theme") else ""
    filters.values["forum"] = data["forum"].short_name if data.get("forum") else ""
    filters.choices["theme"] = themes()
    filters.choices["forum"] = forums()
    return filters


def _asked(request: HttpRequest, *names: str) -> dict[str, str]:
    return {name: request.GET.get(name, "").strip() for name in names}


def read_filters(
    request: HttpRequest,
    *,
    economy: bool = False,
    instrument: bool = False,
    origin: bool = False,
    opens: bool = False,
) -> Filters:
    """Parse as_of and the page's filters (sub-region for economies; theme and forum for
    instruments; where a report's claim comes from for lists of reports; with `opens`, the
    instrument the page opens) through the filter sets of the API's economies, instruments and
    reports. Raises BadParameter on a bad value; an instrument opened is checked against the
    page's instruments by opened_instrument()."""
    filters = Filters(as_of=parse_as_of(request))
    if opens:
        filters.opened = request.GET.get("instrument", "").strip()
    if economy:
        data = _asked(request, "subregion")
        filterset = checked(EconomyFilterSet(data, queryset=Economy.objects.all()))
        filters.economies = filterset.qs if data["subregion"] else None
        filters.values["subregion"] = filterset.form.cleaned_data["subregion"]
        filters.choices["subregion"] = filterset.filters["subregion"].options()
    if instrument:
        data = _asked(request, "theme", "forum")
        filterset = checked(InstrumentFilterSet(data, queryset=Instrument.objects.all()))
        filters.instruments = filterset.qs if any(data.values()) else None
        filters.values.update(data)
        filters.choices["theme"] = themes()
        filters.choices["forum"] = forums()
    if origin:
        data = _asked(request, "origin")
        checked(StatusReportFilterSet(data, queryset=StatusReport.objects.none()))
        filters.values.update(data)
        filters.choices["origin"] = Origin.choices
    return filters


def opened_instrument(filters: Filters, instruments: list[Instrument]) -> Instrument | None:
    """The instrument of the page's list that ?instrument= opens (None when not asked), found
    in the list without a query. Raises BadParameter for a slug no instrument has, or one the
    page does not list (it carries nothing economies are scored on, or the filters leave it
    out)."""
    if not filters.opened:
        return None
    for candidate in instruments:
        if candidate.slug == filters.opened:
            return candidate
    slug = filters.opened[:60]
    if Instrument.objects.filter(slug=slug).exists():
        raise BadParameter(
            f"instrument {slug!r} is not on this page: it has no commitment economies are "
            "scored on, or the theme and forum chosen leave it out."
        )
    raise BadParameter(f"instrument must be the slug of an instrument; no instrument is {slug!r}.")
