"""The regional dashboard: the heatmap of scores, how uneven each instrument is, the tile-grid
map and the headline figures."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from economies.models import Economy
from instruments.models import Instrument
from tracker import scoring
from tracker.selectors.origins import (
    NO_ORIGINS,
    ScoreOrigins,
    origins_on,
    origins_today,
)
from tracker.selectors.shown import economies_shown, scored_instruments
from tracker.selectors.updates import Update, updates_latest

# --- heatmap -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatmapRow:
    economy: Economy
    cells: list[scoring.Score]
    origins: list["ScoreOrigins"] | None = None  # one per cell: where its statuses come from


@dataclass(frozen=True)
class Heatmap:
    instruments: list[Instrument]
    economies: list[Economy]
    regional: dict[int, scoring.RegionalFigures]
    scores: dict[tuple[int, int], scoring.Score]

    def rows(
        self,
        economies: list[Economy] | None = None,
        *,
        origins: dict[tuple[int, int], "ScoreOrigins"] | None = None,
    ) -> list[HeatmapRow]:
        """The table's rows for some of its economies (a page of them), all by default, with
        where each cell's statuses come from when `origins` (origins_by_score()) is given."""
        return [
            HeatmapRow(
                economy,
                [self.scores[(economy.pk, i.pk)] for i in self.instruments],
                None
                if origins is None
                else [origins.get((economy.pk, i.pk), NO_ORIGINS) for i in self.instruments],
            )
            for economy in (self.economies if economies is None else economies)
        ]


def heatmap_rows(
    heatmap: Heatmap, *, economies: list[Economy], as_of: datetime.date | None = None
) -> list[HeatmapRow]:
    """The rows of a page of the heatmap, each cell with the origins of its statuses and its
    disagreements: today one query over the current-status table, which carries both
    (origins_today()); on a past date two range reads grouped in the database (origins_on())."""
    economy_ids = [e.pk for e in economies]
    instrument_ids = [i.pk for i in heatmap.instruments]
    if scoring.source_for(as_of) is scoring.Source.CURRENT_TABLE:
        origins = origins_today(economy_ids=economy_ids, instrument_ids=instrument_ids)
    else:
        origins = origins_on(as_of, economy_ids=economy_ids, instrument_ids=instrument_ids)
    return heatmap.rows(economies, origins=origins)


def heatmap_for_region(
    *,
    as_of: datetime.date | None = None,
    economies: QuerySet[Economy] | None = None,
    instruments: QuerySet[Instrument] | None = None,
) -> Heatmap:
    """Economies × instruments with the score and coverage of each cell."""
    instrument_list = scored_instruments(instruments=instruments)
    economy_list = economies_shown(economies=economies)
    region = scoring.region_scores(
        as_of=as_of,
        economy_ids=[e.pk for e in economy_list],
        instrument_ids=[i.pk for i in instrument_list],
    )
    return Heatmap(instrument_list, economy_list, region.regional, region.scores)


# --- how uneven each instrument is -------------------------------------------------------------


@dataclass(frozen=True)
class Unevenness:
    """The regional figures of one instrument, with the economies at either end."""

    instrument: Instrument
    figures: scoring.RegionalFigures
    leaders: list[Economy]  # the economies at the regional maximum
    laggards: list[Economy]  # the economies at the regional minimum


def unevenness_for(heatmap: Heatmap) -> list[Unevenness]:
    result = []
    economies = [(economy.pk, economy) for economy in heatmap.economies]
    for instrument in heatmap.instruments:
        instrument_id = instrument.pk
        figures = heatmap.regional.get(instrument_id, scoring.NO_FIGURES)
        leaders, laggards = [], []
        if figures.economies_with_data:
            for economy_id, economy in economies:
                score = heatmap.scores[(economy_id, instrument_id)].score
                if score == figures.max:
                    leaders.append(economy)
                if score == figures.min:
                    laggards.append(economy)
        result.append(Unevenness(instrument, figures, leaders, laggards))
    return result


# --- tile-grid map -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapTile:
    economy: Economy
    score: scoring.Score


@dataclass(frozen=True)
class TileMap:
    instrument: Instrument | None
    tiles: list[MapTile]

    @property
    def columns(self) -> int:
        """How many columns the map's grid needs."""
        return max((t.economy.grid_col for t in self.tiles), default=0) + 1


def tile_map_for(heatmap: Heatmap, *, slug: str | None) -> TileMap:
    """Tiles of the economies on the chosen instrument (by slug); by default the instrument
    with the most economies that have a score. An unknown slug raises LookupError."""
    if not heatmap.instruments:
        return TileMap(None, [])
    if slug:
        matches = [i for i in heatmap.instruments if i.slug == slug]
        if not matches:
            raise LookupError(slug)
        instrument = matches[0]
    else:
        instrument = max(
            heatmap.instruments,
            # max() keeps the first of equals: the oldest instrument wins a tie.
            key=lambda i: heatmap.regional.get(i.pk, scoring.NO_FIGURES).economies_with_data,
        )
    tiles = [
        MapTile(economy, heatmap.scores[(economy.pk, instrument.pk)])
        for economy in heatmap.economies
    ]
    tiles.sort(key=lambda t: (t.economy.grid_row, t.economy.grid_col))
    return TileMap(instrument, tiles)


# --- the regional dashboard --------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    economies: int
    instruments: int
    reports: int  # published reports in force by the date
    coverage: float | None  # share of economy × commitment pairs with a published status
    most_uneven: Unevenness | None  # the instrument with the largest σ
    latest: datetime.date | None  # the latest effective date of a published report


@dataclass(frozen=True)
class Dashboard:
    headline: Headline
    heatmap: Heatmap
    unevenness: list[Unevenness]
    tile_map: TileMap
    updates: list[Update]


def dashboard_for_region(
    *,
    as_of: datetime.date | None = None,
    economies: QuerySet[Economy] | None = None,
    instruments: QuerySet[Instrument] | None = None,
    map_slug: str | None = None,
) -> Dashboard:
    """Everything the regional dashboard shows. An unknown map_slug raises LookupError."""
    heatmap = heatmap_for_region(as_of=as_of, economies=economies, instruments=instruments)
    unevenness = unevenness_for(heatmap)
    tile_map = tile_map_for(heatmap, slug=map_slug)
    # Restricted to the heatmap's instruments so the headline and the heatmap agree.
    scored = Instrument.objects.filter(pk__in=[i.pk for i in heatmap.instruments])
    updates = updates_latest(as_of=as_of, economies=economies, instruments=scored)
    spread = [u for u in unevenness if u.figures.economies_with_data >= 2]
    headline = Headline(
        economies=len(heatmap.economies),
        instruments=len(heatmap.instruments),
        # Every report is on an economy-scope commitment, so on one of the heatmap's cells.
        reports=sum(score.reports for score in heatmap.scores.values()),
        coverage=scoring.coverage_overall(heatmap.scores.values()),
        most_uneven=max(spread, key=lambda u: u.figures.stdev) if spread else None,
        latest=updates[0].report.effective_date if updates else None,
    )
    return Dashboard(headline, heatmap, unevenness, tile_map, updates)
