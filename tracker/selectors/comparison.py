"""Economies side by side: each one's score and every commitment's status, instrument by
instrument."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from economies.models import Economy
from instruments.models import Commitment, Instrument
from tracker import scoring
from tracker.selectors.origins import CellOrigins, cell_origins
from tracker.selectors.shown import EVERY_ROW_UP_TO, scored_instruments, today_or

# --- economies side by side --------------------------------------------------------------------


@dataclass(frozen=True)
class CompareRow:
    instrument: Instrument
    scores: list[scoring.Score]  # one per compared economy, in the order asked
    regional: scoring.RegionalFigures  # over the whole region


@dataclass(frozen=True)
class CompareCell:
    economy: Economy
    status: scoring.CellStatus | None  # None = no data
    overdue: bool
    origins: "CellOrigins | None" = None  # where the status comes from (cell_origins)


@dataclass(frozen=True)
class CompareCommitment:
    commitment: Commitment
    cells: list[CompareCell]  # one per compared economy, in the order asked


@dataclass(frozen=True)
class CompareSection:
    instrument: Instrument
    commitments: list[CompareCommitment]  # none while the instrument is closed
    count: int  # its economy-scope commitments
    is_open: bool = True


@dataclass(frozen=True)
class Comparison:
    economies: list[Economy]
    rows: list[CompareRow]
    sections: list[CompareSection]
    every_row: bool = True  # every instrument open (at most EVERY_ROW_UP_TO commitments in all)


def comparison_for(
    *,
    economies: list[Economy],
    as_of: datetime.date | None = None,
    instruments: QuerySet[Instrument] | None = None,
) -> Comparison:
    """Scores and statuses of a few economies side by side, with the regional mean.

    Up to EVERY_ROW_UP_TO commitments in all, every instrument's commitments are listed with
    each economy's status; above it (a global tracker's 1,200), each instrument gives its
    count and opens alone (the page filtered to it, ?instrument=, which lists all its rows),
    and no status is read."""
    instrument_list = scored_instruments(instruments=instruments)
    instrument_ids = [i.pk for i in instrument_list]
    # The whole region's scores, summed in the database: the regional mean is over every
    # economy, not the few compared; the statuses cell by cell of the few compared only.
    region = scoring.region_scores(as_of=as_of, instrument_ids=instrument_ids)
    rows = [
        CompareRow(
            instrument,
            [region.scores[(e.pk, instrument.pk)] for e in economies],
            region.figures_of(instrument.pk),
        )
        for instrument in instrument_list
    ]
    counts = {
        i.pk: region.score_of(economies[0].pk, i.pk).commitments if economies else 0
        for i in instrument_list
    }
    if len(instrument_list) > 1 and sum(counts.values()) > EVERY_ROW_UP_TO:
        closed = [CompareSection(i, [], counts[i.pk], is_open=False) for i in instrument_list]
        return Comparison(economies, rows, closed, every_row=False)
    chosen = scoring.region_snapshot(
        as_of=as_of, economy_ids=[e.pk for e in economies], instrument_ids=instrument_ids
    )
    day = today_or(as_of)
    origins = cell_origins(
        as_of=as_of,
        economy_ids=[e.pk for e in economies],
        commitment_ids=[c.commitment_id for c in chosen.commitments],
    )
    by_instrument: dict[int, list[CompareCommitment]] = defaultdict(list)
    for commitment in (
        Commitment.objects.economy_scope()
        .filter(instrument_id__in=instrument_ids)
        .order_by("order", "code")
    ):
        cells = []
        for economy in economies:
            status = chosen.statuses.get((economy.pk, commitment.pk))
            cells.append(
                CompareCell(
                    economy,
                    status,
                    bool(status and status.is_overdue(day)),
                    origins.get((economy.pk, commitment.pk)),
                )
            )
        by_instrument[commitment.instrument_id].append(CompareCommitment(commitment, cells))
    sections = [CompareSection(i, by_instrument[i.pk], counts[i.pk]) for i in instrument_list]
    return Comparison(economies, rows, sections)
