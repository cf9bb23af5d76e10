"""The one place where the tracker computes a figure.

Every score, coverage and regional figure shown on a page, served by the API or written to an
export comes from this module, following the formulas on the methodology page:

- score of economy E on instrument I = 100 × Σ w·points / Σ w·3 over the economy-scope
  commitments of I that have a scored status for E; none scored → no data (None), never 0;
- coverage = economy-scope commitments of I with any published status for E (not applicable
  included) / all economy-scope commitments of I;
- regional figures of I = mean, median, min, max, population standard deviation and Gini
  coefficient of the scores that exist, with the number of economies that have one;
- convergence = the regional figures at each year-end.

The current status of (E, C) as of a date D is the published report with the latest effective
date on or before D; ties go to the report published last.
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db.models.functions import Coalesce

from tracker import clock
from tracker.models import Status, StatusReport

POINTS: dict[str, int] = {
    Status.IMPLEMENTED: 3,
    Status.PARTIAL: 2,
    Status.PILOT: 1,
    Status.PLANNED: 0,
    Status.NOT_IMPLEMENTED: 0,
}
MAX_POINTS = 3
# Not applicable is left out of the score (but counts towards coverage).
UNSCORED = frozenset({Status.NOT_APPLICABLE})


@dataclass(frozen=True, slots=True)
class CurrentStatus:
    """The status of one economy on one commitment as of a date."""

    economy_id: int
    commitment_id: int
    report_id: int
    status: str
    effective_date: datetime.date
    target_date: datetime.date | None
    reports: int = 1  # published reports on the cell in force by the date, this one included

    def is_overdue(self, today: datetime.date) -> bool:
        return is_overdue(status=self.status, target_date=self.target_date, today=today)


@dataclass(frozen=True, slots=True)
class ScoredCommitment:
    """What the score formula needs of one economy-scope commitment."""

    commitment_id: int
    instrument_id: int
    weight: Decimal


class Score(NamedTuple):
    """Score and coverage of one economy on one instrument. (A named tuple: a global tracker
    makes tens of thousands of these a request, and a tuple is the quickest to build.)"""

    economy_id: int
    instrument_id: int
    score: float | None  # 0–100, None = no data
    coverage: float | None  # 0–1, None = the instrument has no economy-scope commitment
    commitments: int  # economy-scope commitments of the instrument
    covered: int  # of those, with any published status
    scored: int  # of those, with a scored status (not "not applicable")
    reports: int = 0  # published reports in force on those commitments, corrections included

    @property
    def has_data(self) -> bool:
        return self.score is not None


@dataclass(frozen=True, slots=True)
class RegionalFigures:
    """How implementation of one instrument spreads across the economies that have a score."""

    economies_with_data: int
    mean: float | None
    median: float | None
    min: float | None
    max: float | None
    stdev: float | None  # population standard deviation, in score points
    gini: float | None  # 0 = perfectly even, towards 1 = concentrated


def is_overdue(*, status: str, target_date: datetime.date | None, today: datetime.date) -> bool:
    """A target date in the past with the status still short of full implementation."""
    return (
        target_date is not None
        and target_date < today
        and status not in (Status.IMPLEMENTED, Status.NOT_APPLICABLE)
    )


def weight_units(weight: Decimal) -> int:
    """A weight (two decimal places) in hundredths: the whole numbers every sum is kept in."""
    return int(weight * 100)


def cell_sums(status: str, weight: Decimal) -> tuple[int | None, int | None]:
    """One cell's part of its score: (points × weight, weight) in hundredths of a weight, or
    (None, None) for a status left out of the score."""
    if status in UNSCORED:
        return None, None
    units = weight_units(weight)
    return POINTS[status] * units, units


def score_from_sums(earned: int, scored_weight: int) -> float | None:
    """100 × Σ w·points / Σ w·3 from the sums in hundredths of a weight; None when nothing is
    scored. Whole numbers divided once, so every path gives the same figure to the last digit."""
    if not scored_weight:
        return None
    return 100 * earned / (MAX_POINTS * scored_weight)


def score_compute(
    *, statuses: Iterable[tuple[str, Decimal]], commitments: int
) -> tuple[float | None, float | None, int, int]:
    """Score and coverage from (status, weight) pairs of the commitments that have a status.

    Returns (score, coverage, covered, scored).
    """
    earned = possible = covered = scored = 0
    for status, weight in statuses:
        covered += 1
        points, units = cell_sums(status, weight)
        if units is None:
            continue
        scored += 1
        earned += points
        possible += units
    coverage = covered / commitments if commitments else None
    return score_from_sums(earned, possible), coverage, covered, scored


def gini(values: Sequence[float]) -> float:
    """Gini coefficient, Σ|xi − xj| / (2 n² mean), over non-negative values."""
    if not values:
        raise ValueError("gini() needs at least one value")
    ordered = sorted(values)
    return _gini_sorted(ordered, math.fsum(ordered) / len(ordered))


def _gini_sorted(ordered: Sequence[float], mean: float) -> float:
    n = len(ordered)
    if mean == 0:
        return 0.0  # everyone at zero is perfectly even
    # Σi Σj |xi − xj| = 2 Σi (2i − n + 1) x(i) over the sorted values, i from 0.
    weighted = sum((2 * i - n + 1) * x for i, x in enumerate(ordered))
    return 2 * weighted / (2 * n * n * mean)


NO_FIGURES = RegionalFigures(0, None, None, None, None, None, None)


def regional_compute(scores: Iterable[float | None]) -> RegionalFigures:
    """Regional figures over the scores that exist; no data is left out, never taken as 0."""
    ordered = sorted(s for s in scores if s is not None)
    if not ordered:
        return NO_FIGURES
    n = len(ordered)
    if ordered[0] == ordered[-1]:  # all equal: no spread at all, not a rounding error's worth
        only = ordered[0]
        return RegionalFigures(n, only, only, only, only, 0.0, 0.0)
    mean = math.fsum(ordered) / n
    middle = n // 2
    return RegionalFigures(
        economies_with_data=n,
        mean=mean,
        median=ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2,
        min=ordered[0],
        max=ordered[-1],
        # Population standard deviation, two passes over the values, each sum exactly rounded.
        stdev=math.sqrt(math.fsum((x - mean) ** 2 for x in ordered) / n),
        gini=_gini_sorted(ordered, mean),
    )


# --- reading the database -------------------------------------------------------------------


def scored_commitments(*, instrument_ids: Iterable[int] | None = None) -> list[ScoredCommitment]:
    from instruments.models import Commitment

    qs = Commitment.objects.economy_scope()
    if instrument_ids is not None:
        qs = qs.filter(instrument_id__in=list(instrument_ids))
    return [
        ScoredCommitment(commitment_id=pk, instrument_id=instrument_id, weight=weight)
        for pk, instrument_id, weight in qs.values_list("pk", "instrument_id", "weight")
    ]


def _published_reports(*, as_of, economy_ids=None, commitment_ids=None):
    qs = StatusReport.objects.published()
    if as_of is not None:
        qs = qs.filter(effective_date__lte=as_of)
    if economy_ids is not None:
        qs = qs.filter(economy_id__in=list(economy_ids))
    if commitment_ids is not None:
        qs = qs.filter(commitment_id__in=list(commitment_ids))
    # Ascending, so that the last report seen for a pair is the current one: the latest
    # effective date, and on a tie the one published last.
    # A cell's target is the report's, or else the deadline its commitment states (rule R6 of
    # the reference data): a status short of implemented after it is overdue.
    return qs.in_current_order().values_list(
        "pk",
        "economy_id",
        "commitment_id",
        "status",
        "effective_date",
        Coalesce("target_date", "commitment__target_date"),
    )


def _past_or_none(as_of: datetime.date | None) -> datetime.date | None:
    """None for today or later: no effective date lies in the future, so the view as of today
    is the current-status table's (a permanent link made today reads it, not the history)."""
    return as_of if as_of is not None and as_of < clock.today() else None


def current_statuses(
    *,
    as_of: datetime.date | None = None,
    economy_ids: Iterable[int] | None = None,
    commitment_ids: Iterable[int] | None = None,
) -> dict[tuple[int, int], CurrentStatus]:
    """The current status of every (economy, commitment) pair that has one, as of a date.

    Without a date, read from the current-status table (one row a cell); with one, replay the
    published history up to that date.
    """
    current: dict[tuple[int, int], CurrentStatus] = {}
    as_of = _past_or_none(as_of)
    if as_of is None:
        rows = _current_table(economy_ids=economy_ids, commitment_ids=commitment_ids)
        for pk, economy_id, commitment_id, status, effective, target, reports in rows:
            current[(economy_id, commitment_id)] = CurrentStatus(
                economy_id, commitment_id, pk, status, effective, target, reports
            )
        return current
    rows = _published_reports(as_of=as_of, economy_ids=economy_ids, commitment_ids=commitment_ids)
    for pk, economy_id, commitment_id, status, effective, target in rows:
        earlier = current.get((economy_id, commitment_id))
        current[(economy_id, commitment_id)] = CurrentStatus(
            economy_id,
            commitment_id,
            pk,
            status,
            effective,
            target,
            earlier.reports + 1 if earlier is not None else 1,
        )
    return current


def _current_table(*, economy_ids=None, commitment_ids=None):
    from tracker.models import CurrentStatus as CurrentStatusRow

    qs = CurrentStatusRow.objects.all()
    if economy_ids is not None:
        qs = qs.filter(economy_id__in=list(economy_ids))
    if commitment_ids is not None:
        qs = qs.filter(commitment_id__in=list(commitment_ids))
    return qs.order_by().values_list(
        "report_id",
        "economy_id",
        "commitment_id",
        "status",
        "effective_date",
        "target_date",
        "reports",
    )


def scores_from_statuses(
    *,
    statuses: dict[tuple[int, int], CurrentStatus],
    commitments: Sequence[ScoredCommitment],
    economy_ids: Iterable[int],
) -> dict[tuple[int, int], Score]:
    """Score of every economy on every instrument that has economy-scope commitments."""
    by_instrument: dict[int, list[ScoredCommitment]] = defaultdict(list)
    for commitment in commitments:
        by_instrument[commitment.instrument_id].append(commitment)
    result: dict[tuple[int, int], Score] = {}
    for economy_id in economy_ids:
        for instrument_id, members in by_instrument.items():
            cells = [
                (statuses[(economy_id, c.commitment_id)], c.weight)
                for c in members
                if (economy_id, c.commitment_id) in statuses
            ]
            score, coverage, covered, scored = score_compute(
                statuses=[(cell.status, weight) for cell, weight in cells],
                commitments=len(members),
            )
            result[(economy_id, instrument_id)] = Score(
                economy_id,
                instrument_id,
                score,
                coverage,
                len(members),
                covered,
                scored,
                sum(cell.reports for cell, _ in cells),
            )
    return result


def scores_for_region(
    *,
    as_of: datetime.date | None = None,
    economy_ids: Iterable[int] | None = None,
    instrument_ids: Iterable[int] | None = None,
) -> dict[tuple[int, int], Score]:
    """Score of each economy on each instrument as of a date, keyed (economy_id, instrument_id).

    Instruments without economy-scope commitments have no score and are left out.
    """
    from economies.models import Economy

    chosen = economy_ids is not None
    if economy_ids is None:
        economy_ids = list(Economy.objects.values_list("pk", flat=True))
    else:
        economy_ids = list(economy_ids)
    if _past_or_none(as_of) is None:
        return _scores_from_current_table(
            economy_ids=economy_ids, instrument_ids=instrument_ids, chosen=chosen
        )
    if (as_of.month, as_of.day) == (12, 31):
        # A year-end: the year-end sums have it, without replaying the history.
        series = score_series(
            years=[as_of.year], economy_ids=economy_ids, instrument_ids=instrument_ids
        )
        return {key: points[0][1] for key, points in series.items()}
    commitments = scored_commitments(instrument_ids=instrument_ids)
    statuses = current_statuses(
        as_of=as_of,
        economy_ids=economy_ids,
        commitment_ids=[c.commitment_id for c in commitments],
    )
    return scores_from_statuses(statuses=statuses, commitments=commitments, economy_ids=economy_ids)


# Up to how many economies or instruments the aggregate below filters in SQL.
FEW = 25


def _scores_from_current_table(
    *, economy_ids: list[int], instrument_ids: Iterable[int] | None, chosen: bool
) -> dict[tuple[int, int], Score]:
    """Today's scores, the formula summed in the database over the current-status table.

    Gives the same figures as scores_from_statuses() over the same statuses (tested), in one
    aggregate query instead of a pass over every cell in Python: each cell carries its
    cell_sums() as whole numbers, so the database adds them up exactly and divides once.
    """
    from django.core.exceptions import EmptyResultSet
    from django.db import connections
    from django.db.models import Count, FloatField, Sum
    from django.db.models.functions import Cast

    from instruments.models import Commitment
    from tracker.models import CurrentStatus as CurrentStatusRow

    commitments = Commitment.objects.economy_scope()
    cells = CurrentStatusRow.objects.filter(is_scored=True)
    # A few economies or instruments (a page about one, a comparison, a filter): sum only
    # theirs. Many of them: adding up every cell costs less than testing each against a long
    # list, and the cells of the others are simply not read below.
    if instrument_ids is not None:
        instrument_ids = list(instrument_ids)
        commitments = commitments.filter(instrument_id__in=instrument_ids)
        if len(instrument_ids) <= FEW:
            cells = cells.filter(instrument_id__in=instrument_ids)
    if chosen and len(economy_ids) <= FEW:
        cells = cells.filter(economy_id__in=economy_ids)
    totals = dict(
        commitments.order_by()
        .values("instrument_id")
        .annotate(n=Count("pk"))
        .values_list("instrument_id", "n")
    )
    aggregate = (
        cells.order_by()
        .values("economy_id", "instrument_id")
        .annotate(
            # score_from_sums() in SQL: 100 × earned / (3 × weight), whole numbers (exact in a
            # double) divided once as doubles: the same correctly rounded figure as Python's;
            # null when nothing is scored (both sums null).
            score=Cast(100 * Sum("earned"), FloatField())
            / Cast(MAX_POINTS * Sum("scored_weight"), FloatField()),
            covered=Count("*"),  # COUNT(*): the covering index has all the aggregate reads
            scored=Count("earned"),  # "not applicable" is null: covered, not scored
            sum_reports=Sum("reports"),
        )
        .values_list("economy_id", "instrument_id", "score", "covered", "scored", "sum_reports")
    )
    # Numbers only: read straight from the cursor, without the ORM's per-value converters (a
    # global tracker has tens of thousands of these rows).
    try:
        sql, params = aggregate.query.sql_with_params()
    except EmptyResultSet:  # no economy or no instrument asked for: nothing to add up
        rows = []
    else:
        with connections[aggregate.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    # One Score per row the database summed (of the economies asked for), then one for every
    # other pair: nothing covered. Keyed (economy, instrument); no caller relies on the order.
    wanted = set(economy_ids)
    result: dict[tuple[int, int], Score] = {}
    for economy_id, instrument_id, score, covered, scored, reports in rows:
        total = totals.get(instrument_id)
        if total is None or economy_id not in wanted:
            continue
        result[(economy_id, instrument_id)] = Score(
            economy_id,
            instrument_id,
            score,
            covered / total,
            total,
            covered,
            scored,
            reports,
        )
    if len(result) < len(wanted) * len(totals):
        for economy_id in economy_ids:
            for instrument_id, total in totals.items():
                if (economy_id, instrument_id) not in result:
                    result[(economy_id, instrument_id)] = Score(
                        economy_id, instrument_id, None, 0.0, total, 0, 0, 0
                    )
    return result


def score_for_economy(
    *, economy_id: int, instrument_id: int, as_of: datetime.date | None = None
) -> Score:
    return scores_for_region(as_of=as_of, economy_ids=[economy_id], instrument_ids=[instrument_id])[
        (economy_id, instrument_id)
    ]


def regional_from_scores(scores: dict[tuple[int, int], Score]) -> dict[int, RegionalFigures]:
    by_instrument: dict[int, list[float | None]] = defaultdict(list)
    for (_, instrument_id), score in scores.items():
        by_instrument[instrument_id].append(score.score)
    return {i: regional_compute(values) for i, values in by_instrument.items()}


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


def convergence_series(
    *,
    years: Sequence[int],
    economy_ids: Iterable[int] | None = None,
    instrument_ids: Iterable[int] | None = None,
) -> dict[int, list[tuple[int, RegionalFigures]]]:
    """Regional figures of each instrument at each year-end (31 December), oldest first.

    Reads the year-end sums (one row per economy, instrument and year in which they changed).
    """
    from economies.models import Economy

    years = sorted(years)
    commitments = scored_commitments(instrument_ids=instrument_ids)
    economy_ids = (
        list(Economy.objects.values_list("pk", flat=True))
        if economy_ids is None
        else list(economy_ids)
    )
    series: dict[int, list[tuple[int, RegionalFigures]]] = defaultdict(list)
    if not years:
        return series
    instrument_ids_seen = sorted({c.instrument_id for c in commitments})
    values = {i: [[] for _ in years] for i in instrument_ids_seen}
    for (_, instrument_id), per_year in _year_end_walk(
        years=years, economy_ids=economy_ids, instrument_ids=instrument_ids_seen
    ):
        columns = values[instrument_id]
        for index, sums in enumerate(per_year):
            if sums is not None and sums[3]:  # scored
                columns[index].append(score_from_sums(sums[0], sums[1]))
    for instrument_id in instrument_ids_seen:
        series[instrument_id] = [
            (year, regional_compute(values[instrument_id][index]))
            for index, year in enumerate(years)
        ]
    return series


def _year_end_walk(*, years: list[int], economy_ids: list[int], instrument_ids: list[int]):
    """For each (economy, instrument) pair among those asked that has year-end sums, the sums
    (earned, scored weight, covered, scored, reports) standing at the end of each of the years
    (sorted), None before its first report: ((economy_id, instrument_id), [sums or None, …])."""
    from django.db import connections

    from tracker.models import YearEndScore

    qs = YearEndScore.objects.filter(year__lte=years[-1])
    if len(instrument_ids) <= FEW:
        qs = qs.filter(instrument_id__in=instrument_ids)
    if len(economy_ids) <= FEW:
        qs = qs.filter(economy_id__in=economy_ids)
    if not economy_ids or not instrument_ids:
        return
    qs = qs.order_by("economy_id", "instrument_id", "year").values_list(
        "economy_id",
        "instrument_id",
        "year",
        "earned",
        "scored_weight",
        "covered",
        "scored",
        "reports",
    )
    # Whole numbers only: straight from the cursor (a global tracker has 100,000s of rows).
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    wanted_economies, wanted_instruments = set(economy_ids), set(instrument_ids)
    start = 0
    while start < len(rows):
        key = rows[start][:2]
        end = start
        while end < len(rows) and rows[end][:2] == key:
            end += 1
        if key[0] in wanted_economies and key[1] in wanted_instruments:
            per_year, position, standing = [], start, None
            for year in years:
                while position < end and rows[position][2] <= year:
                    standing = rows[position][3:]
                    position += 1
                per_year.append(standing)
            yield key, per_year
        start = end


def year_end_sums(
    reports: Iterable[tuple[int, Decimal, str, datetime.date]],
) -> list[tuple[int, int, int, int, int, int]]:
    """(year, earned, scored weight, covered, scored, reports) at the end of each year in which
    one economy's published reports on one instrument changed, from those reports as
    (commitment_id, weight, status, effective date) in the order current_statuses() reads them.
    Sums are in hundredths of a weight, as cell_sums() gives them."""
    sums = [0, 0, 0, 0]  # earned, weight scored, covered, scored
    cells: dict[int, str] = {}
    rows: list[tuple[int, int, int, int, int, int]] = []
    year = None
    count = 0
    for commitment_id, weight, status, effective in reports:
        if year is not None and effective.year != year:
            rows.append((year, *sums, count))
        year = effective.year
        units = weight_units(weight)
        previous = cells.get(commitment_id)
        if previous is not None:
            _move(sums, previous, units, -1)
        _move(sums, status, units, +1)
        cells[commitment_id] = status
        count += 1
    if year is not None:
        rows.append((year, *sums, count))
    return rows


def _move(sums: list[int], status: str, weight: int, sign: int) -> None:
    """Add (sign +1) or take away (−1) one cell's status from its economy × instrument sums."""
    sums[2] += sign  # covered
    if status not in UNSCORED:
        sums[0] += sign * weight * POINTS[status]
        sums[1] += sign * weight
        sums[3] += sign


# --- figures for the public pages -----------------------------------------------------------
# Pure additions: each builds on the functions above and leaves their results unchanged.

# Five equal bands of the 0–100 score, each closed below and open above (the last one includes
# 100). The pages colour a score by its band and the distribution counts economies per band.
SCORE_BANDS: tuple[tuple[float, float, str], ...] = (
    (0, 20, "0 to under 20"),
    (20, 40, "20 to under 40"),
    (40, 60, "40 to under 60"),
    (60, 80, "60 to under 80"),
    (80, 100, "80 to 100"),
)


@dataclass(frozen=True, slots=True)
class Distribution:
    """How many economies fall in each score band, and how many have no score."""

    bands: tuple[tuple[str, int], ...]  # (label, economies), lowest band first
    no_data: int


@dataclass(frozen=True, slots=True)
class SigmaChange:
    """σ of an instrument at the first and the last year-end when two or more economies had a
    score; a fall means the region converges."""

    first_year: int
    first_stdev: float
    last_year: int
    last_stdev: float

    @property
    def change(self) -> float:
        return self.last_stdev - self.first_stdev

    @property
    def direction(self) -> str:
        """'converging', 'diverging' or 'unchanged' (within a hundredth of a point)."""
        if self.change < -0.005:
            return "converging"
        if self.change > 0.005:
            return "diverging"
        return "unchanged"


@dataclass(frozen=True, slots=True)
class WhatIf:
    """An economy's score on an instrument, and the region's mean and σ on it, before and after
    the economy fully implements one more commitment."""

    commitment_id: int
    instrument_id: int
    score_before: float | None
    score_after: float | None
    mean_before: float | None
    mean_after: float | None
    stdev_before: float | None
    stdev_after: float | None


def band_index(score: float | None) -> int | None:
    """Index of the band a score falls in (0 = lowest); None for no data."""
    if score is None:
        return None
    for index, (_low, high, _label) in enumerate(SCORE_BANDS):
        if score < high:
            return index
    return len(SCORE_BANDS) - 1


def distribution_compute(scores: Iterable[float | None]) -> Distribution:
    """Economies per score band; no data is counted apart, never as a score of 0."""
    counts = [0] * len(SCORE_BANDS)
    no_data = 0
    for score in scores:
        index = band_index(score)
        if index is None:
            no_data += 1
        else:
            counts[index] += 1
    return Distribution(
        tuple((label, n) for (_l, _h, label), n in zip(SCORE_BANDS, counts, strict=True)), no_data
    )


def coverage_overall(scores: Iterable[Score]) -> float | None:
    """Share of all (economy, economy-scope commitment) pairs that have a published status."""
    covered = total = 0
    for score in scores:
        covered += score.covered
        total += score.commitments
    return covered / total if total else None


def sigma_change(series: Sequence[tuple[int, RegionalFigures]]) -> SigmaChange | None:
    """σ at the first and last year-ends with two or more scores; None when fewer than two
    such years (one economy alone has no spread to compare)."""
    spread = [(year, f.stdev) for year, f in series if f.economies_with_data >= 2]
    if len(spread) < 2:
        return None
    (first_year, first), (last_year, last) = spread[0], spread[-1]
    return SigmaChange(first_year, first, last_year, last)


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
    sums; a year that stands on `until` from the statuses as of that date."""
    years = sorted(years)
    economy_ids = list(economy_ids)
    commitments = scored_commitments(instrument_ids=instrument_ids)
    series: dict[tuple[int, int], list[tuple[int, Score]]] = defaultdict(list)
    if not years or not economy_ids:
        return series
    totals: dict[int, int] = defaultdict(int)
    for commitment in commitments:
        totals[commitment.instrument_id] += 1
    ended = [y for y in years if until is None or datetime.date(y, 12, 31) <= until]
    open_years = years[len(ended) :]
    walked = dict(
        _year_end_walk(years=ended, economy_ids=economy_ids, instrument_ids=list(totals))
        if ended
        else ()
    )
    nothing = [None] * len(ended)
    for economy_id in economy_ids:
        for instrument_id, total in totals.items():
            points = series[(economy_id, instrument_id)]
            per_year = walked.get((economy_id, instrument_id), nothing)
            for year, sums in zip(ended, per_year, strict=True):
                earned, weight, covered, scored, reports = sums or (0, 0, 0, 0, 0)
                points.append(
                    (
                        year,
                        Score(
                            economy_id,
                            instrument_id,
                            score_from_sums(earned, weight) if scored else None,
                            covered / total,
                            total,
                            covered,
                            scored,
                            reports,
                        ),
                    )
                )
    if open_years:
        scores = scores_for_region(
            as_of=until, economy_ids=economy_ids, instrument_ids=list(totals)
        )
        for key, score in scores.items():
            series[key].extend((year, score) for year in open_years)
    return series


def what_if_implemented(
    *,
    statuses: dict[tuple[int, int], CurrentStatus],
    commitments: Sequence[ScoredCommitment],
    economy_ids: Sequence[int],
    economy_id: int,
    commitment_id: int,
    before: dict[tuple[int, int], Score] | None = None,
) -> WhatIf:
    """What changes if one economy fully implements one commitment, all else as it stands.

    `statuses` are the current statuses of every economy in `economy_ids` (the region whose mean
    and σ are compared); `commitments` are the economy-scope commitments of at least the
    commitment's instrument. `before`, the scores of those statuses, saves recomputing them when
    a page asks the question for many commitments: only the one economy's score moves.
    """
    target = next(c for c in commitments if c.commitment_id == commitment_id)
    members = [c for c in commitments if c.instrument_id == target.instrument_id]
    key = (economy_id, target.instrument_id)
    if before is None:
        before = scores_from_statuses(
            statuses=statuses, commitments=members, economy_ids=economy_ids
        )
    pairs = []
    for c in members:
        if c.commitment_id == commitment_id:
            pairs.append((Status.IMPLEMENTED, c.weight))
        elif (economy_id, c.commitment_id) in statuses:
            pairs.append((statuses[(economy_id, c.commitment_id)].status, c.weight))
    score_after = score_compute(statuses=pairs, commitments=len(members))[0]
    scores_before = [before[(e, target.instrument_id)].score for e in economy_ids]
    scores_after = [
        score_after if e == economy_id else before[(e, target.instrument_id)].score
        for e in economy_ids
    ]
    regional_before = regional_compute(scores_before)
    regional_after = regional_compute(scores_after)
    return WhatIf(
        commitment_id=commitment_id,
        instrument_id=target.instrument_id,
        score_before=before[key].score,
        score_after=score_after,
        mean_before=regional_before.mean,
        mean_after=regional_after.mean,
        stdev_before=regional_before.stdev,
        stdev_after=regional_after.stdev,
    )
