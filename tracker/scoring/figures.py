"""Figures the public pages derive from the scores: bands, distribution, σ change, what-if.

Plain Python, no Django, like tracker.scoring.formulas on which they build: each takes scores
or regional figures already worked out and leaves them unchanged.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tracker.scoring.formulas import (
    IMPLEMENTED,
    CellStatus,
    RegionalFigures,
    Score,
    ScoredCommitment,
    regional_compute,
    score_compute,
    scores_from_statuses,
)

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
        bands=tuple((label, n) for (_l, _h, label), n in zip(SCORE_BANDS, counts, strict=True)),
        no_data=no_data,
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
    return SigmaChange(
        first_year=first_year, first_stdev=first, last_year=last_year, last_stdev=last
    )


def what_if_implemented(
    *,
    statuses: dict[tuple[int, int], CellStatus],
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
            pairs.append((IMPLEMENTED, c.weight))
        elif (economy_id, c.commitment_id) in statuses:
            pairs.append((statuses[(economy_id, c.commitment_id)].status, c.weight))
    score_after = score_compute(statuses=pairs, commitments=len(members)).score
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
