"""Convergence over time: each instrument's regional figures at every year-end."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from economies.models import Economy
from instruments.models import Instrument
from tracker import scoring
from tracker.selectors.shown import economies_shown, scored_instruments, today_or

# --- convergence over time ---------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    instrument: Instrument
    series: list[tuple[int, scoring.RegionalFigures]]  # from the first year with a score
    change: scoring.SigmaChange | None


@dataclass(frozen=True)
class Trends:
    years: list[int]
    trends: list[Trend]
    last_date: datetime.date  # the last point stands on this date, the others on 31 December


def trends_for_region(
    *,
    as_of: datetime.date | None = None,
    economies: QuerySet[Economy] | None = None,
    instruments: QuerySet[Instrument] | None = None,
) -> Trends:
    """Regional mean and σ of each instrument at each year-end: is the region converging?

    The last point is the view's own date when it falls before 31 December, so that the
    trend ends where the dashboard stands.
    """
    instrument_list = scored_instruments(instruments=instruments)
    convergence = scoring.convergence_until(
        as_of=as_of,
        economy_ids=[e.pk for e in economies_shown(economies=economies)],
        instrument_ids=[i.pk for i in instrument_list],
    )
    trends = []
    for instrument in instrument_list:
        points = convergence.of(instrument.pk)
        trends.append(Trend(instrument, points, scoring.sigma_change(points)))
    return Trends(convergence.years, trends, today_or(as_of))
