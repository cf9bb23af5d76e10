"""The filters of the public pages: as_of, the economies (sub-region) and instruments (theme,
forum) a page shows, and where a listed report's claim comes from (origin), read through the
filter sets the API uses too, and the instrument a page opens (?instrument=). A bad value raises
softlaw.pages.BadParameter (a 400 page)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import HttpRequest

from economies.filtersets import EconomyFilterSet
from economies.models import Economy
from economies.selectors import subregions
from instruments.filtersets import InstrumentFilterSet
from instruments.models import Instrument
from instruments.selectors import forums, themes
from softlaw.pages import BadParameter, parse_as_of
from tracker.filtersets import StatusReportFilterSet
from tracker.models import Origin, StatusReport


@dataclass
class Filters:
    """The filters of one page: what was asked, the querysets it selects and the choices."""

    as_of: datetime.date | None
    economies: QuerySet[Economy] | None = None
    instruments: QuerySet[Instrument] | None = None
    values: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list] = field(default_factory=dict)
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


def _errors(filterset) -> str:
    return " ".join(f"{name}: {' '.join(messages)}" for name, messages in filterset.errors.items())


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
    instrument the page opens) through the shared filtersets. Raises BadParameter on a bad
    value; an instrument opened is checked against the page's instruments by
    opened_instrument()."""
    filters = Filters(as_of=parse_as_of(request))
    if opens:
        filters.opened = request.GET.get("instrument", "").strip()
    if economy:
        subregion = request.GET.get("subregion", "").strip()
        options = subregions()
        if subregion and subregion not in options:
            raise BadParameter(
                f"subregion must be one of {', '.join(options)}; not {subregion[:60]!r}."
            )
        filterset = EconomyFilterSet({"subregion": subregion}, queryset=Economy.objects.all())
        if not filterset.is_valid():
            raise BadParameter(_errors(filterset))
        filters.economies = filterset.qs if subregion else None
        filters.values["subregion"] = subregion
        filters.choices["subregion"] = options
    if instrument:
        data = {key: request.GET.get(key, "").strip() for key in ("theme", "forum")}
        filterset = InstrumentFilterSet(data, queryset=Instrument.objects.all())
        if not filterset.is_valid():
            raise BadParameter(_errors(filterset))
        filters.instruments = filterset.qs if any(data.values()) else None
        filters.values.update(data)
        filters.choices["theme"] = themes()
        filters.choices["forum"] = forums()
    if origin:
        raw = request.GET.get("origin", "").strip()
        filterset = StatusReportFilterSet({"origin": raw}, queryset=StatusReport.objects.none())
        if not filterset.is_valid():
            raise BadParameter(_errors(filterset))
        filters.values["origin"] = raw
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
