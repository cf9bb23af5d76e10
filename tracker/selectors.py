"""Reads for the public pages: each returns plain data, with every figure from tracker.scoring.

Selectors take the economies and instruments a page shows as querysets (already filtered by the
page's filtersets) and an `as_of` date (None = today's view), and never compute a figure
themselves: they pick, order and label what tracker.scoring computes.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Max, Min, QuerySet, Window
from django.db.models.functions import RowNumber

from economies.models import Economy
from instruments.models import Commitment, Instrument
from softlaw import clock
from tracker import scoring
from tracker.models import CURRENT_ORDER, Origin, StatusReport

# --- the instruments and economies a page shows ---------------------------------------------


def scored_instruments(*, instruments: QuerySet[Instrument] | None = None) -> list[Instrument]:
    """Instruments with at least one commitment each economy carries out, oldest first
    (an instrument of unknown date last, on every database)."""
    qs = Instrument.objects.all() if instruments is None else instruments
    return list(
        qs.filter(
            pk__in=Commitment.objects.economy_scope().values("instrument_id")
        ).in_adoption_order()
    )


def economies_shown(*, economies: QuerySet[Economy] | None = None) -> list[Economy]:
    qs = Economy.objects.all() if economies is None else economies
    return list(qs.order_by("name"))


def today_or(as_of: datetime.date | None) -> datetime.date:
    """The date a view stands on: overdue targets are those before it."""
    return as_of or clock.today()


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
    disagreements (three queries for the page's economies: the commitments of the heatmap's
    instruments, and cell_origins())."""
    instrument_of = dict(
        Commitment.objects.economy_scope()
        .filter(instrument_id__in=[i.pk for i in heatmap.instruments])
        .values_list("pk", "instrument_id")
    )
    cells = cell_origins(
        as_of=as_of, economy_ids=[e.pk for e in economies], commitment_ids=list(instrument_of)
    )
    return heatmap.rows(economies, origins=origins_by_score(cells, instrument_of=instrument_of))


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


# --- updates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Update:
    """A published status report, with the status it replaced on the same commitment."""

    report: StatusReport
    previous_status: str | None  # None: the first status published for the pair
    overdue: bool


def updates_queryset(
    *,
    as_of: datetime.date | None = None,
    economies: QuerySet[Economy] | None = None,
    instruments: QuerySet[Instrument] | None = None,
) -> QuerySet[StatusReport]:
    """Published reports in force by a date, newest effective date first."""
    qs = (
        StatusReport.objects.published()
        .effective_by(as_of)
        .select_related("economy", "commitment__instrument")
        .order_by("-effective_date", "-published_at", "-pk")
    )
    if economies is not None:
        qs = qs.filter(economy__in=economies)
    if instruments is not None:
        qs = qs.filter(commitment__instrument__in=instruments)
    return qs


def updates_with_previous(
    reports: list[StatusReport], *, as_of: datetime.date | None = None
) -> list[Update]:
    """Each report with the status that held on its commitment just before it (one query)."""
    if not reports:
        return []
    history = (
        StatusReport.objects.published()
        .effective_by(as_of)
        .filter(
            economy_id__in={r.economy_id for r in reports},
            commitment_id__in={r.commitment_id for r in reports},
        )
        # The order in which scoring decides which report is current.
        .in_current_order()
        .values_list("pk", "economy_id", "commitment_id", "status")
    )
    previous: dict[int, str | None] = {}
    last_seen: dict[tuple[int, int], str] = {}
    for pk, economy_id, commitment_id, status in history:
        previous[pk] = last_seen.get((economy_id, commitment_id))
        last_seen[(economy_id, commitment_id)] = status
    day = today_or(as_of)
    return [
        Update(
            report,
            previous.get(report.pk),
            scoring.is_overdue(status=report.status, target_date=report.target_date, today=day),
        )
        for report in reports
    ]


def updates_latest(
    *,
    as_of: datetime.date | None = None,
    economies: QuerySet[Economy] | None = None,
    instruments: QuerySet[Instrument] | None = None,
    limit: int = 8,
) -> list[Update]:
    reports = list(
        updates_queryset(as_of=as_of, economies=economies, instruments=instruments)[:limit]
    )
    return updates_with_previous(reports, as_of=as_of)


def updates_for_feed(*, limit: int = 50) -> list[StatusReport]:
    """The reports published last, for the Atom feed: a feed reader wants what is new."""
    return list(
        StatusReport.objects.published()
        .select_related("economy", "commitment__instrument")
        .order_by("-published_at", "-pk")[:limit]
    )


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
    commitments: list[CompareCommitment]


@dataclass(frozen=True)
class Comparison:
    economies: list[Economy]
    rows: list[CompareRow]
    sections: list[CompareSection]


def comparison_for(
    *,
    economies: list[Economy],
    as_of: datetime.date | None = None,
    instruments: QuerySet[Instrument] | None = None,
) -> Comparison:
    """Scores and statuses of a few economies side by side, with the regional mean."""
    instrument_list = scored_instruments(instruments=instruments)
    instrument_ids = [i.pk for i in instrument_list]
    # The whole region's statuses: the regional mean is over every economy, not the few compared.
    region = scoring.region_snapshot(as_of=as_of, instrument_ids=instrument_ids)
    rows = [
        CompareRow(
            instrument,
            [region.scores[(e.pk, instrument.pk)] for e in economies],
            region.figures_of(instrument.pk),
        )
        for instrument in instrument_list
    ]
    day = today_or(as_of)
    origins = cell_origins(
        as_of=as_of,
        economy_ids=[e.pk for e in economies],
        commitment_ids=[c.commitment_id for c in region.commitments],
    )
    by_instrument: dict[int, list[CompareCommitment]] = defaultdict(list)
    for commitment in (
        Commitment.objects.economy_scope()
        .filter(instrument_id__in=instrument_ids)
        .order_by("order", "code")
    ):
        cells = []
        for economy in economies:
            status = region.statuses.get((economy.pk, commitment.pk))
            cells.append(
                CompareCell(
                    economy,
                    status,
                    bool(status and status.is_overdue(day)),
                    origins.get((economy.pk, commitment.pk)),
                )
            )
        by_instrument[commitment.instrument_id].append(CompareCommitment(commitment, cells))
    sections = [CompareSection(i, by_instrument[i.pk]) for i in instrument_list]
    return Comparison(economies, rows, sections)


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


# --- where each status comes from ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OriginStatus:
    """The latest published report of one origin on a cell (by the current-status order)."""

    report_id: int | None  # None (and status "") where the cell has no other origin
    origin: str
    status: str
    effective_date: datetime.date
    published_at: datetime.datetime | None
    assessor: str  # an independent assessment's assessor; blank otherwise
    assessed_on: datetime.date | None  # its snapshot date


@dataclass(frozen=True, slots=True)
class CellOrigins:
    """What each origin last said about one (economy, commitment): a self-report, the
    secretariat's research and an independent assessment may stand side by side."""

    latest: tuple[OriginStatus, ...]  # one per origin, in the order of Origin's choices

    @property
    def current(self) -> OriginStatus:
        """The one the figure uses: DESIGN.md's current-status rule over all origins."""
        if len(self.latest) == 1:  # the only origin (its report is not read: see cell_origins)
            return self.latest[0]
        return max(self.latest, key=lambda s: (s.effective_date, s.published_at, s.report_id))

    @property
    def disagree(self) -> bool:
        """The latest statuses of two origins differ."""
        return len({s.status for s in self.latest}) > 1

    def others(self) -> tuple[OriginStatus, ...]:
        """What the origins other than the current one say."""
        current = self.current
        return tuple(s for s in self.latest if s is not current)


ORIGIN_ORDER = {value: index for index, value in enumerate(Origin.values)}


def cell_origins(
    *,
    as_of: datetime.date | None = None,
    economy_ids: Iterable[int] | None = None,
    commitment_ids: Iterable[int] | None = None,
) -> dict[tuple[int, int], CellOrigins]:
    """For every (economy, commitment) with a published report in force by the date, the latest
    report of each origin, so that a page can say where each status comes from and where two
    origins disagree. Withdrawn reports are not published: never here.

    Two queries however many cells: each cell's origins, counted in the database (a cell with
    one origin is named by it: nothing to disagree with); then the latest report of each
    origin on the few cells where more than one has spoken (ranking every report of a page's
    cells cost more than the rest of the dashboard).
    """
    qs = StatusReport.objects.published().effective_by(as_of)
    if economy_ids is not None:
        qs = qs.filter(economy_id__in=list(economy_ids))
    if commitment_ids is not None:
        qs = qs.filter(commitment_id__in=list(commitment_ids))
    cells = (
        qs.order_by()
        # No join: the grouping follows the index of published reports by economy and commitment.
        .values_list("economy_id", "commitment_id")
        .annotate(
            # Two origins on the cell when the least and the greatest differ (cheaper than
            # counting distinct values).
            first_origin=Min("origin"),
            origin=Max("origin"),
            latest=Max("effective_date"),
            # One origin, and in practice one assessor: the latest snapshot names it.
            assessor=Max("assessor"),
            assessed_on=Max("assessed_on"),
        )
    )
    found: dict[tuple[int, int], CellOrigins] = {}
    several: set[tuple[int, int]] = set()
    for economy_id, commitment_id, first_origin, *only in cells:
        if first_origin == only[0]:
            origin, latest, assessor, assessed_on = only
            found[(economy_id, commitment_id)] = CellOrigins(
                (OriginStatus(None, origin, "", latest, None, assessor, assessed_on),),
            )
        else:
            several.add((economy_id, commitment_id))
    # The cells where origins could disagree, by their economies and commitments (a list never
    # empty, so that the query runs, and the count stays the same, whatever the data).
    ranked = (
        qs.filter(
            economy_id__in={e for e, _c in several} or [0],
            commitment_id__in={c for _e, c in several} or [0],
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("economy_id"), F("commitment_id"), F("origin")],
                order_by=[F(name).desc() for name in CURRENT_ORDER],
            )
        )
        .filter(rank=1)
        .order_by()
        .values_list(
            "economy_id",
            "commitment_id",
            "pk",
            "origin",
            "status",
            "effective_date",
            "published_at",
            "assessor",
            "assessed_on",
        )
    )
    latest_by_cell: dict[tuple[int, int], list[OriginStatus]] = defaultdict(list)
    for economy_id, commitment_id, *latest in ranked:
        if (economy_id, commitment_id) in several:
            latest_by_cell[(economy_id, commitment_id)].append(OriginStatus(*latest))
    for key, latest in latest_by_cell.items():
        found[key] = CellOrigins(tuple(sorted(latest, key=lambda s: ORIGIN_ORDER[s.origin])))
    return found


@dataclass(frozen=True)
class ScoreOrigins:
    """Where the statuses behind one score come from: the origins of the current statuses of
    the instrument's commitments, and on how many of them two origins disagree."""

    origins: tuple[str, ...]  # in the order of Origin's choices
    disagreements: int


NO_ORIGINS = ScoreOrigins((), 0)


def origins_by_score(
    cells: dict[tuple[int, int], CellOrigins], *, instrument_of: dict[int, int]
) -> dict[tuple[int, int], ScoreOrigins]:
    """cell_origins() summed up by (economy, instrument), the heatmap's cells; instrument_of
    maps each commitment to its instrument (cells of other commitments are left out)."""
    origins: dict[tuple[int, int], set[str]] = defaultdict(set)
    disagreements: dict[tuple[int, int], int] = defaultdict(int)
    for (economy_id, commitment_id), cell in cells.items():
        if commitment_id not in instrument_of:
            continue
        key = (economy_id, instrument_of[commitment_id])
        origins[key].add(cell.current.origin)
        disagreements[key] += cell.disagree
    return {
        key: ScoreOrigins(tuple(sorted(found, key=ORIGIN_ORDER.get)), disagreements[key])
        for key, found in origins.items()
    }


@dataclass(frozen=True)
class Assessment:
    """An assessor's published reports at one snapshot date."""

    assessor: str
    assessed_on: datetime.date | None
    reports: int


@dataclass(frozen=True)
class OriginCount:
    origin: str
    label: str
    reports: int  # published reports (withdrawn ones are not published)
    assessments: list[Assessment]  # by assessor and snapshot date, where named


def reports_by_origin() -> list[OriginCount]:
    """Published reports per origin, every origin listed (0 included), with the assessors and
    snapshot dates of the independent assessments: one query."""
    rows = (
        StatusReport.objects.published()
        .order_by()
        .values_list("origin", "assessor", "assessed_on")
        .annotate(n=Count("pk"))
    )
    totals: dict[str, int] = defaultdict(int)
    assessments: dict[str, list[Assessment]] = defaultdict(list)
    for origin, assessor, assessed_on, n in rows:
        totals[origin] += n
        if assessor or assessed_on:
            assessments[origin].append(Assessment(assessor, assessed_on, n))
    return [
        OriginCount(
            value,
            label,
            totals[value],
            sorted(
                assessments[value],
                key=lambda a: (a.assessor, a.assessed_on or datetime.date.min),
            ),
        )
        for value, label in Origin.choices
    ]
