"""Where each status comes from (self-reported, secretariat research, independent assessment),
and the cells where two origins' latest statuses disagree."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from instruments.models import economy_scope_filter
from tracker.models import CurrentStatus, Origin, StatusReport

# --- where each status comes from ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OriginStatus:
    """The latest published report of one origin on a cell (by the current-status order)."""

    report_id: int
    origin: str
    status: str
    effective_date: datetime.date
    is_current: bool  # the cell's current status on the date (the one the figure uses)
    assessor: str  # an independent assessment's assessor; blank otherwise
    assessed_on: datetime.date | None  # its snapshot date


@dataclass(frozen=True, slots=True)
class CellOrigins:
    """What each origin last said about one (economy, commitment): a self-report, the
    secretariat's research and an independent assessment may stand side by side."""

    latest: tuple[OriginStatus, ...]  # one per origin, in the order of Origin's choices

    @property
    def current(self) -> OriginStatus:
        """The one the figure uses: DESIGN.md's current-status rule over all origins, which
        the report's valid_until records (tracker.as_of): one origin's latest is the cell's
        current status, the others' were replaced by it."""
        if len(self.latest) == 1:  # the only origin
            return self.latest[0]
        return next(s for s in self.latest if s.is_current)

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

    One range read however many cells: each published report knows until when it was its
    origin's latest word on its cell (StatusReport.objects.latest_by_origin_on, kept by
    tracker.as_of), so the latest of every origin on the date is read as it is.
    """
    qs = StatusReport.objects.latest_by_origin_on(as_of)
    if economy_ids is not None:
        qs = qs.filter(economy_id__in=list(economy_ids))
    if commitment_ids is not None:
        qs = qs.filter(commitment_id__in=list(commitment_ids))
    # Current on the date: not replaced by then (valid_until); every report read is effective
    # by then.
    still = Q(valid_until__isnull=True)
    if as_of is not None:
        still |= Q(valid_until__gt=as_of)
    latest_by_cell: dict[tuple[int, int], list[OriginStatus]] = defaultdict(list)
    for economy_id, commitment_id, *latest in (
        qs.order_by()
        .annotate(is_current=ExpressionWrapper(still, output_field=BooleanField()))
        .values_list(
            "economy_id",
            "commitment_id",
            "pk",
            "origin",
            "status",
            "effective_date",
            "is_current",
            "assessor",
            "assessed_on",
        )
    ):
        latest_by_cell[(economy_id, commitment_id)].append(OriginStatus(*latest))
    return {
        key: CellOrigins(
            tuple(latest)
            if len(latest) == 1
            else tuple(sorted(latest, key=lambda s: ORIGIN_ORDER[s.origin]))
        )
        for key, latest in latest_by_cell.items()
    }


@dataclass(frozen=True)
class ScoreOrigins:
    """Where the statuses behind one score come from: the origins of the current statuses of
    the instrument's commitments, and on how many of them two origins disagree."""

    origins: tuple[str, ...]  # in the order of Origin's choices
    disagreements: int


NO_ORIGINS = ScoreOrigins((), 0)


def _score_origins(
    origins: dict[tuple[int, int], set[str]], disagreements: dict[tuple[int, int], int]
) -> dict[tuple[int, int], ScoreOrigins]:
    """ScoreOrigins by (economy, instrument), from the origins of its cells' current statuses
    and its count of disagreeing cells: the one shape the three readers below give."""
    return {
        key: ScoreOrigins(tuple(sorted(found, key=ORIGIN_ORDER.get)), disagreements.get(key, 0))
        for key, found in origins.items()
    }


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
    return _score_origins(origins, disagreements)


def origins_today(
    *, economy_ids: list[int], instrument_ids: list[int]
) -> dict[tuple[int, int], ScoreOrigins]:
    """origins_by_score() of today's cells, from the current-status table, which carries each
    cell's origin and whether two origins disagree on it (tracker.current_status keeps both):
    one query, grouped in the database."""
    rows = (
        CurrentStatus.objects.filter(
            is_scored=True, economy_id__in=economy_ids, instrument_id__in=instrument_ids
        )
        .order_by()
        .values_list("economy_id", "instrument_id", "origin")
        .annotate(disagreements=Count("pk", filter=Q(disagree=True)))
    )
    origins: dict[tuple[int, int], set[str]] = defaultdict(set)
    disagreements: dict[tuple[int, int], int] = defaultdict(int)
    for economy_id, instrument_id, origin, disagreeing in rows:
        origins[(economy_id, instrument_id)].add(origin)
        disagreements[(economy_id, instrument_id)] += disagreeing
    return _score_origins(origins, disagreements)


def origins_on(
    as_of: datetime.date, *, economy_ids: list[int], instrument_ids: list[int]
) -> dict[tuple[int, int], ScoreOrigins]:
    """origins_by_score() of the cells on a past date, grouped in the database: the origins of
    the reports current on the date by (economy, instrument), then the cells where the latest
    statuses of two origins differ (two range reads, each returning few rows)."""
    scoped = economy_scope_filter("commitment__") & Q(
        economy_id__in=economy_ids, commitment__instrument_id__in=instrument_ids
    )
    current = (
        StatusReport.objects.current_on(as_of)
        .filter(scoped)
        .order_by()
        .values_list("economy_id", "commitment__instrument_id", "origin")
        .distinct()
    )
    disagreeing = (
        StatusReport.objects.latest_by_origin_on(as_of)
        .filter(scoped)
        .order_by()
        .values_list("economy_id", "commitment__instrument_id", "commitment_id")
        .annotate(statuses=Count("status", distinct=True))
        .filter(statuses__gt=1)
    )
    origins: dict[tuple[int, int], set[str]] = defaultdict(set)
    for economy_id, instrument_id, origin in current:
        origins[(economy_id, instrument_id)].add(origin)
    disagreements: dict[tuple[int, int], int] = defaultdict(int)
    for economy_id, instrument_id, _commitment_id, _statuses in disagreeing:
        disagreements[(economy_id, instrument_id)] += 1
    return _score_origins(origins, disagreements)


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
