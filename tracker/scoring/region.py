"""The region-level operations the selectors call: figures of a region at a date, over time.

Each puts tracker.scoring.readers (what is read, from where by date) and
tracker.scoring.formulas (what is computed) together once, so that no selector writes the
sequence "scored commitments → statuses → scores → regional figures" itself:

- region_snapshot(): every cell's status, every score and the regional figures at a date, for
  pages that show cells as well as scores (comparison, economy list, instrument matrix);
- region_scores(): the scores and regional figures only, summed by the cheapest source for the
  date (heatmap, economy profile);
- convergence_until(): the regional figures at each year-end up to the view's date (trends);
- score_series(): an economy's scores at each year-end up to the view's date.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from tracker.scoring.formulas import (
    NO_FIGURES,
    CellStatus,
    RegionalFigures,
    Score,
    ScoredCommitment,
    regional_compute,
    regional_from_scores,
    score_without_data,
)
from tracker.scoring.readers import (
    all_economy_ids,
    cells_scored,
    report_years,
    scored_commitments,
    scores_for_region,
)
from tracker.scoring.sums import scores_at_year_ends, year_end_scores


@dataclass(frozen=True)
class RegionScores:
    """The scores of a region's economies on some instruments as of a date."""

    economy_ids: list[int]
    scores: dict[tuple[int, int], Score]  # keyed (economy_id, instrument_id)

    @cached_property
    def regional(self) -> dict[int, RegionalFigures]:
        """Regional figures of each instrument, keyed by instrument id."""
        return regional_from_scores(self.scores)

    def figures_of(self, instrument_id: int) -> RegionalFigures:
        return self.regional.get(instrument_id, NO_FIGURES)

    def score_of(self, economy_id: int, instrument_id: int) -> Score:
        """The economy's score; an instrument with nothing each economy carries out has none."""
        return self.scores.get((economy_id, instrument_id)) or score_without_data(
            economy_id=economy_id, instrument_id=instrument_id, commitments=0
        )


@dataclass(frozen=True)
class RegionSnapshot(RegionScores):
    """A region at a date, cell by cell: the statuses behind its scores."""

    commitments: list[ScoredCommitment]  # economy-scope, of the instruments asked
    statuses: dict[tuple[int, int], CellStatus]  # keyed (economy_id, commitment_id)


def region_snapshot(
    *,
    as_of: datetime.date | None = None,
    economy_ids: Iterable[int] | None = None,
    instrument_ids: Iterable[int] | None = None,
) -> RegionSnapshot:
    """The statuses, scores and regional figures of the economies (all by default) on the
    instruments (all by default) as of a date: two queries, three without economy_ids."""
    commitments = scored_commitments(instrument_ids=instrument_ids)
    economy_ids = all_economy_ids() if economy_ids is None else list(economy_ids)
    cells = cells_scored(as_of=as_of, economy_ids=economy_ids, commitments=commitments)
    return RegionSnapshot(
        economy_ids=economy_ids,
        scores=cells.scores,
        commitments=commitments,
        statuses=cells.statuses,
    )


def region_scores(
    *,
    as_of: datetime.date | None = None,
    economy_ids: Iterable[int] | None = None,
    instrument_ids: Iterable[int] | None = None,
) -> RegionScores:
    """The scores and regional figures of the economies (all by default) on the instruments
    (all by default) as of a date, from the source the date calls for (readers.source_for)."""
    economy_ids = all_economy_ids() if economy_ids is None else list(economy_ids)
    return RegionScores(
        economy_ids=economy_ids,
        scores=scores_for_region(
            as_of=as_of, economy_ids=economy_ids, instrument_ids=instrument_ids
        ),
    )


def regional_for_instruments(
    *,
    as_of: datetime.date | None = None,
    economy_ids: Iterable[int] | None = None,
    instrument_ids: Iterable[int] | None = None,
) -> dict[int, RegionalFigures]:
    """Regional figures of each instrument as of a date, keyed by instrument id."""
    return regional_from_scores(
        scores_for_region(as_of=as_of, economy_ids=economy_ids, instrument_ids=instrument_ids)
    )


def score_for_economy(
    *, economy_id: int, instrument_id: int, as_of: datetime.date | None = None
) -> Score:
    return scores_for_region(as_of=as_of, economy_ids=[economy_id], instrument_ids=[instrument_id])[
        (economy_id, instrument_id)
    ]


# --- over time ----------------------------------------------------------------------------------


def convergence_series(
    *,
    years: Sequence[int],
    economy_ids: Iterable[int] | None = None,
    instrument_ids: Iterable[int] | None = None,
    commitments: Sequence[ScoredCommitment] | None = None,
) -> dict[int, list[tuple[int, RegionalFigures]]]:
    """Regional figures of each instrument at each year-end (31 December), oldest first.

    Reads the year-end sums (one row per economy, instrument and year in which they changed).
    `commitments`: the instruments' economy-scope commitments, where the caller has them.
    """
    years = sorted(years)
    if commitments is None:
        commitments = scored_commitments(instrument_ids=instrument_ids)
    economy_ids = all_economy_ids() if economy_ids is None else list(economy_ids)
    if not years:
        return {}
    instrument_ids_seen = sorted({c.instrument_id for c in commitments})
    values = year_end_scores(
        years=years, economy_ids=economy_ids, instrument_ids=instrument_ids_seen
    )
    return {
        instrument_id: [
            (year, regional_compute(values[instrument_id][index]))
            for index, year in enumerate(years)
        ]
        for instrument_id in instrument_ids_seen
    }


@dataclass(frozen=True)
class Convergence:
    """The regional figures of each instrument over time, up to the view's date."""

    years: list[int]  # every year from the first published report to the view's
    series: dict[int, list[tuple[int, RegionalFigures]]]  # by instrument id

    def of(self, instrument_id: int) -> list[tuple[int, RegionalFigures]]:
        return self.series.get(instrument_id, [])


def convergence_until(
    *,
    as_of: datetime.date | None,
    economy_ids: list[int],
    instrument_ids: list[int],
    latest: dict[int, RegionalFigures] | None = None,
    commitments: Sequence[ScoredCommitment] | None = None,
) -> Convergence:
    """Regional figures of each instrument at each year-end, from the first year in which one
    economy had a score; the last point is the view's own date when it falls before 31
    December, so that a trend ends where the dashboard stands. `latest`, the regional figures
    on that date, and `commitments`, the instruments' economy-scope ones, save reading them
    again where the caller has them."""
    years = report_years(as_of=as_of, economy_ids=economy_ids)
    ended = convergence_series(
        years=years[:-1],
        economy_ids=economy_ids,
        instrument_ids=instrument_ids,
        commitments=commitments,
    )
    if years and latest is None:
        # The current year is measured on the view's date, not on a year-end still to come
        # (today's: the current statuses, as no effective date lies in the future).
        latest = regional_for_instruments(
            as_of=as_of, economy_ids=economy_ids, instrument_ids=instrument_ids
        )
    series = {}
    for instrument_id in instrument_ids:
        points = list(ended.get(instrument_id, []))
        if years:
            points.append((years[-1], latest.get(instrument_id, NO_FIGURES)))
        while points and points[0][1].economies_with_data == 0:
            points.pop(0)
        series[instrument_id] = points
    return Convergence(years=years, series=series)


def score_series(
    *,
    years: Sequence[int],
    economy_ids: Iterable[int],
    instrument_ids: Iterable[int] | None = None,
    until: datetime.date | None = None,
) -> dict[tuple[int, int], list[tuple[int, Score]]]:
    """Score of each economy on each instrument at each year-end (31 December), oldest first,
    keyed (economy_id, instrument_id); a year whose end comes after `until` stands on `until`
    instead, so that an as-of view never shows a later report. Year-ends come from the year-end
    sums; a year that stands on `until` from the scores as of that date."""
    years = sorted(years)
    economy_ids = list(economy_ids)
    commitments = scored_commitments(instrument_ids=instrument_ids)
    if not years or not economy_ids:
        return {}
    ended = [y for y in years if until is None or datetime.date(y, 12, 31) <= until]
    open_years = years[len(ended) :]
    series = scores_at_year_ends(years=ended, economy_ids=economy_ids, commitments=commitments)
    if open_years:
        scores = scores_for_region(
            as_of=until,
            economy_ids=economy_ids,
            instrument_ids=list(dict.fromkeys(c.instrument_id for c in commitments)),
        )
        for key, score in scores.items():
            series[key].extend((year, score) for year in open_years)
    return series
