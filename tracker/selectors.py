"""Reads for the public pages: each returns plain data, with every figure from tracker.scoring."""

import datetime
from dataclasses import dataclass

from economies.models import Economy
from instruments.models import Commitment, Instrument
from tracker import scoring


@dataclass(frozen=True)
class HeatmapRow:
    economy: Economy
    cells: list[scoring.Score]


@dataclass(frozen=True)
class Heatmap:
    instruments: list[Instrument]
    rows: list[HeatmapRow]
    regional: dict[int, scoring.RegionalFigures]


def scored_instruments() -> list[Instrument]:
    """Instruments with at least one commitment each economy carries out, oldest first."""
    return list(
        Instrument.objects.filter(commitments__scope=Commitment.Scope.ECONOMY)
        .distinct()
        .order_by("adopted_on", "short_name")
    )


def heatmap_for_region(*, as_of: datetime.date | None = None) -> Heatmap:
    """Economies × instruments with the score and coverage of each cell."""
    instruments = scored_instruments()
    economies = list(Economy.objects.order_by("name"))
    scores = scoring.scores_for_region(
        as_of=as_of,
        economy_ids=[e.pk for e in economies],
        instrument_ids=[i.pk for i in instruments],
    )
    rows = [
        HeatmapRow(economy, [scores[(economy.pk, instrument.pk)] for instrument in instruments])
        for economy in economies
    ]
    return Heatmap(instruments, rows, scoring.regional_from_scores(scores))
