"""The scoring formulas and their named results: plain Python, no Django.

Everything here works on values already read (statuses as the model's plain string values,
weights as Decimals, sums as whole numbers); tracker.scoring.readers reads them from the
database and tracker.scoring.region puts the two together for the selectors. Being free of
Django, these functions can be read, tested and reasoned about alone.

- score of economy E on instrument I = 100 × Σ w·points / Σ w·3 over the economy-scope
  commitments of I that have a scored status for E; none scored → no data (None), never 0;
- coverage = economy-scope commitments of I with any published status for E (not applicable
  included) / all economy-scope commitments of I;
- regional figures of I = mean, median, min, max, population standard deviation and Gini
  coefficient of the scores that exist, with the number of economies that have one.
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

# The values of tracker.models.Status (a test checks they agree): plain strings, so that this
# module needs no model. A Status member is equal to its value, so both work as keys below.
IMPLEMENTED = "implemented"
PARTIAL = "partial"
PILOT = "pilot"
PLANNED = "planned"
NOT_IMPLEMENTED = "not_implemented"
NOT_APPLICABLE = "not_applicable"

POINTS: dict[str, int] = {
    IMPLEMENTED: 3,
    PARTIAL: 2,
    PILOT: 1,
    PLANNED: 0,
    NOT_IMPLEMENTED: 0,
}
MAX_POINTS = 3
# Not applicable is left out of the score (but counts towards coverage).
UNSCORED = frozenset({NOT_APPLICABLE})


# --- named results --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CellStatus:
    """The status of one economy on one commitment (one cell) as of a date."""

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


class ScoreParts(NamedTuple):
    """What score_compute() works out from the statuses of one economy on one instrument."""

    score: float | None
    coverage: float | None
    covered: int
    scored: int


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


NO_FIGURES = RegionalFigures(
    economies_with_data=0, mean=None, median=None, min=None, max=None, stdev=None, gini=None
)


class YearEndRow(NamedTuple):
    """One economy's sums on one instrument at the end of a year in which they changed (a row
    of tracker.models.YearEndScore), in hundredths of a weight as cell_sums() gives them."""

    year: int
    earned: int
    scored_weight: int
    covered: int
    scored: int
    reports: int


# --- one economy on one instrument ------------------------------------------------------------


def score_without_data(*, economy_id: int, instrument_id: int, commitments: int) -> Score:
    """The score of an economy with no published status on an instrument's economy-scope
    commitments: no data, and a coverage of 0 (None where the instrument has none)."""
    return Score(
        economy_id=economy_id,
        instrument_id=instrument_id,
        score=None,
        coverage=0.0 if commitments else None,
        commitments=commitments,
        covered=0,
        scored=0,
        reports=0,
    )


# The statuses a past target date does not make overdue (readers.economies_activity() asks
# the same in SQL).
NEVER_OVERDUE = (IMPLEMENTED, NOT_APPLICABLE)


def is_overdue(*, status: str, target_date: datetime.date | None, today: datetime.date) -> bool:
    """A target date in the past with the status still short of full implementation."""
    return target_date is not None and target_date < today and status not in NEVER_OVERDUE


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


def score_compute(*, statuses: Iterable[tuple[str, Decimal]], commitments: int) -> ScoreParts:
    """Score and coverage from (status, weight) pairs of the commitments that have a status."""
    earned = possible = covered = scored = 0
    for status, weight in statuses:
        covered += 1
        points, units = cell_sums(status, weight)
        if units is None:
            continue
        scored += 1
        earned += points
        possible += units
    return ScoreParts(
        score=score_from_sums(earned, possible),
        coverage=covered / commitments if commitments else None,
        covered=covered,
        scored=scored,
    )


def scores_from_statuses(
    *,
    statuses: dict[tuple[int, int], CellStatus],
    commitments: Sequence[ScoredCommitment],
    economy_ids: Iterable[int],
) -> dict[tuple[int, int], Score]:
    """Score of every economy on every instrument that has economy-scope commitments, keyed
    (economy_id, instrument_id), from the cells' statuses keyed (economy_id, commitment_id)."""
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
            parts = score_compute(
                statuses=[(cell.status, weight) for cell, weight in cells],
                commitments=len(members),
            )
            result[(economy_id, instrument_id)] = Score(
                economy_id=economy_id,
                instrument_id=instrument_id,
                score=parts.score,
                coverage=parts.coverage,
                commitments=len(members),
                covered=parts.covered,
                scored=parts.scored,
                reports=sum(cell.reports for cell, _ in cells),
            )
    return result


# --- the region -------------------------------------------------------------------------------


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


def regional_compute(scores: Iterable[float | None]) -> RegionalFigures:
    """Regional figures over the scores that exist; no data is left out, never taken as 0."""
    ordered = sorted(s for s in scores if s is not None)
    if not ordered:
        return NO_FIGURES
    n = len(ordered)
    if ordered[0] == ordered[-1]:  # all equal: no spread at all, not a rounding error's worth
        only = ordered[0]
        return RegionalFigures(
            economies_with_data=n, mean=only, median=only, min=only, max=only, stdev=0.0, gini=0.0
        )
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


def regional_from_scores(scores: dict[tuple[int, int], Score]) -> dict[int, RegionalFigures]:
    """Regional figures of each instrument over the scores given, keyed by instrument id."""
    by_instrument: dict[int, list[float | None]] = defaultdict(list)
    for (_, instrument_id), score in scores.items():
        by_instrument[instrument_id].append(score.score)
    return {i: regional_compute(values) for i, values in by_instrument.items()}


# --- year-end sums ----------------------------------------------------------------------------


@dataclass(slots=True)
class _RunningSums:
    """One economy × instrument's sums while its reports are replayed, in hundredths of a weight."""

    earned: int = 0
    scored_weight: int = 0
    covered: int = 0
    scored: int = 0

    def move(self, status: str, units: int, sign: int) -> None:
        """Add (sign +1) or take away (−1) one cell's status."""
        self.covered += sign
        if status not in UNSCORED:
            self.earned += sign * units * POINTS[status]
            self.scored_weight += sign * units
            self.scored += sign

    def row(self, year: int, reports: int) -> YearEndRow:
        return YearEndRow(
            year=year,
            earned=self.earned,
            scored_weight=self.scored_weight,
            covered=self.covered,
            scored=self.scored,
            reports=reports,
        )


def year_end_sums(reports: Iterable[tuple[int, Decimal, str, datetime.date]]) -> list[YearEndRow]:
    """The sums at the end of each year in which one economy's published reports on one
    instrument changed, from those reports as (commitment_id, weight, status, effective date)
    in the order the current-status rule reads them (latest effective date last; on a tie, the
    one published last). Sums are in hundredths of a weight, as cell_sums() gives them."""
    sums = _RunningSums()
    cells: dict[int, str] = {}
    rows: list[YearEndRow] = []
    year = None
    count = 0
    for commitment_id, weight, status, effective in reports:
        if year is not None and effective.year != year:
            rows.append(sums.row(year, count))
        year = effective.year
        units = weight_units(weight)
        previous = cells.get(commitment_id)
        if previous is not None:
            sums.move(previous, units, -1)
        sums.move(status, units, +1)
        cells[commitment_id] = status
        count += 1
    if year is not None:
        rows.append(sums.row(year, count))
    return rows
