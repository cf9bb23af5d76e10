"""Reads for the instrument pages; every figure comes from tracker.scoring."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from economies.models import Economy
from instruments.models import Commitment, Forum, Instrument, Theme, economy_scope_filter
from tracker import scoring
from tracker.selectors import (
    CellOrigins,
    cell_origins,
    economies_shown,
    today_or,
)


def themes() -> list[Theme]:
    return list(Theme.objects.order_by("name"))


def forums() -> list[Forum]:
    """Forums that oversee at least one instrument, for the filter's choices."""
    return list(Forum.objects.filter(instruments__isnull=False).distinct().order_by("short_name"))


# --- /instruments/ -------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstrumentRow:
    instrument: Instrument
    economy_commitments: int
    collective_commitments: int
    regional: scoring.RegionalFigures | None  # None: nothing each economy carries out


def instrument_list(
    *, as_of: datetime.date | None = None, instruments: QuerySet[Instrument] | None = None
) -> list[InstrumentRow]:
    qs = Instrument.objects.all() if instruments is None else instruments
    instrument_list = list(
        qs.select_related("forum")
        .prefetch_related("themes")
        .annotate(
            economy_commitments=Count("commitments", filter=economy_scope_filter("commitments__")),
            collective_commitments=Count(
                "commitments", filter=~economy_scope_filter("commitments__")
            ),
        )
        .in_adoption_order()
    )
    regional = scoring.regional_for_instruments(
        as_of=as_of, instrument_ids=[i.pk for i in instrument_list]
    )
    return [
        InstrumentRow(
            i,
            i.economy_commitments,
            i.collective_commitments,
            regional.get(i.pk, scoring.NO_FIGURES) if i.economy_commitments else None,
        )
        for i in instrument_list
    ]


# --- /instruments/<slug>/ ------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    status: scoring.CellStatus | None  # None = no data
    overdue: bool
    origins: CellOrigins | None = None  # what each origin last said on the cell


@dataclass(frozen=True)
class Ranked:
    """An economy's place in the matrix: its score on the instrument."""

    economy: Economy
    score: scoring.Score


@dataclass(frozen=True)
class MatrixRow:
    economy: Economy
    cells: list[MatrixCell]  # one per economy-scope commitment, in the commitments' order
    score: scoring.Score


@dataclass(frozen=True)
class Stage:
    """One step of the prerequisite pipeline: commitments whose prerequisites all come earlier."""

    number: int
    commitments: list[Commitment]


@dataclass(frozen=True)
class InstrumentProfile:
    instrument: Instrument
    commitments: list[Commitment]  # economy scope, scored
    collective: list[Commitment]
    stages: list[Stage]  # empty when no commitment depends on another
    ranking: list[Ranked]  # every economy shown: leaders first, no data last
    as_of: datetime.date | None
    regional: scoring.RegionalFigures
    distribution: scoring.Distribution
    series: list[tuple[int, scoring.RegionalFigures]]
    change: scoring.SigmaChange | None
    last_date: datetime.date

    def matrix_rows(self, ranking: list[Ranked]) -> list[MatrixRow]:
        """The matrix's rows for some of the ranked economies (a page of them): the status of
        each on every commitment and where it comes from, read for these economies only (a
        global tracker ranks hundreds: two queries)."""
        economy_ids = [place.economy.pk for place in ranking]
        commitment_ids = [c.pk for c in self.commitments]
        statuses = scoring.current_statuses(
            as_of=self.as_of, economy_ids=economy_ids, commitment_ids=commitment_ids
        )
        origins = cell_origins(
            as_of=self.as_of, economy_ids=economy_ids, commitment_ids=commitment_ids
        )
        rows = []
        for place in ranking:
            economy_id = place.economy.pk
            cells = []
            for commitment in self.commitments:
                key = (economy_id, commitment.pk)
                status = statuses.get(key)
                cells.append(
                    MatrixCell(
                        status,
                        bool(status and status.is_overdue(self.last_date)),
                        origins.get(key),
                    )
                )
            rows.append(MatrixRow(place.economy, cells, place.score))
        return rows


def pipeline_stages(commitments: list[Commitment]) -> list[Stage]:
    """Order commitments by their prerequisites: stage 1 needs nothing, stage n needs something
    from stage n − 1. Prerequisites outside the list are shown with the commitment, not staged.
    Empty when no commitment of the list depends on another."""
    members = {c.pk: c for c in commitments}
    needs = {c.pk: [p.pk for p in c.prerequisites.all() if p.pk in members] for c in commitments}
    if not any(needs.values()):
        return []
    stage: dict[int, int] = {}

    def stage_of(pk: int, path: frozenset[int] = frozenset()) -> int:
        if pk not in stage:
            # A cycle (which the editors should not create) is cut where it closes.
            earlier = [stage_of(p, path | {pk}) for p in needs[pk] if p not in path | {pk}]
            stage[pk] = 1 + max(earlier, default=0)
        return stage[pk]

    for pk in members:
        stage_of(pk)
    return [
        Stage(n, [c for c in commitments if stage[c.pk] == n])
        for n in range(1, max(stage.values()) + 1)
    ]


def instrument_profile(
    *,
    instrument: Instrument,
    as_of: datetime.date | None = None,
    economies: QuerySet[Economy] | None = None,
) -> InstrumentProfile:
    """What the instrument is, its commitments and pipeline, the economies ranked by score (the
    matrix's rows: InstrumentProfile.matrix_rows), the distribution of scores and the regional
    mean and σ over time, for the economies shown."""
    all_commitments = list(
        instrument.commitments.order_by("order", "code").prefetch_related(
            Prefetch("prerequisites", queryset=Commitment.objects.select_related("instrument"))
        )
    )
    scored = [c for c in all_commitments if c.is_scored]
    collective = [c for c in all_commitments if not c.is_scored]
    economy_list = economies_shown(economies=economies)
    economy_ids = [e.pk for e in economy_list]

    # The scores summed in the database; the statuses behind them are read for the matrix's
    # page of economies only (InstrumentProfile.matrix_rows).
    region = scoring.region_scores(
        as_of=as_of, economy_ids=economy_ids, instrument_ids=[instrument.pk]
    )
    day = today_or(as_of)
    ranking = [
        Ranked(economy, region.score_of(economy.pk, instrument.pk)) for economy in economy_list
    ]
    # Leaders first; no data last; ties by name (the list is already by name, sort is stable).
    ranking.sort(key=lambda r: (r.score.score is None, -(r.score.score or 0)))
    # The current year stands on the view's date: the snapshot's figures.
    series = scoring.convergence_until(
        as_of=as_of,
        economy_ids=economy_ids,
        instrument_ids=[instrument.pk],
        latest=region.regional,
        commitments=[
            scoring.ScoredCommitment(
                commitment_id=c.pk, instrument_id=instrument.pk, weight=c.weight
            )
            for c in scored
        ],
    ).of(instrument.pk)

    return InstrumentProfile(
        instrument=instrument,
        commitments=scored,
        collective=collective,
        stages=pipeline_stages(scored),
        ranking=ranking,
        as_of=as_of,
        regional=region.figures_of(instrument.pk),
        distribution=scoring.distribution_compute(r.score.score for r in ranking),
        series=series,
        change=scoring.sigma_change(series),
        last_date=day,
    )
