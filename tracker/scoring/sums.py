"""Scores read from the sums the database keeps: today's, and those at past year-ends.

The sources tracker.scoring.readers chooses among by date, each read in bulk as whole
numbers straight from the cursor (a global tracker has tens of thousands of cells and 100,000s
of year-end rows):

- today: the current-status table, each cell carrying its cell_sums(), summed in one
  aggregate query;
- any other past date: the reports current on it, read as one range (valid_until), their
  cell_sums() worked out and summed in the same kind of query;
- a past 31 December: the year-end sums (tracker.models.YearEndScore), one row per economy,
  instrument and year in which they changed, walked to the sums standing at each year-end.

Both give the same figures as scoring the statuses cell by cell (the tests hold them to it).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, Count, F, FloatField, IntegerField, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, Round

from instruments.models import Commitment, economy_scope_filter
from tracker.models import YEAR_END_ROW, CurrentStatus, StatusReport, YearEndScore
from tracker.scoring.formulas import (
    MAX_POINTS,
    POINTS,
    Score,
    ScoredCommitment,
    score_from_sums,
    score_without_data,
)

# Up to how many economies or instruments the reads below filter in SQL. A few (a page about
# one, a comparison, a filter): only theirs are read. Many: reading every row costs less than
# testing each against a long list, and the rows of the others are passed over in Python.
FEW = 25


def scores_from_current_table(
    *, economy_ids: list[int], instrument_ids: Iterable[int] | None, chosen: bool
) -> dict[tuple[int, int], Score]:
    """Today's scores, the formula summed in the database over the current-status table.

    Gives the same figures as scores_from_statuses() over the same statuses (tested), in one
    aggregate query instead of a pass over every cell in Python: each cell carries its
    cell_sums() as whole numbers, so the database adds them up exactly and divides once.
    """
    cells = CurrentStatus.objects.filter(is_scored=True)
    return _summed(
        cells,
        instrument_field="instrument_id",
        earned=Sum("earned"),
        scored_weight=Sum("scored_weight"),
        scored=Count("earned"),  # "not applicable" is null: covered, not scored
        reports=Sum("reports"),
        economy_ids=economy_ids,
        instrument_ids=instrument_ids,
        chosen=chosen,
    )


def scores_on_past_date(
    *,
    as_of: datetime.date,
    economy_ids: list[int],
    instrument_ids: Iterable[int] | None,
    chosen: bool,
) -> dict[tuple[int, int], Score]:
    """The scores on a past date, summed in the database over the reports current on it (one
    range read: StatusReport.objects.current_on, kept by tracker.as_of), each cell's
    cell_sums() worked out in SQL from its status and its commitment's weight as whole numbers,
    so the figures are those of scoring the same statuses cell by cell (tested)."""
    points = Case(
        *(When(status=status, then=Value(value)) for status, value in POINTS.items()),
        default=None,
        output_field=IntegerField(),
    )
    # weight_units() in SQL: hundredths of the weight, rounded first (a weight read as a
    # double, 0.29 × 100, is 28.999…).
    units = Cast(Round(F("commitment__weight") * 100), IntegerField())
    cells = StatusReport.objects.current_on(as_of).filter(economy_scope_filter("commitment__"))
    return _summed(
        cells,
        instrument_field="commitment__instrument_id",
        earned=Sum(points * units),
        scored_weight=Sum(Case(When(status__in=list(POINTS), then=units), default=None)),
        scored=Count(points),
        reports=Sum("cell_position"),
        economy_ids=economy_ids,
        instrument_ids=instrument_ids,
        chosen=chosen,
    )


def _summed(
    cells: QuerySet,
    *,
    instrument_field: str,
    earned,
    scored_weight,
    scored,
    reports,
    economy_ids: list[int],
    instrument_ids: Iterable[int] | None,
    chosen: bool,
) -> dict[tuple[int, int], Score]:
    """The scores of the cells, grouped by (economy, instrument) and summed in one query: each
    cell's earned points and scored weight in hundredths, how many cells are covered and
    scored, and how many published reports stand behind them."""
    commitments = Commitment.objects.economy_scope()
    if instrument_ids is not None:
        instrument_ids = list(instrument_ids)
        commitments = commitments.filter(instrument_id__in=instrument_ids)
        if len(instrument_ids) <= FEW:
            cells = cells.filter(**{f"{instrument_field}__in": instrument_ids})
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
        .values("economy_id", instrument_field)
        .annotate(
            # score_from_sums() in SQL: 100 × earned / (3 × weight), whole numbers (exact in a
            # double) divided once as doubles: the same correctly rounded figure as Python's;
            # null when nothing is scored (both sums null).
            score=Cast(100 * earned, FloatField()) / Cast(MAX_POINTS * scored_weight, FloatField()),
            covered=Count("*"),  # COUNT(*): the covering index has all the aggregate reads
            scored_cells=scored,
            sum_reports=reports,
        )
        .values_list(
            "economy_id", instrument_field, "score", "covered", "scored_cells", "sum_reports"
        )
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
    # Built as the tuple it is, in Score's field order (economy, instrument, score, coverage,
    # commitments, covered, scored, reports): a quarter of the cost of naming each field, over
    # the tens of thousands of cells of a global tracker.
    make = tuple.__new__
    for economy_id, instrument_id, score, covered, scored_count, reports_count in rows:
        total = totals.get(instrument_id)
        if total is None or economy_id not in wanted:
            continue
        result[(economy_id, instrument_id)] = make(
            Score,
            (
                economy_id,
                instrument_id,
                score,
                covered / total,
                total,
                covered,
                scored_count,
                reports_count,
            ),
        )
    if len(result) < len(wanted) * len(totals):
        for economy_id in economy_ids:
            for instrument_id, total in totals.items():
                if (economy_id, instrument_id) not in result:
                    result[(economy_id, instrument_id)] = score_without_data(
                        economy_id=economy_id, instrument_id=instrument_id, commitments=total
                    )
    return result


# --- year-end sums ------------------------------------------------------------------------------


# The sums as the walk hands them out: the cursor's own tuples (a global tracker has 100,000s of
# year-end rows, and a named tuple each would triple the walk's cost), always unpacked into names.
YearEndSums = tuple[int, int, int, int, int]  # earned, scored weight, covered, scored, reports


def scores_at_year_ends(
    *, years: Sequence[int], economy_ids: list[int], commitments: Sequence[ScoredCommitment]
) -> dict[tuple[int, int], list[tuple[int, Score]]]:
    """Score of each economy on each instrument of the commitments at the end of each of the
    years (sorted), from the year-end sums: {(economy_id, instrument_id): [(year, Score), …]}."""
    totals: dict[int, int] = defaultdict(int)
    for commitment in commitments:
        totals[commitment.instrument_id] += 1
    walked = (
        dict(year_end_walk(years=years, economy_ids=economy_ids, instrument_ids=list(totals)))
        if years
        else {}
    )
    nothing = [None] * len(years)
    return {
        (economy_id, instrument_id): [
            (year, _score_of_sums(economy_id, instrument_id, total, sums))
            for year, sums in zip(
                years, walked.get((economy_id, instrument_id), nothing), strict=True
            )
        ]
        for economy_id in economy_ids
        for instrument_id, total in totals.items()
    }


def _score_of_sums(
    economy_id: int, instrument_id: int, commitments: int, sums: YearEndSums | None
) -> Score:
    if sums is None:  # before the pair's first report
        return score_without_data(
            economy_id=economy_id, instrument_id=instrument_id, commitments=commitments
        )
    earned, scored_weight, covered, scored, reports = sums
    return Score(
        economy_id=economy_id,
        instrument_id=instrument_id,
        score=score_from_sums(earned, scored_weight) if scored else None,
        coverage=covered / commitments,
        commitments=commitments,
        covered=covered,
        scored=scored,
        reports=reports,
    )


def year_end_walk(
    *, years: list[int], economy_ids: list[int], instrument_ids: list[int]
) -> Iterator[tuple[tuple[int, int], list[YearEndSums | None]]]:
    """For each (economy, instrument) pair among those asked that has year-end sums, the sums
    standing at the end of each of the years (sorted), None before its first report:
    ((economy_id, instrument_id), [sums or None, …])."""
    if not economy_ids or not instrument_ids:
        return
    qs = YearEndScore.objects.filter(year__lte=years[-1])
    if len(instrument_ids) <= FEW:
        qs = qs.filter(instrument_id__in=instrument_ids)
    if len(economy_ids) <= FEW:
        qs = qs.filter(economy_id__in=economy_ids)
    qs = qs.order_by("economy_id", "instrument_id", "year").values_list(*YEAR_END_ROW)
    # Whole numbers only: straight from the cursor (a global tracker has 100,000s of rows).
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    yield from _standing_at_year_ends(
        rows,
        years=years,
        economy_ids=set(economy_ids),
        instrument_ids=set(instrument_ids),
    )


def _standing_at_year_ends(rows, *, years, economy_ids, instrument_ids):
    """year_end_walk() over the rows read, in order of economy, instrument and year."""
    pair, per_year, standing, year_ends, year_end = None, None, None, iter(()), None
    for economy_id, instrument_id, year, earned, scored_weight, covered, scored, reports in rows:
        if (economy_id, instrument_id) != pair:
            if per_year is not None:
                yield pair, _until_the_last(per_year, standing, len(years))
            pair = (economy_id, instrument_id)
            wanted = economy_id in economy_ids and instrument_id in instrument_ids
            per_year, standing = ([] if wanted else None), None
            year_ends = iter(years)
            year_end = next(year_ends)
        if per_year is None:
            continue
        # The year-ends before this row's year stand on the sums before it.
        while year_end is not None and year_end < year:
            per_year.append(standing)
            year_end = next(year_ends, None)
        standing = (earned, scored_weight, covered, scored, reports)
    if per_year is not None:
        yield pair, _until_the_last(per_year, standing, len(years))


def _until_the_last(
    per_year: list[YearEndSums | None], standing: YearEndSums | None, years: int
) -> list[YearEndSums | None]:
    """The year-ends after a pair's last row stand on its last sums."""
    per_year.extend([standing] * (years - len(per_year)))
    return per_year
