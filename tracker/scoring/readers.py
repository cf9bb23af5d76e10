"""What the scoring formulas read from the database, and where they read it from by date.

Three sources give the same figures (the tests hold them to it) at different costs:

- today (no date, or a date not in the past): the current-status table, one row a cell, kept
  in step with every published report by tracker.current_status; today's scores are summed
  over it in one aggregate query (tracker.scoring.sums);
- a past 31 December: the year-end sums (tracker.models.YearEndScore, tracker.scoring.sums),
  one row per economy, instrument and year in which they changed;
- any other past date: the reports current on it, one range read (StatusReport.objects
  .current_on: each published report knows until when it was current, tracker.as_of); its
  scores are the year-end sums of the year before plus the cells that changed since, read in
  one query (tracker.scoring.sums), so that a late date costs no more than an early one.

source_for() is the one place that picks among them; current_statuses() and scores_for_region()
follow it. The current status of (E, C) as of a date D is the published report with the latest
effective date on or before D; ties go to the report published last.
"""

import datetime
import enum
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.db.models import Count, F, Max, Min, Q, QuerySet

from economies.models import Economy
from instruments.models import Commitment, economy_scope_filter
from softlaw import clock
from tracker.models import CELL_TARGET, CurrentStatus, StatusReport
from tracker.scoring.formulas import (
    NEVER_OVERDUE,
    CellStatus,
    Score,
    ScoredCommitment,
    scores_from_statuses,
)
from tracker.scoring.sums import (
    scores_from_current_table,
    scores_on_past_date,
)


class Source(enum.Enum):
    """Where the figures as of a date are read from."""

    CURRENT_TABLE = "the current-status table"
    YEAR_END_SUMS = "the year-end sums"
    HISTORY = (
        "the reports current on the date, read as a range (scores: as a change since the year-end)"
    )


def source_for(as_of: datetime.date | None) -> Source:
    """The one dispatch on the as-of date. Today or later is the current-status table's: no
    effective date lies in the future (so a permanent link made today reads the table, not the
    history). A past 31 December is the year-end sums'; any other past date, the history's."""
    if as_of is None or as_of >= clock.today():
        return Source.CURRENT_TABLE
    if (as_of.month, as_of.day) == (12, 31):
        return Source.YEAR_END_SUMS
    return Source.HISTORY


def all_economy_ids() -> list[int]:
    return list(Economy.objects.values_list("pk", flat=True))


def scored_commitments(*, instrument_ids: Iterable[int] | None = None) -> list[ScoredCommitment]:
    """The economy-scope commitments (of some instruments), with what the formula needs."""
    qs = Commitment.objects.economy_scope()
    if instrument_ids is not None:
        qs = qs.filter(instrument_id__in=list(instrument_ids))
    return [
        ScoredCommitment(commitment_id=pk, instrument_id=instrument_id, weight=weight)
        for pk, instrument_id, weight in qs.values_list("pk", "instrument_id", "weight")
    ]


def report_years(
    *, as_of: datetime.date | None = None, economy_ids: list[int] | None = None
) -> list[int]:
    """Every year from the first published effective date to the year of the view."""
    qs = StatusReport.objects.published().effective_by(as_of)
    if economy_ids is not None:
        qs = qs.filter(economy_id__in=economy_ids)
    first = qs.aggregate(first=Min("effective_date"))["first"]
    if first is None:
        return []
    return list(range(first.year, (as_of or clock.today()).year + 1))


# --- the statuses of cells ----------------------------------------------------------------------


def current_statuses(
    *,
    as_of: datetime.date | None = None,
    economy_ids: Iterable[int] | None = None,
    commitment_ids: Iterable[int] | None = None,
) -> dict[tuple[int, int], CellStatus]:
    """The current status of every (economy, commitment) pair that has one, as of a date.

    Today, read from the current-status table (one row a cell); on a past date, the reports
    current on it, one range read (the year-end sums hold no statuses).
    """
    if source_for(as_of) is Source.CURRENT_TABLE:
        cells, read = CurrentStatus.objects.all(), _current_table_rows
    else:
        cells, read = StatusReport.objects.current_on(as_of), _current_on_rows
    if economy_ids is not None:
        cells = cells.filter(economy_id__in=list(economy_ids))
    if commitment_ids is not None:
        cells = cells.filter(commitment_id__in=list(commitment_ids))
    return {
        (economy_id, commitment_id): CellStatus(
            economy_id=economy_id,
            commitment_id=commitment_id,
            report_id=report_id,
            status=status,
            effective_date=effective,
            target_date=target,
            reports=reports,
        )
        for report_id, economy_id, commitment_id, status, effective, target, reports in read(cells)
    }


# Both readers give one row a cell: (report id, economy id, commitment id, status, effective
# date, target date, published reports on the cell in force by the date).


def _current_table_rows(qs: QuerySet[CurrentStatus]) -> Iterable[tuple]:
    return qs.order_by().values_list(
        "report_id",
        "economy_id",
        "commitment_id",
        "status",
        "effective_date",
        "target_date",
        "reports",
    )


def _current_on_rows(qs: QuerySet[StatusReport]) -> Iterable[tuple]:
    # A cell's target is the report's, or else the deadline its commitment states (rule R6 of
    # the reference data): a status short of implemented after it is overdue. A report's place
    # in its cell's order is how many published reports stand on the cell by its date.
    return qs.order_by().values_list(
        "pk",
        "economy_id",
        "commitment_id",
        "status",
        "effective_date",
        CELL_TARGET,
        "cell_position",
    )


class Activity(NamedTuple):
    """What an economy's current statuses say of its activity as of a date."""

    latest: datetime.date | None  # the latest effective date among them
    overdue: int  # how many are overdue on the date (formulas.is_overdue)


def economies_activity(
    *,
    as_of: datetime.date | None = None,
    economy_ids: list[int],
    instrument_ids: Iterable[int] | None = None,
) -> dict[int, Activity]:
    """Per economy with any, over its current statuses on the economy-scope commitments of
    the instruments as of a date: the latest effective date and how many are overdue, grouped
    in the database in one query (a walk over every cell would read a global tracker's
    240,000). The same as current_statuses() worked over in Python (tested)."""
    day = as_of or clock.today()
    if source_for(as_of) is Source.CURRENT_TABLE:
        # The table holds each cell's target, the commitment's deadline included.
        cells, target, instrument = (
            CurrentStatus.objects.filter(is_scored=True),
            F("target_date"),
            "instrument_id",
        )
    else:
        cells, target, instrument = (
            StatusReport.objects.current_on(as_of).filter(economy_scope_filter("commitment__")),
            CELL_TARGET,
            "commitment__instrument_id",
        )
    if instrument_ids is not None:
        cells = cells.filter(**{f"{instrument}__in": list(instrument_ids)})
    rows = (
        cells.filter(economy_id__in=economy_ids)
        .annotate(target=target)
        .order_by()
        .values("economy_id")
        .annotate(
            latest=Max("effective_date"),
            # is_overdue() in SQL: a target before the day, the status short of implemented
            # (a cell without a target is never overdue: the comparison is null).
            overdue=Count("pk", filter=Q(target__lt=day) & ~Q(status__in=NEVER_OVERDUE)),
        )
        .values_list("economy_id", "latest", "overdue")
    )
    return {economy_id: Activity(latest, overdue) for economy_id, latest, overdue in rows}


class CellsScored(NamedTuple):
    """The cells' statuses as of a date and the scores they give."""

    statuses: dict[tuple[int, int], CellStatus]
    scores: dict[tuple[int, int], Score]


def cells_scored(
    *,
    as_of: datetime.date | None,
    economy_ids: list[int],
    commitments: Sequence[ScoredCommitment],
) -> CellsScored:
    """The statuses of the economies on the commitments, and their scores, cell by cell."""
    statuses = current_statuses(
        as_of=as_of,
        economy_ids=economy_ids,
        commitment_ids=[c.commitment_id for c in commitments],
    )
    return CellsScored(
        statuses=statuses,
        scores=scores_from_statuses(
            statuses=statuses, commitments=commitments, economy_ids=economy_ids
        ),
    )


# --- scores -------------------------------------------------------------------------------------


def scores_for_region(
    *,
    as_of: datetime.date | None = None,
    economy_ids: Iterable[int] | None = None,
    instrument_ids: Iterable[int] | None = None,
) -> dict[tuple[int, int], Score]:
    """Score of each economy on each instrument as of a date, keyed (economy_id, instrument_id),
    from the source the date calls for.

    Instruments without economy-scope commitments have no score and are left out.
    """
    chosen = economy_ids is not None
    economy_ids = list(economy_ids) if chosen else all_economy_ids()
    source = source_for(as_of)
    if source is Source.CURRENT_TABLE:
        return scores_from_current_table(
            economy_ids=economy_ids, instrument_ids=instrument_ids, chosen=chosen
        )
    # A past year-end: its sums; any other past date: the year-end's before, and the changes.
    return scores_on_past_date(
        as_of=as_of,
        economy_ids=economy_ids,
        instrument_ids=instrument_ids,
        chosen=chosen,
        at_year_end=source is Source.YEAR_END_SUMS,
    )
